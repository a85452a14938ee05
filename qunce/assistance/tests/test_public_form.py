import json

import pytest

from qunce.assistance.models import HelpRequest
from qunce.conftest import client_for

from .conftest import api_payload


def _form(**overrides):
    data = {
        "requester_type": "farmer",
        "organization": "台安县某蔬菜合作社",
        "contact_name": "李大姐",
        "mobile": "13912345678",
        "province": "210000",
        "city": "210300",
        "county": "210321",
        "industry": "01",
        "category": "farming",
        "description": "大棚黄瓜叶片出现黄斑，怀疑霜霉病",
        "urgency": "normal",
        "preferred_channel": "phone",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_a_farmer_submits_without_an_account_and_gets_a_private_link(world, campaign):
    client = client_for(world, "anonymous")
    response = client.post("/help/", _form())
    assert response.status_code == 200
    link = response.context["tracking_url"]
    help_request = HelpRequest.objects.get()
    assert help_request.region_id == "210321" and help_request.campaign == campaign
    assert link.split("/help/t/")[1].strip("/") not in help_request.token_digest
    assert "已提交" in client.get(link).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"mobile": "12345"}, "手机号码"),
        ({"description": ""}, "这个字段是必填项"),
        ({"description": "长" * 20000}, "5000"),
        ({"county": "999999"}, "选择一个有效的选项"),
        ({"city": "210100", "county": "210321"}, "区县不属于所选城市"),
        ({"industry": "ZZ"}, "选择一个有效的选项"),
        ({"consent": ""}, "同意"),
    ],
)
def test_bad_input_gets_a_message_and_nothing_is_written(world, campaign, overrides, field_message):
    response = client_for(world, "anonymous").post("/help/", _form(**overrides))
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_the_same_form_twice_is_refused_the_second_time(world, campaign):
    client = client_for(world, "anonymous")
    client.post("/help/", _form())
    again = client.post("/help/", _form())
    assert "请勿重复提交" in again.content.decode()
    assert HelpRequest.objects.count() == 1


def test_one_address_is_rate_limited(world, campaign, settings):
    settings.PUBLIC_FORM_RATE = "2/h"
    client = client_for(world, "anonymous")
    for number in range(2):
        client.post("/help/", _form(mobile=f"1391234567{number}"))
    blocked = client.post("/help/", _form(mobile="13912345679"))
    assert blocked.status_code == 429 and blocked["Retry-After"] == "3600"
    assert HelpRequest.objects.count() == 2


def test_the_region_cascade_lists_cities_then_counties(world):
    client = client_for(world, "anonymous")
    cities = client.get("/help/regions/", {"parent": "210000"}).content.decode()
    assert "鞍山市" in cities and "<html" not in cities
    assert "铁东区" in client.get("/help/regions/", {"parent": "210300"}).content.decode()
    assert client.get("/help/regions/", {"parent": "x"}).status_code == 200


def test_the_api_submits_and_tracks_with_the_token(world, campaign):
    client = client_for(world, "anonymous")
    payload = api_payload()
    response = client.post("/api/v1/help/requests", payload, content_type="application/json")
    assert response.status_code == 201
    token = response.json()["tracking_token"]
    assert client.get(f"/api/v1/help/requests/track/{token}").json()["status"] == "submitted"
    bad = client.post(
        "/api/v1/help/requests",
        {**payload, "region_code": "999999", "mobile": "13700002222"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][-1] == "region_code"


def test_the_page_and_the_api_share_one_budget_per_address(world, campaign, settings):
    settings.PUBLIC_FORM_RATE = "2/h"
    client = client_for(world, "anonymous")
    client.post("/help/", _form(mobile="13912340001"))
    payload = {
        "requester_type": "farmer",
        "organization": "某合作社",
        "contact_name": "李大姐",
        "mobile": "13912340002",
        "region_code": "210321",
        "industry_code": "01",
        "category": "farming",
        "description": "黄瓜霜霉病",
        "preferred_channel": "phone",
        "consent": True,
    }
    assert (
        client.post("/api/v1/help/requests", payload, content_type="application/json").status_code
        == 201
    )
    third = client.post(
        "/api/v1/help/requests",
        {**payload, "mobile": "13912340003"},
        content_type="application/json",
    )
    assert third.status_code == 429 and third["Retry-After"] == "3600"


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
