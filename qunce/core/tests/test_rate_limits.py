"""Every public link and token guess has a budget per address: 429 with Retry-After."""

import json

import pytest
from django.test import Client

from qunce.accounts.services import api_token_create
from qunce.assistance import services as assistance_services
from qunce.assistance.tests.conftest import request_values
from qunce.counselling import services as counselling_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.PUBLIC_LINK_RATE = "3/m"
    settings.TOKEN_FAILURE_RATE = "3/m"


def _within_budget_then_refused(get, budget=3):
    for _ in range(budget):
        assert get().status_code == 200
    refused = get()
    assert refused.status_code == 429, refused.status_code
    assert refused["Retry-After"] == "60"
    return refused


def test_a_help_requests_tracking_link_page_and_api(world, tight):
    _, token = assistance_services.help_request_submit(**request_values())
    client = Client()
    _within_budget_then_refused(lambda: client.get(f"/help/t/{token}/"))
    # The API shares the address's budget: already spent.
    api = client.get(f"/api/v1/help/requests/track/{token}")
    assert api.status_code == 429 and api["Retry-After"] == "60"
    assert "访问过于频繁" in api.json()["detail"]
    rating = client.post(
        f"/api/v1/help/requests/track/{token}/rating",
        json.dumps({"rating": 5}),
        content_type="application/json",
    )
    assert rating.status_code == 429


def test_a_counselling_requests_status_link_page_and_api(world, tight):
    _, token = counselling_services.counselling_request(
        requester=None,
        anonymous=True,
        category="mood",
        channel="phone",
        contact="13912345678",
        time_window="晚上",
        description="最近睡不好",
        consent_version=1,
    )
    client = Client()
    _within_budget_then_refused(lambda: client.get(f"/counselling/s/{token}/"))
    assert client.get(f"/api/v1/counselling/status/{token}").status_code == 429


def test_an_address_guessing_tokens_is_stopped_even_with_a_good_one(world, tight):
    _, good = api_token_create(user=world.users.talent, name="自用", acting_user=world.users.talent)
    client = Client()
    statuses = [
        client.get("/api/v1/me", headers={"Authorization": f"Bearer qc_guess{n}"}).status_code
        for n in range(5)
    ]
    assert statuses[:4] == [401] * 4 and statuses[4] == 429
    stopped = client.get("/api/v1/me", headers={"Authorization": f"Bearer {good}"})
    assert stopped.status_code == 429 and stopped["Retry-After"] == "60"
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert (
        other_address.get("/api/v1/me", headers={"Authorization": f"Bearer {good}"}).status_code
        == 200
    )
