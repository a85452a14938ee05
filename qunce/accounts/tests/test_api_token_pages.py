"""API tokens from a page: the org admin creates (name, account, scope), sees the token once,
sees when each was last used, and revokes it."""

import json
import re

import pytest
from django.test import Client

from qunce.accounts.models import ApiToken
from qunce.conftest import client_for
from qunce.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create(world, **body):
    page = client_for(world, "org_admin").post(
        "/accounts/tokens/",
        {"name": "数据中心同步", "scope": "read", "lifetime_days": "365"} | body,
    )
    return page, re.search(r'<code class="token">(qc_[^<]+)</code>', page.content.decode())


def test_a_read_only_token_queries_but_cannot_write(world):
    page, found = _create(world, username="unit_admin_a")
    assert page.status_code == 200 and found, "the new token is shown once"
    token = ApiToken.objects.get()
    assert token.user == world.users.unit_admin_a and token.scope == "read"
    assert found.group(1) not in token.digest
    headers = {"Authorization": f"Bearer {found.group(1)}"}
    client = Client()
    assert client.get("/api/v1/me", headers=headers).json()["username"] == "unit_admin_a"
    refused = client.patch(
        f"/api/v1/people/{world.person_a.pk}",
        json.dumps({"post": "教研室主任"}),
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 403
    assert "只读" in refused.json()["detail"]
    world.person_a.refresh_from_db()
    assert world.person_a.post != "教研室主任"

    listing = client_for(world, "org_admin").get("/accounts/tokens/").content.decode()
    assert "数据中心同步" in listing and "只读" in listing
    assert found.group(1) not in listing, "shown only on the page that created it"
    assert "从未使用" not in listing


def test_a_write_token_may_change_what_its_account_may(world):
    _, found = _create(world, username="unit_admin_a", scope="write")
    response = Client().patch(
        f"/api/v1/people/{world.person_a.pk}",
        json.dumps({"post": "教研室主任"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {found.group(1)}"},
    )
    assert response.status_code == 200


def test_without_an_account_the_token_is_the_admins_own(world):
    _create(world)
    assert ApiToken.objects.get().user == world.users.org_admin


def test_revoking_stops_the_token_at_once_and_is_audited(world):
    _, found = _create(world)
    token = ApiToken.objects.get()
    client = client_for(world, "org_admin")
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    headers = {"Authorization": f"Bearer {found.group(1)}"}
    assert Client().get("/api/v1/me", headers=headers).status_code == 401
    assert AuditEvent.objects.filter(action="api_token_revoke").count() == 1
    again = client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert "该令牌已吊销" in again.content.decode()


@pytest.mark.parametrize(
    "body, message",
    [
        ({"name": ""}, "这个字段是必填项"),
        ({"name": "   "}, "这个字段是必填项"),
        ({"username": "nobody"}, "没有这个账号"),
        ({"scope": "admin"}, "选择一个有效的选项"),
    ],
)
def test_bad_token_input_is_a_message_and_no_token(world, body, message):
    page, found = _create(world, **body)
    assert page.status_code == 200 and found is None
    assert message in page.content.decode()
    assert not ApiToken.objects.exists()


def test_only_the_org_admin_manages_tokens(world):
    _create(world)
    token = ApiToken.objects.get()
    for persona in ["unit_admin_a", "talent", "counsellor"]:
        client = client_for(world, persona)
        assert client.get("/accounts/tokens/").status_code == 403
        assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 403
    assert (
        client_for(world, "org_admin").post("/accounts/tokens/99999999/revoke/").status_code == 404
    )


def test_a_token_expires_and_then_opens_nothing(world):
    from datetime import timedelta

    from django.utils import timezone

    _, found = _create(world, lifetime_days="30")
    token = ApiToken.objects.get()
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    headers = {"Authorization": f"Bearer {found.group(1)}"}
    assert Client().get("/api/v1/me", headers=headers).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/v1/me", headers=headers).status_code == 401
    listing = client_for(world, "org_admin").get("/accounts/tokens/").content.decode()
    assert "已过期" in listing


def test_a_lifetime_that_is_not_offered_is_refused(world):
    page, found = _create(world, lifetime_days="3650")
    assert found is None and "选择一个有效的选项" in page.content.decode()
    assert not ApiToken.objects.exists()
