"""The application's PostgreSQL role cannot erase a trace: connected as it, every UPDATE,
DELETE and TRUNCATE of the audit, read-log and ledger tables is refused, it can drop no
trigger, and the application still works (reads are logged, people and cases deleted, the
ledger appended)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from qunce.core.management.commands.grant_app_role import append_only_tables
from qunce.core.models import AuditEvent
from qunce.counselling import services as counselling_services
from qunce.counselling.models import CaseAccess
from qunce.counselling.tests.factories import counselling_asked
from qunce.health.models import CheckinAccess
from qunce.health.services import checkin_reads_log
from qunce.ledger import services as ledger_services
from qunce.ledger.models import LedgerEntry
from qunce.org.models import Campaign, PersonRead

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles and grants are PostgreSQL's"
)
ROLE = "qunce_app_test"


@pytest.fixture
def as_app(db):
    """The test's transaction continues as the application's role (created and granted in the
    same transaction, so nothing outlives the test)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {ROLE}")
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
    out = StringIO()
    call_command("grant_app_role", ROLE, stdout=out)
    assert "core_auditevent" in out.getvalue()

    class Role:
        def __enter__(self):
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL ROLE {ROLE}")

        def __exit__(self, *exc):
            with connection.cursor() as cursor:
                cursor.execute("RESET ROLE")

    return Role()


def _refused(statement):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


def test_the_application_role_can_neither_change_nor_remove_a_trace(world, as_app):
    checkin_reads_log(
        viewer=world.users.unit_admin_a, people=[world.person_a], what=CheckinAccess.What.HISTORY
    )
    AuditEvent.objects.create(action="x", target_type="t", target_id="1")
    with as_app:
        for table in append_only_tables():
            _refused(f"UPDATE {table} SET id = id")
            _refused(f"DELETE FROM {table}")
            _refused(f"TRUNCATE {table}")
        _refused("DROP TRIGGER ledger_entry_append_only ON ledger_ledgerentry")
        _refused("ALTER TABLE core_auditevent DISABLE TRIGGER ALL")
        _refused("DELETE FROM django_migrations")
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM health_checkinaccess")
            assert cursor.fetchone()[0] == 1
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == ROLE
    assert CheckinAccess.objects.count() == 1 and AuditEvent.objects.count() == 1


def test_the_application_works_as_its_role(world, as_app):
    campaign = Campaign.objects.create(
        name="行动", starts_on=datetime.date(2020, 1, 25), status=Campaign.Status.ACTIVE
    )
    with as_app:
        checkin_reads_log(
            viewer=world.users.unit_admin_a,
            people=[world.person_a],
            what=CheckinAccess.What.HISTORY,
        )
        PersonRead.objects.create(
            viewer=world.users.org_admin, person=world.person_b, person_number=world.person_b.pk
        )
        case, _token = counselling_asked(world.users.talent)
        counselling_services.log_access(case=case, user=world.users.counsellor, action="read")
        case_number = case.pk
        entry = ledger_services.ledger_record(
            person=world.users.talent.person,
            role="technician",
            campaign=campaign,
            date_from=datetime.date(2020, 2, 10),
            date_to=datetime.date(2020, 2, 10),
            summary="远程诊断高炉复产",
            hours=3,
            people_served=1,
            source=world.users.talent.person,
            acting_user=world.users.unit_admin_b,
        )
        ledger_services.ledger_correct(
            entry=entry, acting_user=world.users.org_admin, reason="工时有误", changes={"hours": 2}
        )
        # Deleting what the logs point at leaves the logs as they were.
        world.person_a.delete()
        world.person_b.delete()
        case.delete()
        assert campaign.pk
    assert CheckinAccess.objects.get().person_id is not None
    assert PersonRead.objects.count() == 1
    assert CaseAccess.objects.get().case_number == case_number
    assert LedgerEntry.objects.count() == 2
