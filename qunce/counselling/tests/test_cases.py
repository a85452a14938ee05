from datetime import date, timedelta

import pytest
from django.db import connection

from qunce.conftest import client_for
from qunce.core.models import InboxMessage, StateEvent
from qunce.counselling import services
from qunce.counselling.models import CaseAccess, CaseTally, CounsellingCase
from qunce.counselling.selectors import counts
from qunce.ledger.models import LedgerEntry
from qunce.org.models import Campaign
from qunce.org.tests.factories import Role, UserFactory, grant


@pytest.fixture
def coordinator(world):
    user = UserFactory(username="coordinator")
    grant(user, Role.COUNSELLING_COORDINATOR)
    return user


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        name="行动", starts_on=date(2020, 1, 25), status=Campaign.Status.ACTIVE
    )


def _ask(world, **overrides):
    values = {
        "requester": world.users.talent,
        "anonymous": False,
        "category": "mood",
        "channel": "phone",
        "time_window": "晚上",
        "description": "最近总是睡不着",
        "consent_version": 1,
        "contact_name": "小李",
        "contact": "13900000000",
    }
    values.update(overrides)
    return services.counselling_request(**values)[0]


def test_content_is_encrypted_at_rest(world, coordinator):
    case = _ask(world)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT description, contact FROM counselling_counsellingcase WHERE id = %s", [case.pk]
        )
        description, contact = cursor.fetchone()
    assert "睡不着" not in description and "13900000000" not in contact
    assert CounsellingCase.objects.get(pk=case.pk).description == "最近总是睡不着"


def test_a_request_with_no_way_back_is_refused(world, coordinator):
    with pytest.raises(Exception, match="联系方式"):
        _ask(world, contact="")
    anonymous = _ask(world, anonymous=True, contact="", channel="anonymous_message")
    assert anonymous.requester is None and anonymous.contact_name == ""
    assert CounsellingCase.objects.count() == 1


def test_danger_words_raise_the_case_show_hotlines_and_alert_the_coordinator(world, coordinator):
    response = client_for(world, "anonymous").post(
        "/counselling/ask/",
        {
            "category": "mood",
            "channel": "anonymous_message",
            "time_window": "现在",
            "description": "我真的不想活了",
            "anonymous": "on",
            "consented": "on",
            "consent_version": "1",
        },
    )
    assert "12356" in response.content.decode()
    case = CounsellingCase.objects.get()
    assert case.crisis and case.urgency == "urgent"
    assert InboxMessage.objects.filter(
        recipient=coordinator, subject__startswith="【危机】"
    ).exists()


def test_only_the_assigned_counsellor_reads_and_every_read_is_logged(world, coordinator):
    case = _ask(world)
    services.case_assign(case=case, counsellor=world.users.counsellor, acting_user=coordinator)
    page = client_for(world, "counsellor").get(f"/counselling/{case.pk}/")
    assert "最近总是睡不着" in page.content.decode()
    assert (
        CaseAccess.objects.filter(case=case, user=world.users.counsellor, action="read").count()
        == 1
    )
    for persona in ("org_admin", "unit_admin_a", "talent"):
        assert client_for(world, persona).get(f"/counselling/{case.pk}/").status_code == 404
    routing = client_for(world, "anonymous")
    routing.force_login(coordinator)
    route_page = routing.get(f"/counselling/{case.pk}/route/").content.decode()
    assert "睡不着" not in route_page and "13900000000" not in route_page
    assert CaseAccess.objects.filter(case=case, user=coordinator, action="route").exists()


def test_org_admins_see_counts_only(world, coordinator):
    _ask(world)
    page = client_for(world, "org_admin").get("/counselling/").content.decode()
    assert "睡不着" not in page and "个案总数" in page


def test_only_counsellors_can_be_assigned_and_only_by_a_coordinator(world, coordinator):
    case = _ask(world)
    with pytest.raises(Exception, match="不是心理咨询师"):
        services.case_assign(case=case, counsellor=world.users.talent, acting_user=coordinator)
    with pytest.raises(Exception, match="协调员"):
        services.case_assign(
            case=case, counsellor=world.users.counsellor, acting_user=world.users.org_admin
        )


def test_sessions_then_closing_writes_hours_not_content_to_the_ledger(world, coordinator, campaign):
    case = _ask(world)
    services.case_assign(case=case, counsellor=world.users.counsellor, acting_user=coordinator)
    services.case_session_log(
        case=case,
        acting_user=world.users.counsellor,
        held_on=date.today(),
        minutes=90,
        content="放松训练，约定下周再谈",
    )
    services.case_close(case=case, acting_user=world.users.counsellor)
    entry = LedgerEntry.objects.get()
    assert entry.role == "counsellor" and entry.hours == 1.5
    assert "放松" not in entry.summary and "睡不着" not in entry.summary
    steps = StateEvent.objects.filter(target_type="counselling.counsellingcase").values_list(
        "to_state", flat=True
    )
    assert list(steps) == ["assigned", "in_sessions", "closed"]
    assert all(event.note == "" for event in StateEvent.objects.all())


def test_a_counsellor_cannot_write_in_a_case_not_theirs(world, coordinator):
    case = _ask(world)
    other = UserFactory(username="counsellor2")
    grant(other, Role.COUNSELLOR)
    services.case_assign(case=case, counsellor=other, acting_user=coordinator)
    with pytest.raises(Exception, match="被分派的咨询师"):
        services.case_session_log(
            case=case,
            acting_user=world.users.counsellor,
            held_on=date.today(),
            minutes=30,
            content="x",
        )


def test_cases_are_purged_after_retention_leaving_counts(world, coordinator):
    ended = Campaign.objects.create(
        name="旧行动", starts_on=date(2020, 1, 1), ends_on=date(2020, 6, 30), retention_days=30
    )
    case = _ask(world)
    CounsellingCase.objects.filter(pk=case.pk).update(campaign=ended)
    assert services.counselling_purge(today=date(2020, 7, 15)) == 0
    assert services.counselling_purge(today=date(2020, 8, 15)) == 1
    assert not CounsellingCase.objects.exists()
    tally = CaseTally.objects.get()
    assert (tally.cases, tally.category) == (1, "mood")


def test_the_status_link_shows_no_content(world, coordinator):
    _case, token = services.counselling_request(
        requester=world.users.talent,
        anonymous=True,
        category="study",
        channel="anonymous_message",
        time_window="周末",
        description="考试焦虑",
        consent_version=1,
    )
    page = client_for(world, "anonymous").get(f"/counselling/s/{token}/").content.decode()
    assert "待分派" in page and "考试焦虑" not in page
    assert client_for(world, "anonymous").get("/counselling/s/wrong/").status_code == 404


def test_an_anonymous_requester_and_the_counsellor_talk_through_the_status_link(world, coordinator):
    case, token = services.counselling_request(
        requester=world.users.talent,
        anonymous=True,
        category="study",
        channel="anonymous_message",
        time_window="周末",
        description="考试焦虑",
        consent_version=1,
    )
    services.case_assign(case=case, counsellor=world.users.counsellor, acting_user=coordinator)
    anonymous = client_for(world, "anonymous")
    anonymous.post(f"/counselling/s/{token}/", {"text": "这周考试，很紧张"})
    counsellor = client_for(world, "counsellor")
    assert "这周考试，很紧张" in counsellor.get(f"/counselling/{case.pk}/").content.decode()
    counsellor.post(f"/counselling/{case.pk}/", {"text": "先做三次深呼吸，我们周六聊"})
    assert "我们周六聊" in anonymous.get(f"/counselling/s/{token}/").content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM counselling_casemessage")
        assert all("考试" not in row[0] for row in cursor.fetchall())


def test_a_crisis_reaches_org_admins_when_nobody_coordinates(world):
    services.counselling_request(
        requester=world.users.talent,
        anonymous=True,
        category="mood",
        channel="anonymous_message",
        time_window="现在",
        description="不想活了",
        consent_version=1,
    )
    assert InboxMessage.objects.filter(
        recipient=world.users.org_admin, subject__startswith="【危机】"
    ).exists()
    assert "现在" not in InboxMessage.objects.get(recipient=world.users.org_admin).body


def test_lists_and_the_status_link_are_logged_reads(world, coordinator):
    case, token = services.counselling_request(
        requester=world.users.talent,
        anonymous=True,
        category="study",
        channel="anonymous_message",
        time_window="周末",
        description="考试焦虑",
        consent_version=1,
    )
    client = client_for(world, "anonymous")
    client.force_login(coordinator)
    client.get("/counselling/")
    client_for(world, "anonymous").get(f"/counselling/s/{token}/")
    assert set(CaseAccess.objects.filter(case=case).values_list("action", flat=True)) == {
        "route_list",
        "status_link",
    }


def test_cases_without_a_campaign_are_purged_too_and_counts_survive(world, coordinator):
    case = _ask(world)
    services.case_assign(case=case, counsellor=world.users.counsellor, acting_user=coordinator)
    services.case_session_log(
        case=case, acting_user=world.users.counsellor, held_on=date.today(), minutes=30, content="x"
    )
    services.case_close(case=case, acting_user=world.users.counsellor)
    client_for(world, "counsellor").get(f"/counselling/{case.pk}/")
    assert case.campaign is None
    assert services.counselling_purge(today=date.today() + timedelta(days=181)) == 1
    assert CaseAccess.objects.filter(case_number=case.pk).exists()  # the read log outlives the case
    assert counts()["total"] == 1 and counts()["purged"] == 1


def test_refused_attempts_to_open_a_case_are_logged_on_pages_and_api(world, coordinator):
    case = _ask(world)
    services.case_assign(case=case, counsellor=world.users.counsellor, acting_user=coordinator)
    routing = client_for(world, "anonymous")
    routing.force_login(coordinator)
    attempts = [
        (client_for(world, persona), persona) for persona in ("org_admin", "unit_admin_a", "talent")
    ] + [(routing, "coordinator")]
    for client, _persona in attempts:
        assert client.get(f"/counselling/{case.pk}/").status_code == 404
        assert client.get(f"/api/v1/counselling/cases/{case.pk}").status_code in (403, 404)
    refused = CaseAccess.objects.filter(case=case, action="refused_read")
    assert refused.count() == 8
    assert {row.user.username for row in refused} == {
        "org_admin",
        "unit_admin_a",
        "talent",
        "coordinator",
    }
    # A number that is no case is a plain 404, with nothing to log.
    assert client_for(world, "talent").get("/counselling/999999/").status_code == 404
    assert CaseAccess.objects.filter(action="refused_read").count() == 8
