"""What the second independent review found, pinned by tests."""

import json
from datetime import date, timedelta

from django.utils import timezone

from qunce.assistance import services
from qunce.assistance.models import HelpRequest
from qunce.conftest import client_for
from qunce.ledger.models import LedgerEntry
from qunce.org.tests.factories import PersonFactory, UserFactory

from .conftest import api_payload
from .test_workflow import _walk_to_resolved


def test_an_expert_who_declined_no_longer_sees_the_request(experts, submitted):
    world = experts
    services.help_request_triage(help_request=submitted, acting_user=world.users.org_admin)
    other = PersonFactory(unit=world.branch_a, user=UserFactory(username="expert9"))
    services.help_request_invite(
        help_request=submitted,
        experts=[world.users.talent.person, other],
        acting_user=world.users.org_admin,
    )
    services.invitation_decline(
        help_request=submitted, acting_user=world.users.talent, reason="出差"
    )
    assert client_for(world, "talent").get(f"/assistance/{submitted.pk}/").status_code == 404


def test_a_request_stuck_with_silent_invitees_can_be_reassigned(experts, submitted):
    world = experts
    services.help_request_triage(help_request=submitted, acting_user=world.users.org_admin)
    services.help_request_invite(
        help_request=submitted,
        experts=[world.users.talent.person],
        acting_user=world.users.org_admin,
    )
    other = PersonFactory(unit=world.branch_a, user=UserFactory(username="expert8"))
    services.help_request_reassign(
        help_request=submitted,
        acting_user=world.users.org_admin,
        experts=[other],
        reason="48 小时无人回复",
    )
    services.invitation_accept(help_request=submitted, acting_user=other.user)
    submitted.refresh_from_db()
    assert submitted.expert == other


def test_service_after_a_reopen_is_credited_too(experts, submitted):
    world = experts
    _walk_to_resolved(world, submitted)
    services.help_request_follow_up(
        help_request=submitted, acting_user=world.users.org_admin, satisfaction=4, solved=False
    )
    services.help_request_reopen(
        help_request=submitted, acting_user=world.users.org_admin, reason="复发"
    )
    services.consultation_log(
        help_request=submitted,
        acting_user=world.users.talent,
        held_on=timezone.localdate(),
        channel="phone",
        minutes=120,
        advice="再次调整",
    )
    services.help_request_resolve(
        help_request=submitted, acting_user=world.users.talent, summary="稳定"
    )
    services.help_request_follow_up(
        help_request=submitted, acting_user=world.users.org_admin, satisfaction=5, solved=True
    )
    assert sorted(LedgerEntry.objects.values_list("hours", flat=True)) == [1.5, 2.0]


def test_a_follow_up_after_the_campaign_ended_still_succeeds(experts, submitted):
    world = experts
    _walk_to_resolved(world, submitted)
    submitted.campaign.ends_on = timezone.localdate() - timedelta(days=1)
    submitted.campaign.starts_on = date(2020, 1, 25)
    submitted.campaign.save()
    services.help_request_follow_up(
        help_request=submitted, acting_user=world.users.org_admin, satisfaction=5, solved=True
    )
    submitted.refresh_from_db()
    assert submitted.status == HelpRequest.Status.FOLLOWED_UP
    assert not LedgerEntry.objects.exists()


def test_blank_and_nul_input_through_the_api_is_a_422(world, campaign):
    client = client_for(world, "anonymous")
    payload = api_payload(organization="  ")
    blank = client.post("/api/v1/help/requests", payload, content_type="application/json")
    assert blank.status_code == 422
    nul = client.post(
        "/api/v1/help/requests",
        json.dumps({**payload, "organization": "某厂", "description": "能耗\u0000高"}),
        content_type="application/json",
    )
    assert nul.status_code == 422
    assert not HelpRequest.objects.exists()
