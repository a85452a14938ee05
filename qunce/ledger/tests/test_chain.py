from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from qunce.ledger import services
from qunce.ledger.models import LedgerEntry
from qunce.ledger.selectors import effective_entries
from qunce.ledger.tasks import verify_ledger
from qunce.org.models import Campaign


def _record(world, campaign, source, **overrides):
    values = {
        "person": world.person_a,
        "role": "technician",
        "campaign": campaign,
        "date_from": date(2020, 2, 10),
        "date_to": date(2020, 2, 10),
        "summary": "为鞍山某钢厂远程诊断高炉复产工艺",
        "hours": 3,
        "people_served": 1,
        "source": source,
        "acting_user": world.users.unit_admin_a,
    }
    values.update(overrides)
    return services.ledger_record(**values)


def _raw_update(sql, params):
    """Change a row behind the application's back (on PostgreSQL past the append-only trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As a superuser at the database console could: user triggers off for this session.
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_entries_chain_each_to_the_one_before(world, campaign):
    first = _record(world, campaign, world.person_a)
    second = _record(world, campaign, world.person_b, person=world.person_b)
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.content_hash
    assert (first.seq, second.seq) == (1, 2)
    call_command("verify_ledger")


def test_verify_ledger_names_the_first_entry_changed_with_raw_sql(world, campaign, capsys):
    entries = [
        _record(world, campaign, source) for source in (world.person_a, world.person_b, world.root)
    ]
    _raw_update(
        "UPDATE ledger_ledgerentry SET points = %s WHERE id = %s", [Decimal("99"), entries[1].pk]
    )
    with pytest.raises(CommandError, match=f"#{entries[1].seq} 条记录内容与其哈希不符"):
        call_command("verify_ledger")


def test_verify_ledger_finds_a_rewritten_hash_by_the_broken_link(world, campaign):
    entries = [
        _record(world, campaign, source) for source in (world.person_a, world.person_b, world.root)
    ]
    _raw_update(
        "UPDATE ledger_ledgerentry SET content_hash = %s WHERE id = %s", ["f" * 64, entries[0].pk]
    )
    with pytest.raises(CommandError, match=f"#{entries[0].seq} 条"):
        call_command("verify_ledger")


def test_the_scheduled_check_tells_the_org_admins_of_a_broken_chain_once_a_day(world, campaign):
    entries = [_record(world, campaign, source) for source in (world.person_a, world.person_b)]
    assert verify_ledger.call() == {"checked": 2, "broken": ""}
    assert not world.users.org_admin.inbox.exists()
    _raw_update("UPDATE ledger_ledgerentry SET hours = 30 WHERE id = %s", [entries[0].pk])
    result = verify_ledger.call()
    assert result["checked"] == 2 and f"#{entries[0].seq} 条" in result["broken"]
    verify_ledger.call()
    (message,) = world.users.org_admin.inbox.all()
    assert message.subject == "贡献台账校验未通过" and f"#{entries[0].seq}" in message.body
    assert not world.users.unit_admin_a.inbox.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_of_entries(world, campaign):
    entry = _record(world, campaign, world.person_a)
    for sql in (
        "UPDATE ledger_ledgerentry SET points = 0 WHERE id = %s",
        "DELETE FROM ledger_ledgerentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).points == entry.points


def test_the_same_source_is_recorded_once(world, campaign):
    first = _record(world, campaign, world.person_a)
    again = _record(world, campaign, world.person_a)
    assert again.pk == first.pk
    assert LedgerEntry.objects.count() == 1


def test_a_correction_is_a_new_entry_and_only_it_counts(world, campaign):
    entry = _record(world, campaign, world.person_a)
    corrected = services.ledger_correct(
        entry=entry, acting_user=world.users.unit_admin_a, reason="时长填错", changes={"hours": 1}
    )
    assert corrected.corrects == entry
    assert LedgerEntry.objects.get(pk=entry.pk).hours == Decimal("3.0")
    assert list(effective_entries()) == [corrected]
    with pytest.raises(Exception, match="已被更正"):
        services.ledger_correct(
            entry=entry, acting_user=world.users.unit_admin_a, reason="再改", changes={"hours": 2}
        )
    call_command("verify_ledger")


def test_points_follow_the_rules_in_force_and_rule_changes_keep_past_points(world, campaign):
    entry = _record(world, campaign, world.person_a)
    # Default technician rule: 5 base + 1 per hour + 2 per enterprise served.
    assert entry.points == Decimal("10.00")
    services.ruleset_create(
        acting_user=world.users.org_admin,
        frontline_multiplier=Decimal("2"),
        monthly_cap=Decimal("100"),
        role_rules={"technician": {"base_points": Decimal("1")}},
    )
    later = _record(world, campaign, world.person_b)
    assert later.points == Decimal("1.00")
    assert LedgerEntry.objects.get(pk=entry.pk).points == Decimal("10.00")


def test_frontline_service_multiplies_points(world, campaign):
    services.frontline_record(
        person=world.person_a,
        campaign=campaign,
        starts_on=date(2020, 2, 1),
        ends_on=date(2020, 3, 1),
        description="发热门诊支援",
        acting_user=world.users.unit_admin_a,
    )
    entry = _record(world, campaign, world.person_a)
    assert entry.frontline is True
    assert entry.points == Decimal("15.00")
    outside = _record(
        world, campaign, world.person_b, date_from=date(2020, 4, 1), date_to=date(2020, 4, 1)
    )
    assert outside.frontline is False


def test_monthly_cap_limits_points_per_person_and_role(world, campaign):
    big = _record(
        world, campaign, world.person_a, date_to=date(2020, 2, 14), hours=80, people_served=20
    )
    assert big.points == Decimal("100.00")
    capped = _record(world, campaign, world.person_b, hours=2)
    assert capped.points == Decimal("0.00")
    next_month = _record(
        world, campaign, world.root, date_from=date(2020, 3, 2), date_to=date(2020, 3, 2)
    )
    assert next_month.points == Decimal("10.00")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_from": date(2019, 12, 1), "date_to": date(2019, 12, 1)}, "date_from"),
        ({"hours": -1}, "hours"),
        ({"hours": 500}, "hours"),
        ({"people_served": 10_000_000}, "people_served"),
        ({"role": "hero"}, "role"),
        ({"summary": "  "}, "summary"),
        ({"date_to": date(2020, 2, 1)}, "date_to"),
    ],
)
def test_bad_contributions_are_refused_and_nothing_is_written(world, campaign, overrides, field):
    with pytest.raises(Exception) as error:
        _record(world, campaign, world.person_a, **overrides)
    assert field in error.value.message_dict
    assert not LedgerEntry.objects.exists()


def test_team_entries_name_a_team_instead_of_a_person(world, campaign):
    entry = _record(world, campaign, world.root, person=None, team_name="冶金学院抗疫志愿服务队")
    assert entry.person is None and entry.team_name
    with pytest.raises(Exception, match="人员或一个团队"):
        _record(world, campaign, world.unit_a, person=None)


def test_campaign_without_end_accepts_dates_until_today(world):
    open_campaign = Campaign.objects.create(name="持续行动", starts_on=date(2020, 1, 1))
    entry = _record(
        world, open_campaign, world.person_a, date_from=date(2024, 5, 1), date_to=date(2024, 5, 1)
    )
    assert entry.pk


def test_verify_ledger_notices_entries_deleted_from_the_end(world, campaign):
    entries = [_record(world, campaign, source) for source in (world.person_a, world.person_b)]
    _raw_update("DELETE FROM ledger_ledgerentry WHERE id = %s", [entries[-1].pk])
    with pytest.raises(CommandError, match="#2 条记录缺失"):
        call_command("verify_ledger")


def test_nobody_corrects_their_own_entry_or_declares_themselves_frontline(world, campaign):
    own = _record(world, campaign, world.root, person=world.users.unit_admin_a.person)
    with pytest.raises(Exception, match="不能更正本人的记录"):
        services.ledger_correct(
            entry=own, acting_user=world.users.unit_admin_a, reason="x", changes={"hours": 20}
        )
    with pytest.raises(Exception, match="不能认定本人"):
        services.frontline_record(
            person=world.users.unit_admin_a.person,
            campaign=campaign,
            starts_on=date(2020, 2, 1),
            ends_on=None,
            description="x",
            acting_user=world.users.unit_admin_a,
        )


def test_a_correction_is_not_capped_by_the_entry_it_replaces(world, campaign):
    big = _record(
        world, campaign, world.person_a, date_to=date(2020, 2, 14), hours=80, people_served=20
    )
    assert big.points == Decimal("100.00")
    same = services.ledger_correct(
        entry=big, acting_user=world.users.unit_admin_a, reason="核对", changes={}
    )
    assert same.points == Decimal("100.00")
    assert same.ruleset == big.ruleset
