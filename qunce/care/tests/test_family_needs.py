from datetime import date, timedelta

import pytest
from django.utils import timezone

from qunce.care import services
from qunce.care.models import FamilyNeed
from qunce.conftest import client_for
from qunce.core.models import InboxMessage
from qunce.ledger import services as ledger_services
from qunce.org.models import Campaign


@pytest.fixture
def frontline_talent(world):
    campaign = Campaign.objects.create(
        name="行动", starts_on=date(2020, 1, 25), ends_on=date(2020, 6, 30)
    )
    person = world.users.talent.person
    ledger_services.frontline_record(
        person=person,
        campaign=campaign,
        starts_on=date(2020, 2, 1),
        ends_on=None,
        description="隔离点保障",
        acting_user=world.users.unit_admin_a,
    )
    return person


def test_a_frontline_talent_records_a_need_and_the_unit_takes_and_resolves_it(
    world, frontline_talent
):
    talent = client_for(world, "talent")
    response = talent.post(
        "/care/",
        {
            "person": frontline_talent.pk,
            "category": "elder_care",
            "description": "母亲需要每周送药",
        },
    )
    need = FamilyNeed.objects.get()
    assert response["Location"] == f"/care/{need.pk}/"
    assert InboxMessage.objects.filter(recipient=world.users.unit_admin_a).exists()
    admin = client_for(world, "unit_admin_a")
    admin.post(f"/care/{need.pk}/take/")
    need.refresh_from_db()
    assert (
        need.status == FamilyNeed.Status.IN_PROGRESS
        and need.responsible == world.users.unit_admin_a
    )
    # The talent may write progress but not declare it solved.
    page = talent.get(f"/care/{need.pk}/").content.decode()
    assert "问题已解决" not in page
    admin.post(f"/care/{need.pk}/", {"text": "已安排社区志愿者送药", "resolve": "on"})
    need.refresh_from_db()
    assert need.status == FamilyNeed.Status.RESOLVED
    talent.post(f"/care/{need.pk}/", {"text": "这周药没有送到"})
    need.refresh_from_db()
    assert need.status == FamilyNeed.Status.IN_PROGRESS


def test_only_frontline_people_of_ones_own_units_get_a_need(world, frontline_talent):
    with pytest.raises(Exception, match="一线人员"):
        services.family_need_record(
            person=world.person_a,
            category="medical",
            description="x",
            acting_user=world.users.unit_admin_a,
        )
    with pytest.raises(Exception, match="一线人员"):
        services.family_need_record(
            person=frontline_talent,
            category="medical",
            description="x",
            acting_user=world.users.unit_admin_b,
        )
    assert not FamilyNeed.objects.exists()


def test_other_units_and_counsellors_cannot_see_a_need(world, frontline_talent):
    need = services.family_need_record(
        person=frontline_talent,
        category="medical",
        description="爱人需要产检",
        acting_user=world.users.talent,
    )
    for persona in ("unit_admin_b", "counsellor"):
        assert client_for(world, persona).get(f"/care/{need.pk}/").status_code == 404


def test_a_stalled_need_is_reminded_once_per_stall(world, frontline_talent):
    need = services.family_need_record(
        person=frontline_talent,
        category="childcare",
        description="孩子无人看护",
        acting_user=world.users.unit_admin_a,
    )
    FamilyNeed.objects.filter(pk=need.pk).update(
        last_activity_at=timezone.now() - timedelta(days=4)
    )
    assert services.stall_reminders_send() == 1
    assert services.stall_reminders_send() == 0
    services.family_need_take(need=need, acting_user=world.users.unit_admin_a)
    FamilyNeed.objects.filter(pk=need.pk).update(
        last_activity_at=timezone.now() - timedelta(days=5)
    )
    assert services.stall_reminders_send() == 1
    assert (
        InboxMessage.objects.filter(
            recipient=world.users.unit_admin_a, subject__contains="没有进展"
        ).count()
        == 2
    )
