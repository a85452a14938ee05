"""Check-ins partitioned by month on PostgreSQL: where a record lands, the coming months made
ahead, a day's queries reading one month, and the purge dropping months past retention."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from qunce.core.models import AuditEvent
from qunce.health import partitions, selectors, services
from qunce.health.models import Checkin, HealthAlert
from qunce.org.models import Campaign

from .conftest import healthy_answers

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions are PostgreSQL's"
)


def partition_of(checkin):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM health_checkin WHERE id = %s", [checkin.pk]
        )
        return cursor.fetchone()[0]


def table_exists(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return cursor.fetchone()[0]


def test_a_month_runs_from_its_first_day_to_the_next_months():
    december = partitions.Month.of(datetime.date(2026, 12, 31))
    assert december.first == datetime.date(2026, 12, 1)
    assert december.next_first == datetime.date(2027, 1, 1)
    assert december.table == "health_checkin_y2026m12"
    february = partitions.Month.of(datetime.date(2024, 2, 29))
    assert [m.first.month for m in february.following(2)] == [2, 3, 4]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite keeps a plain table")
def test_on_sqlite_there_are_no_partitions_to_make(db):
    assert services.checkin_partitions_prepare() == []
    assert partitions.months() == []
    assert services.checkin_statistics_refresh() is None


@on_postgresql
def test_the_statistics_of_this_months_check_ins_are_refreshed_every_ten_minutes(world, policy):
    services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    )
    table = partitions.Month.of(timezone.localdate()).table

    def rows_the_planner_knows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0]

    assert rows_the_planner_knows() != 1
    assert services.checkin_statistics_refresh() == table
    assert rows_the_planner_knows() == 1
    # A month without its partition has nothing to refresh.
    assert services.checkin_statistics_refresh(today=datetime.date(1999, 1, 1)) is None


@on_postgresql
def test_a_check_in_is_kept_in_its_months_partition(world, policy):
    checkin = services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    ).checkin
    assert partition_of(checkin) == partitions.Month.of(timezone.localdate()).table


@on_postgresql
def test_the_coming_months_are_made_ahead_and_take_their_rows_from_the_default(world, policy):
    checkin = services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    ).checkin
    far_day = timezone.localdate() + datetime.timedelta(days=400)
    Checkin.objects.filter(pk=checkin.pk).update(day=far_day)
    assert partition_of(checkin) == partitions.DEFAULT_PARTITION
    made = services.checkin_partitions_prepare(today=far_day)
    assert made[1] == far_day.strftime("%Y-%m") and len(made) == partitions.MONTHS_AHEAD + 2
    assert partition_of(checkin) == partitions.Month.of(far_day).table
    assert services.checkin_partitions_prepare(today=far_day) == []
    # Still one record a person a day across the move.
    assert Checkin.objects.filter(day=far_day).count() == 1


@on_postgresql
def test_the_days_compliance_query_reads_only_that_months_partition(world, policy):
    services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    )
    today = timezone.localdate()
    plan = selectors.non_reporters(campaign=policy.campaign, day=today).explain()
    named = {month.table for month in partitions.months()} | {partitions.DEFAULT_PARTITION}
    assert [name for name in named if name in plan] == [partitions.Month.of(today).table]


def _checkin(campaign, person, day):
    return Checkin.objects.create(campaign=campaign, person=person, unit=person.unit, day=day)


@on_postgresql
def test_a_month_past_every_retention_is_dropped_whole_and_the_rest_row_by_row(world, policy):
    today = timezone.localdate()
    old = partitions.Month.of(today - datetime.timedelta(days=300))
    older_kept = partitions.Month(old.next_first)
    partitions.months_create([old, older_kept])
    epidemic = policy.campaign  # kept 180 days
    flood = Campaign.objects.create(
        name="2021 防汛救灾", starts_on=datetime.date(2021, 7, 1), retention_days=400
    )
    person = world.users.talent.person
    expired = _checkin(epidemic, person, old.first)
    HealthAlert.objects.create(
        campaign=epidemic,
        person=person,
        unit=person.unit,
        checkin=expired,
        day=old.first,
        reasons=["fever"],
    )
    _checkin(epidemic, person, older_kept.first)
    kept = _checkin(flood, person, older_kept.first)

    assert services.checkins_purge(today=today) == {epidemic.name: 2}
    # The month holding only expired records is gone whole; the next keeps the flood's record.
    assert not table_exists(old.table) and old not in partitions.months()
    assert list(Checkin.objects.values_list("pk", flat=True)) == [kept.pk]
    assert partition_of(kept) == older_kept.table
    assert not HealthAlert.objects.exists()
    assert AuditEvent.objects.get(action="health.purge").changes["deleted"] == 2
    assert services.checkins_purge(today=today) == {}
