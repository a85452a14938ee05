from datetime import date, timedelta

import pytest
from django.utils import timezone

from qunce.assistance import services
from qunce.assistance.matching import experts_for
from qunce.assistance.models import HelpRequest, Invitation
from qunce.conftest import client_for
from qunce.core.models import StateEvent
from qunce.ledger.models import LedgerEntry
from qunce.org.tests.factories import PersonFactory, UserFactory

Status = HelpRequest.Status


def _walk_to_resolved(world, help_request):
    office, expert = world.users.org_admin, world.users.talent
    services.help_request_triage(help_request=help_request, acting_user=office)
    services.help_request_invite(
        help_request=help_request, experts=[expert.person], acting_user=office
    )
    services.invitation_accept(help_request=help_request, acting_user=expert)
    services.consultation_log(
        help_request=help_request,
        acting_user=expert,
        held_on=timezone.localdate(),
        channel="wechat",
        minutes=90,
        advice="调整换热器旁通阀开度",
    )
    services.help_request_resolve(help_request=help_request, acting_user=expert, summary="温度稳定")


def test_matching_puts_the_metallurgist_first_with_reasons(experts, submitted):
    matches = experts_for(submitted)
    assert matches[0].expert_id == str(experts.users.talent.person.pk)
    assert any(reason.startswith("专长匹配") for reason in matches[0].reasons)
    assert "学科相关：0806 冶金工程" in matches[0].reasons


def test_the_index_sees_a_profile_changed_after_it_was_built(experts, submitted):
    experts_for(submitted)
    profile = experts.person_b.profile
    profile.keywords = "高炉煤气余热回收、高炉炼铁、余热回收系统"
    profile.refresh_search_text()
    profile.save()
    ranked = [match.expert_id for match in experts_for(submitted)]
    assert str(experts.person_b.pk) in ranked


def test_the_whole_way_from_submission_to_closing(experts, submitted):
    world = experts
    _walk_to_resolved(world, submitted)
    services.help_request_follow_up(
        help_request=submitted,
        acting_user=world.users.org_admin,
        satisfaction=5,
        solved=True,
        note="企业很满意",
    )
    services.help_request_close(help_request=submitted, acting_user=world.users.org_admin)
    submitted.refresh_from_db()
    assert submitted.status == Status.CLOSED
    steps = list(
        StateEvent.objects.filter(target_type="assistance.helprequest").values_list(
            "to_state", flat=True
        )
    )
    assert steps == [
        "triaged",
        "invited",
        "accepted",
        "in_service",
        "resolved",
        "followed_up",
        "closed",
    ]
    entry = LedgerEntry.objects.get()
    assert entry.person == world.users.talent.person and entry.role == "technician"
    assert entry.hours == 1.5 and entry.source_type == "assistance.consultation"
    assert "鞍山" not in entry.summary  # no requester detail in the ledger


def test_the_first_expert_to_accept_takes_it_and_the_others_are_released(experts, submitted):
    world = experts
    other = PersonFactory(unit=world.branch_a, user=UserFactory(username="expert2"))
    services.help_request_triage(help_request=submitted, acting_user=world.users.org_admin)
    services.help_request_invite(
        help_request=submitted,
        experts=[world.users.talent.person, other],
        acting_user=world.users.org_admin,
    )
    services.invitation_accept(help_request=submitted, acting_user=other.user)
    with pytest.raises(Exception, match="已由其他专家接单"):
        services.invitation_accept(help_request=submitted, acting_user=world.users.talent)
    statuses = dict(Invitation.objects.values_list("expert__user__username", "status"))
    assert statuses == {"expert2": "accepted", "talent": "released"}


def test_when_every_invited_expert_declines_the_request_returns_to_the_office(experts, submitted):
    world = experts
    services.help_request_triage(help_request=submitted, acting_user=world.users.org_admin)
    services.help_request_invite(
        help_request=submitted,
        experts=[world.users.talent.person],
        acting_user=world.users.org_admin,
    )
    with pytest.raises(Exception, match="婉拒的理由"):
        services.invitation_decline(
            help_request=submitted, acting_user=world.users.talent, reason=""
        )
    services.invitation_decline(
        help_request=submitted, acting_user=world.users.talent, reason="出差"
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.TRIAGED


def test_rejection_reason_is_shown_to_the_requester(experts, submitted):
    services.help_request_triage(
        help_request=submitted,
        acting_user=experts.users.org_admin,
        reject_reason="与学校专业领域无关",
    )
    page = client_for(experts, "anonymous").get(f"/help/t/{submitted.token}/").content.decode()
    assert "不予受理" in page and "与学校专业领域无关" in page


def test_a_transition_the_table_does_not_allow_is_refused(experts, submitted):
    with pytest.raises(Exception, match="不能从"):
        services.help_request_close(help_request=submitted, acting_user=experts.users.org_admin)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_an_expert_cannot_act_on_a_request_not_theirs(experts, submitted):
    world = experts
    _walk_to_resolved(world, submitted)
    response = client_for(world, "unit_admin_b").post(
        f"/assistance/{submitted.pk}/act/", {"action": "close"}
    )
    assert response.status_code == 404
    other = PersonFactory(unit=world.branch_a, user=UserFactory(username="outsider"))
    with pytest.raises(Exception, match="只有接单专家"):
        services.help_request_resolve(help_request=submitted, acting_user=other.user, summary="x")


def test_reopen_and_reassign_are_transitions(experts, submitted):
    world = experts
    _walk_to_resolved(world, submitted)
    services.help_request_reopen(
        help_request=submitted, acting_user=world.users.org_admin, reason="问题复发"
    )
    other = PersonFactory(unit=world.branch_a, user=UserFactory(username="expert3"))
    services.help_request_reassign(
        help_request=submitted,
        acting_user=world.users.org_admin,
        experts=[other],
        reason="原专家出差",
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.INVITED and submitted.expert is None


def test_requester_adds_information_and_rates_through_the_link(experts, submitted):
    client = client_for(experts, "anonymous")
    client.post(f"/help/t/{submitted.token}/", {"text": "补充：故障多发生在夜班"})
    assert submitted.requester_notes.get().text == "补充：故障多发生在夜班"
    early = client.post(f"/help/t/{submitted.token}/", {"rating": 5})
    assert early.status_code == 200  # not resolved yet: no rating form, nothing stored
    submitted.refresh_from_db()
    assert submitted.requester_rating is None
    _walk_to_resolved(experts, submitted)
    client.post(f"/help/t/{submitted.token}/", {"rating": 4, "comment": "及时"})
    submitted.refresh_from_db()
    assert submitted.requester_rating == 4


def test_wrong_or_expired_tracking_links_are_plain_404s(experts, submitted):
    client = client_for(experts, "anonymous")
    assert client.get("/help/t/not-a-token/").status_code == 404
    HelpRequest.objects.filter(pk=submitted.pk).update(
        token_expires_at=timezone.now() - timedelta(days=1)
    )
    assert client.get(f"/help/t/{submitted.token}/").status_code == 404


def test_reminders_go_once_per_waiting_step(experts, submitted):
    HelpRequest.objects.filter(pk=submitted.pk).update(
        submitted_at=timezone.now() - timedelta(hours=25)
    )
    assert services.reminders_send() == 1
    assert services.reminders_send() == 0


def test_triage_through_the_api_can_correct_the_industry(experts, submitted):
    client = client_for(experts, "org_admin")
    response = client.post(
        f"/api/v1/assistance/requests/{submitted.pk}/actions",
        {"action": "triage", "category": "process", "industry_code": "32"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["industry_code"] == "32" and response.json()["status"] == "triaged"
    bad = client.post(
        f"/api/v1/assistance/requests/{submitted.pk}/actions",
        {"action": "triage", "industry_code": "C"},
        content_type="application/json",
    )
    assert bad.status_code == 422


def test_a_consultation_cannot_be_dated_before_the_request_existed_in_beijing_time(
    experts, submitted
):
    """Submitted at 07:30 Beijing time, which is 23:30 UTC the evening before: a consultation
    on that UTC date would predate the request."""
    import datetime

    from django.core.exceptions import ValidationError

    beijing_day = timezone.localdate() - timedelta(days=10)
    submitted_at = datetime.datetime.combine(
        beijing_day, datetime.time(7, 30), tzinfo=timezone.get_current_timezone()
    )
    HelpRequest.objects.filter(pk=submitted.pk).update(submitted_at=submitted_at)
    office, expert = experts.users.org_admin, experts.users.talent
    services.help_request_triage(help_request=submitted, acting_user=office)
    services.help_request_invite(
        help_request=submitted, experts=[expert.person], acting_user=office
    )
    services.invitation_accept(help_request=submitted, acting_user=expert)
    values = {"channel": "wechat", "minutes": 30, "advice": "电话指导"}
    with pytest.raises(ValidationError, match="需求提交之后"):
        services.consultation_log(
            help_request=submitted,
            acting_user=expert,
            held_on=beijing_day - timedelta(days=1),
            **values,
        )
    assert not submitted.consultations.exists()
    services.consultation_log(
        help_request=submitted, acting_user=expert, held_on=beijing_day, **values
    )
    assert submitted.consultations.count() == 1


def test_the_expert_is_told_the_ledger_entry_waits_for_the_follow_up(client, experts, submitted):
    _walk_to_resolved(experts, submitted)
    client.force_login(experts.users.talent)
    url = f"/assistance/{submitted.pk}/"
    assert "回访需求方后，这次服务" in client.get(url).content.decode()
    services.help_request_follow_up(
        help_request=submitted,
        acting_user=experts.users.org_admin,
        satisfaction=5,
        solved=True,
        note="企业很满意",
    )
    assert "已记入您的贡献台账" in client.get(url).content.decode()


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
