"""The English catalogue is complete, has no machine guesses, and the compiled file matches it."""

import ast
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "qunce" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _singular_entries():
    """(context, msgid, msgstr) of every singular entry, with continuation lines joined."""
    entries, current, field = [], {}, None
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            field, _, literal = line.partition(" ")
            current[field] = ast.literal_eval(literal)
        elif line.startswith('"') and field:
            current[field] += ast.literal_eval(line)
        elif not line.strip():
            if current.get("msgid") and "msgid_plural" not in current:
                entries.append(
                    (current.get("msgctxt"), current["msgid"], current.get("msgstr", ""))
                )
            current, field = {}, None
    return entries


def test_no_entry_is_fuzzy():
    assert "#, fuzzy" not in PO.read_text(encoding="utf-8")


def test_every_message_is_translated_and_compiled():
    entries = _singular_entries()
    assert len(entries) > 300
    assert [msgid for _, msgid, msgstr in entries if not msgstr] == []
    with translation.override("en"):
        stale = [
            msgid
            for context, msgid, msgstr in entries
            if (translation.pgettext(context, msgid) if context else translation.gettext(msgid))
            != msgstr
        ]
    assert stale == []
