"""A database that is down or restarting is not a bug: 503 with Retry-After, never a 500."""

import pytest
from django.db import connection
from django.test import Client

from qunce.accounts.services import api_token_create
from qunce.org.tests.factories import UserFactory


@pytest.fixture
def unreachable_database(transactional_db):
    """Point the connection at a database that cannot be reached, for real, then restore it."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-directory/qunce.sqlite3"
    else:
        connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


@pytest.fixture
def signed_in(transactional_db):
    user = UserFactory(username="outage")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client, api_token_create(user=user, name="outage", acting_user=user)[1]


def test_pages_and_api_answer_503_with_retry_after_while_the_database_is_away(
    signed_in, unreachable_database
):
    client, token = signed_in
    page = client.get("/health/")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert "系统正在恢复" in page.content.decode()
    api = Client(raise_request_exception=False).get(
        "/api/v1/health/checkins", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 503 and api["Retry-After"] == "5"
    assert "数据库暂时不可用" in api.json()["detail"]
    assert Client().get("/healthz").status_code == 200


def test_a_request_refused_before_authentication_gets_400_not_500(db):
    response = Client(raise_request_exception=False, HTTP_HOST="evil.example").get("/health/")
    assert response.status_code == 400
