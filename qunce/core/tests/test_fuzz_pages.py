"""Property-based fuzzing of the page forms: every form on every page the persona matrix opens
is posted with odd values (control characters, 5,000 characters, numbers beyond 2⁶³,
impossible dates, unknown choices) as the org admin, a talent and a visitor; no answer is a
server error."""

import os
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qunce.conftest import PERSONAS, client_for

from .test_personas import PAGE_MATRIX

EXAMPLES = int(os.environ.get("QUNCE_FUZZ_EXAMPLES", "3"))
# Posting these would end the session or only switch the language.
SKIPPED_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")

ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x07", "甲\x00乙", "x" * 5000, "<script>", "１２３", "'; --"]),
)
ODD_NUMBER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "-1", str(2**63), "1e309", "NaN", "3.", ""]),
)
ODD_DATE = st.sampled_from(["2020-02-30", "9999-12-31", "0000-00-00", "2020-13-01", "", "昨天"])


class FormFields(HTMLParser):
    """The POST forms of a page: (action, {name: (kind, options)})."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = (attrs.get("action") or "", {})
            self.forms.append(self._form)
        elif self._form is not None and attrs.get("name"):
            fields = self._form[1]
            if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
                fields.setdefault(attrs["name"], (attrs.get("type") or "text", []))
            elif tag == "textarea":
                fields[attrs["name"]] = ("text", [])
            elif tag == "select":
                self._select = fields[attrs["name"]] = ("select", [])
        if tag == "option" and self._select is not None:
            self._select[1].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _value(data, kind, options):
    if kind in ("number",):
        return data.draw(ODD_NUMBER)
    if kind == "date":
        return data.draw(ODD_DATE)
    if kind in ("checkbox", "radio") or options:
        return data.draw(
            st.sampled_from([*options, "on", "nonsense", ""])
            if options
            else st.sampled_from(["on", "", "nonsense"])
        )
    if kind == "hidden":
        return data.draw(st.one_of(ODD_TEXT, ODD_NUMBER))
    return data.draw(ODD_TEXT)


def _forms(client, world, persona):
    """(page, action, fields) of every POST form on the pages this persona opens."""
    found = []
    for _name, method, url, _body, expected in PAGE_MATRIX:
        status = dict(zip(PERSONAS, expected, strict=True))[persona]
        if method != "get" or status != 200:
            continue
        try:
            page = url(world)
        except (ValidationError, IntegrityError):
            # The row's record was made already for an earlier row (a second one is refused as
            # a repeat): that page was fuzzed there.
            continue
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormFields()
        parser.feed(response.content.decode())
        for action, fields in parser.forms:
            target = action or page
            if fields and not target.startswith(SKIPPED_ACTIONS):
                found.append((page, target, fields))
    return found


@pytest.mark.parametrize("persona", ["org_admin", "talent", "anonymous"])
@pytest.mark.django_db
def test_no_form_post_is_a_server_error(world, persona):
    client = client_for(world, persona)
    forms = _forms(client, world, persona)
    assert forms, "the pages show forms"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def post_everything(data):
        for page, target, fields in forms:
            body = {name: _value(data, kind, options) for name, (kind, options) in fields.items()}
            response = client.post(target, body)
            assert response.status_code < 500, f"POST {target} (from {page}) {body!r:.300}"

    post_everything()
