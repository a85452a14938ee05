"""The chain head exported outside the database catches a rewrite the chain itself cannot: a
ledger recomputed consistently from some entry on."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qunce.core.models import InboxMessage
from qunce.ledger import chain, heads, services
from qunce.ledger.models import ChainHead, LedgerEntry
from qunce.ledger.tasks import export_ledger_head, verify_ledger

from .test_chain import _raw_update, _record


def test_the_head_is_exported_signed_and_reaches_the_org_admins(world, campaign, settings):
    _record(world, campaign, world.person_a)
    entry = _record(world, campaign, world.person_b, person=world.person_b)
    path = export_ledger_head.call()
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    assert (document["seq"], document["content_hash"], document["entries"]) == (
        entry.seq,
        entry.content_hash,
        2,
    )
    assert str(settings.LEDGER_HEAD_DIR) in path
    message = InboxMessage.objects.get(recipient=world.users.org_admin)
    assert entry.content_hash in message.body and f"#{entry.seq}" in message.subject
    assert verify_ledger.call() == {"checked": 2, "broken": ""}


def test_a_chain_rewritten_consistently_disagrees_with_the_exported_head(world, campaign):
    first = _record(world, campaign, world.person_a)
    services.chain_head_export()
    # Someone with the database rewrites the entry and recomputes its hash and the head, so
    # that the chain alone still links up.
    values = LedgerEntry.objects.filter(pk=first.pk).values(*chain.HASHED_FIELDS).get()
    values["hours"] = values["hours"] * 10
    forged = chain.content_hash(values)
    _raw_update(
        "UPDATE ledger_ledgerentry SET hours = %s, content_hash = %s WHERE id = %s",
        [values["hours"], forged, first.pk],
    )
    ChainHead.objects.filter(pk=1).update(last_hash=forged)
    result = verify_ledger.call()
    assert "导出的链头不符" in result["broken"] and f"#{first.seq}" in result["broken"]
    with pytest.raises(CommandError, match="导出的链头不符"):
        call_command("verify_ledger")


def test_a_tampered_head_file_is_reported(world, campaign):
    _record(world, campaign, world.person_a)
    path = services.chain_head_export()
    document = json.loads(path.read_text(encoding="utf-8"))
    document["content_hash"] = "f" * 64
    path.write_text(json.dumps(document), encoding="utf-8")
    assert "内容与签名不符" in verify_ledger.call()["broken"]
    path.write_text("{not json", encoding="utf-8")
    assert "签名不符或已损坏" in verify_ledger.call()["broken"]


def test_no_export_yet_and_an_empty_ledger_are_fine(world, settings):
    assert heads.head_latest() == (None, "")
    services.chain_head_export()
    assert verify_ledger.call() == {"checked": 0, "broken": ""}


def test_no_head_exported_for_two_days_is_an_alarm(world, campaign):
    import datetime

    from django.utils import timezone

    entry = _record(world, campaign, world.person_a)
    assert verify_ledger.call()["broken"] == ""
    old = timezone.now() - datetime.timedelta(days=3)
    _raw_update("UPDATE ledger_ledgerentry SET recorded_at = %s WHERE id = %s", [old, entry.pk])
    assert "超过两天没有导出台账链头" in verify_ledger.call()["broken"]
    services.chain_head_export()
    assert "超过两天" not in verify_ledger.call()["broken"]
