"""The counselling notice is agreed to before anything is written, and kept on the case; an
anonymous request leaves no trace on the asker's own account."""

import json

import pytest

from qunce.conftest import client_for
from qunce.consents import services as consent_services
from qunce.consents.models import ConsentDecision
from qunce.counselling.models import CaseMessage, CounsellingCase
from qunce.counselling.tests.factories import counselling_asked
from qunce.org.tests.factories import Role, UserFactory, grant

FORM = {
    "category": "mood",
    "channel": "anonymous_message",
    "time_window": "晚上",
    "description": "最近总是睡不着",
    "anonymous": "on",
}


@pytest.fixture
def coordinator(world):
    user = UserFactory(username="coordinator")
    grant(user, Role.COUNSELLING_COORDINATOR)
    return user


def test_the_form_shows_the_notice_and_refuses_without_the_tick(world, coordinator):
    client = client_for(world, "anonymous")
    page = client.get("/counselling/ask/").content.decode()
    assert "《心理咨询个人信息处理告知书》（第 1 版）" in page and "谁能看到" in page
    refused = client.post("/counselling/ask/", {**FORM, "consent_version": "1"}).content.decode()
    assert "请阅读并同意告知书后再提交" in refused
    assert not CounsellingCase.objects.exists()


def test_a_request_keeps_the_version_agreed_to(world, coordinator):
    client = client_for(world, "anonymous")
    client.post("/counselling/ask/", {**FORM, "consented": "on", "consent_version": "1"})
    assert CounsellingCase.objects.get().consent_notice.version == 1


def test_a_request_against_an_old_or_missing_version_is_refused(world, coordinator):
    consent_services.notice_publish(
        acting_user=world.users.org_admin, purpose="counselling", title="心理咨询告知书", body="新"
    )
    client = client_for(world, "anonymous")
    page = client.post(
        "/counselling/ask/", {**FORM, "consented": "on", "consent_version": "1"}
    ).content.decode()
    assert "已更新为第 2 版" in page
    api = client.post(
        "/api/v1/counselling/requests",
        json.dumps({**FORM, "anonymous": True, "consent_version": 99}),
        content_type="application/json",
    )
    assert api.status_code == 422 and api.json()["detail"][0]["loc"][-1] == "consent_version"
    missing = client.post(
        "/api/v1/counselling/requests",
        json.dumps({**FORM, "anonymous": True}),
        content_type="application/json",
    )
    assert missing.status_code == 422
    assert not CounsellingCase.objects.exists()


def test_a_named_request_records_the_consent_an_anonymous_one_does_not(world, coordinator):
    talent = world.users.talent
    by_phone = {"channel": "phone", "contact": "13900000000"}
    counselling_asked(talent, anonymous=True, **by_phone)
    assert not ConsentDecision.objects.filter(user=talent, purpose="counselling").exists()
    counselling_asked(talent, **by_phone)
    assert ConsentDecision.objects.filter(user=talent, purpose="counselling").count() == 1


def test_after_withdrawal_the_requester_can_write_no_more(world, coordinator):
    case, token = counselling_asked(world.users.talent)
    client_for(world, "talent").post("/consents/counselling/withdraw/")
    page = (
        client_for(world, "anonymous")
        .post(f"/counselling/s/{token}/", {"text": "还是睡不着"})
        .content.decode()
    )
    assert "您已撤回心理咨询授权" in page
    assert not CaseMessage.objects.filter(case=case).exists()


def test_a_new_notice_version_does_not_cut_an_open_case_off(world, coordinator):
    case, token = counselling_asked(world.users.talent)
    consent_services.notice_publish(
        acting_user=world.users.org_admin, purpose="counselling", title="心理咨询告知书", body="新"
    )
    client_for(world, "anonymous").post(f"/counselling/s/{token}/", {"text": "还是睡不着"})
    assert CaseMessage.objects.filter(case=case).count() == 1


def test_a_form_opened_before_a_new_version_shows_the_new_one(world, coordinator):
    consent_services.notice_publish(
        acting_user=world.users.org_admin, purpose="counselling", title="心理咨询告知书", body="新"
    )
    page = (
        client_for(world, "anonymous")
        .post("/counselling/ask/", {**FORM, "consented": "on", "consent_version": "1"})
        .content.decode()
    )
    assert "已更新为第 2 版" in page and 'name="consent_version" value="2"' in page
    assert "最近总是睡不着" in page
