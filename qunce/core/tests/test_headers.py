"""Browser policy on every page and endpoint: the rows of the persona matrix, each opened by the
persona it lets in, answer with a script policy that allows no inline code, no framing, no MIME
sniffing, a same-origin referrer and no caching of what they show."""

import pytest

from qunce.conftest import client_for

from .test_personas import API_MATRIX, PAGE_MATRIX, PERSONAS, _request

pytestmark = pytest.mark.django_db


def _allowed_gets():
    """(name, url builder, persona) for every GET row, with the first persona it answers 200."""
    for name, method, url, _body, expected in PAGE_MATRIX + API_MATRIX:
        if method != "get":
            continue
        for persona, outcome in zip(PERSONAS, expected, strict=True):
            if outcome == 200:
                yield name, url, persona
                break


def _directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


ALLOWED_GETS = list(_allowed_gets())


def test_the_walk_covers_the_urlconf():
    assert len(ALLOWED_GETS) > 100


@pytest.mark.parametrize(("name", "url", "persona"), ALLOWED_GETS, ids=[r[0] for r in ALLOWED_GETS])
def test_every_page_and_endpoint_sends_the_browser_policy(world, name, url, persona):
    response = _request(client_for(world, persona), "get", url(world), None)
    assert response.status_code < 400, response.status_code
    headers = response.headers
    policy = _directives(headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] + policy["default-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in headers["Cache-Control"]


def test_no_template_carries_inline_script_or_handlers():
    """What the policy would block must not be in the pages: it would silently stop working."""
    import re
    from pathlib import Path

    from django.conf import settings

    # Inline scripts, on…= handlers, and htmx's evaluated attributes (hx-on, hx-vals='js:…').
    inline = re.compile(
        r"<script(?![^>]*\b(src|type=\"application/json\")=?)[^>]*>|\son[a-z]+=|hx-on|=['\"]js:"
    )
    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "qunce").rglob("*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_hsts_in_production_over_https(world, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client_for(world, "talent").get("/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
