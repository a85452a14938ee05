"""Consent records, notices and their bad input."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qunce.conftest import client_for
from qunce.consents import services
from qunce.consents.models import Consent, ConsentDecision, ConsentNotice


def post_json(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def test_every_purpose_has_a_first_notice_in_plain_chinese(db):
    notices = {notice.purpose: notice for notice in ConsentNotice.objects.filter(version=1)}
    assert set(notices) == {"health", "whereabouts", "counselling"}
    for notice in notices.values():
        text = notice.body
        assert "收集什么" in text and "谁能看到" in text and "保存多久" in text and "撤回" in text


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"purpose": "health", "version": 7}, "version", "没有第 7 版"),
        ({"purpose": "health", "version": 0}, "version", ""),
        ({"purpose": "health", "version": 2**63}, "version", ""),
        ({"purpose": "shopping", "version": 1}, "purpose", ""),
    ],
)
def test_a_consent_to_a_version_or_purpose_that_does_not_exist_is_refused(
    world, body, field, message
):
    client = client_for(world, "talent")
    before = ConsentDecision.objects.count()
    response = post_json(client, "/api/v1/consents", body)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"][-1] == field and message in error["msg"]
    assert ConsentDecision.objects.count() == before


def test_the_page_refuses_a_version_that_does_not_exist_with_a_message(world):
    client = client_for(world, "talent")
    response = client.post(
        "/consents/agree/", {"purposes": "health", "version_health": "9"}, follow=True
    )
    assert "没有第 9 版" in response.content.decode()
    nothing = client.post("/consents/agree/", {}, follow=True)
    assert "请勾选要同意的告知书" in nothing.content.decode()


def test_withdrawing_what_was_never_given_or_an_unknown_purpose_is_a_message_not_an_error(world):
    client = client_for(world, "talent")
    page = client.post("/consents/counselling/withdraw/", follow=True).content.decode()
    assert "无需撤回" in page
    assert client.post("/consents/shopping/withdraw/", follow=True).status_code == 200
    response = post_json(client, "/api/v1/consents/counselling/withdraw")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "purpose"
    assert post_json(client, "/api/v1/consents/shopping/withdraw").status_code == 422


def test_agreeing_twice_to_the_same_version_records_one_decision(world):
    user = world.users.talent
    before = ConsentDecision.objects.filter(user=user).count()
    services.consent_give(user=user, purpose="health", version=1)
    assert ConsentDecision.objects.filter(user=user).count() == before


def test_withdraw_then_agree_again_keeps_the_whole_history(world):
    client = client_for(world, "talent")
    client.post("/consents/whereabouts/withdraw/")
    client.post("/consents/agree/", {"purposes": "whereabouts", "version_whereabouts": "1"})
    steps = ConsentDecision.objects.filter(user=world.users.talent, purpose="whereabouts").order_by(
        "at", "id"
    )
    assert [(step.from_status, step.to_status) for step in steps] == [
        ("", "given"),
        ("given", "withdrawn"),
        ("withdrawn", "given"),
    ]
    page = client.get("/consents/").content.decode()
    assert page.count("撤回授权") >= 2 and "已撤回" in page


def test_the_decisions_outlive_the_account(world):
    user = world.users.talent
    user_id = user.pk
    user.person.delete()
    user.delete()
    kept = ConsentDecision.objects.filter(username="talent")
    # Never updated: the rows keep the id of the account that is gone.
    assert kept.count() == 2 and all(decision.user_id == user_id for decision in kept)


def test_only_org_admins_publish_a_new_version(world):
    with pytest.raises(PermissionDenied):
        services.notice_publish(
            acting_user=world.users.unit_admin_a, purpose="health", title="t", body="b"
        )
    client = client_for(world, "org_admin")
    response = client.post(
        "/consents/notices/",
        {"purpose": "whereabouts", "title": "行程告知书", "body": "收集什么：所在城市。"},
    )
    assert response.status_code == 302
    assert ConsentNotice.objects.filter(purpose="whereabouts").count() == 2
    page = client.get("/consents/notices/").content.decode()
    assert "待重新同意" in page and "现行" in page
    assert client_for(world, "unit_admin_a").post("/consents/notices/", {}).status_code == 403


def test_a_notice_without_text_is_refused_at_its_field(world):
    client = client_for(world, "org_admin")
    page = client.post(
        "/consents/notices/", {"purpose": "health", "title": "", "body": ""}
    ).content.decode()
    assert page.count("这个字段是必填项") >= 2
    assert ConsentNotice.objects.filter(purpose="health").count() == 1
    with pytest.raises(ValidationError):
        services.notice_publish(
            acting_user=world.users.org_admin, purpose="health", title="  ", body="正文"
        )


def test_the_current_version_counts_are_per_purpose(world):
    services.notice_publish(
        acting_user=world.users.org_admin, purpose="health", title="新版", body="正文"
    )
    services.consent_give(user=world.users.talent, purpose="health", version=2)
    page = client_for(world, "org_admin").get("/consents/notices/").content.decode()
    # Five personas agreed to version 1; one has agreed to version 2.
    assert "<td>健康打卡</td><td>第 2 版</td><td>1</td><td>4</td><td>0</td>" in page
    assert Consent.objects.filter(purpose="health", notice__version=1).count() == 4
