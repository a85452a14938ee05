"""Consent before collection (PIPL Arts. 14, 29): the check-in asks for it first, a new version
asks again, and a withdrawal stops what it covers."""

import datetime
import json

from django.utils import timezone

from qunce.conftest import client_for
from qunce.consents import services as consent_services
from qunce.consents.models import Consent, ConsentDecision
from qunce.health import services
from qunce.health.models import Checkin

from .conftest import healthy_answers, healthy_form

API = "/api/v1/health/checkins"


def post_json(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def _never_agreed(user):
    Consent.objects.filter(user=user).delete()
    ConsentDecision.objects.filter(user=user).delete()


def test_the_first_check_in_shows_the_notices_and_collects_nothing_before_agreement(world, policy):
    talent = world.users.talent
    _never_agreed(talent)
    client = client_for(world, "talent")
    page = client.get("/health/").content.decode()
    assert "开始打卡前，请阅读个人信息处理告知书" in page
    assert "《健康打卡个人信息处理告知书》（第 1 版）" in page
    assert "《行程与所在地信息处理告知书》（第 1 版）" in page
    assert 'name="temperature"' not in page

    client.post("/health/", healthy_form(idempotency_key="before-consent-1"))
    assert not Checkin.objects.exists()

    response = client.post(
        "/consents/agree/",
        {
            "purposes": ["health", "whereabouts"],
            "version_health": "1",
            "version_whereabouts": "1",
            "next": "/health/",
        },
    )
    assert response["Location"] == "/health/"
    assert 'name="temperature"' in client.get("/health/").content.decode()
    assert (
        client.post("/health/", healthy_form(idempotency_key="after-consent-1")).status_code == 302
    )
    assert Checkin.objects.get().region_id == "210211"
    decisions = ConsentDecision.objects.filter(user=talent)
    assert {(d.purpose, d.notice.version, d.to_status) for d in decisions} == {
        ("health", 1, "given"),
        ("whereabouts", 1, "given"),
    }


def test_the_api_names_the_missing_consent_and_takes_it(world, policy):
    _never_agreed(world.users.talent)
    client = client_for(world, "talent")
    response = post_json(client, API, healthy_answers())
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "consent"] and "健康打卡个人信息处理告知书" in error["msg"]
    assert not Checkin.objects.exists()

    listed = client.get("/api/v1/consents").json()
    health = next(row for row in listed["standing"] if row["purpose"] == "health")
    assert health["notice"]["version"] == 1 and health["in_force"] is False
    for purpose in ("health", "whereabouts"):
        agreed = post_json(client, "/api/v1/consents", {"purpose": purpose, "version": 1})
        assert agreed.status_code == 200
    assert post_json(client, API, healthy_answers()).status_code == 201
    assert ConsentDecision.objects.filter(user=world.users.talent, via="api").count() == 2


def test_a_new_version_asks_again_and_the_old_one_is_refused(world, policy):
    client = client_for(world, "talent")
    consent_services.notice_publish(
        acting_user=world.users.org_admin,
        purpose="health",
        title="健康打卡个人信息处理告知书",
        body="收集什么：体温和症状。\n保存多久：专项行动结束后 30 天。",
        changes="保存期限改为 30 天",
    )
    page = client.get("/health/").content.decode()
    assert "（第 2 版）" in page and "保存期限改为 30 天" in page
    assert post_json(client, API, healthy_answers()).status_code == 422

    stale = post_json(client, "/api/v1/consents", {"purpose": "health", "version": 1})
    (error,) = stale.json()["detail"]
    assert error["loc"] == ["body", "version"] and "已更新为第 2 版" in error["msg"]
    assert (
        post_json(client, "/api/v1/consents", {"purpose": "health", "version": 2}).status_code
        == 200
    )
    assert post_json(client, API, healthy_answers()).status_code == 201
    versions = ConsentDecision.objects.filter(user=world.users.talent, purpose="health")
    assert sorted(d.notice.version for d in versions) == [1, 2]
    mine = client.get("/consents/").content.decode()
    assert "已同意第 2 版" in mine


def test_withdrawing_health_stops_the_check_in_and_is_recorded(world, policy):
    client = client_for(world, "talent")
    assert client.post("/consents/health/withdraw/").status_code == 302
    consent = Consent.objects.get(user=world.users.talent, purpose="health")
    assert consent.status == "withdrawn"
    assert ConsentDecision.objects.filter(
        user=world.users.talent, purpose="health", to_status="withdrawn", from_status="given"
    ).exists()
    assert post_json(client, API, healthy_answers()).status_code == 422
    client.post("/health/", healthy_form(idempotency_key="after-withdraw-1"))
    assert not Checkin.objects.exists()
    assert "已撤回" in client.get("/consents/").content.decode()


def test_without_whereabouts_the_form_asks_no_place_and_the_api_refuses_one(world, policy):
    client = client_for(world, "talent")
    client.post("/consents/whereabouts/withdraw/")
    page = client.get("/health/").content.decode()
    assert "今日打卡不填报所在地和行程" in page
    assert 'name="province"' not in page and 'name="visited_risk_area"' not in page
    assert 'name="temperature"' in page

    refused = post_json(client, API, healthy_answers())
    assert refused.status_code == 422
    fields = {tuple(error["loc"])[-1] for error in refused.json()["detail"]}
    assert {"region", "visited_risk_area"} <= fields

    answers = healthy_answers(region=None, on_campus=None, visited_risk_area=None)
    assert post_json(client, API, answers).status_code == 201
    checkin = Checkin.objects.get()
    assert checkin.region_id is None and checkin.visited_risk_area is None


def test_one_tap_repeats_yesterday_without_the_place_once_whereabouts_is_withdrawn(world, policy):
    person = world.users.talent.person
    yesterday = timezone.now() - datetime.timedelta(days=1)
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers(), now=yesterday)
    client = client_for(world, "talent")
    client.post("/consents/whereabouts/withdraw/")
    client.post("/health/same/", {"idempotency_key": "same-as-yesterday-1"})
    today = Checkin.objects.get(day=timezone.localdate())
    assert today.region_id is None and today.temperature is not None
