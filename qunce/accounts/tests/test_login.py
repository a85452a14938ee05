import datetime
import time

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qunce.accounts.middleware import LOGIN_AT_SESSION_KEY, RENEWED_AT_SESSION_KEY
from qunce.org.tests.factories import TEST_PASSWORD, UserFactory

WRONG_LOGIN_MESSAGE = "用户名或密码错误，请重新输入。"


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_login_with_right_password_goes_home():
    UserFactory(username="zhang")
    response = _login(Client(), "zhang", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_wrong_password_and_unknown_user_get_the_same_chinese_message():
    UserFactory(username="zhang")
    wrong_password = _login(Client(), "zhang", "not-the-password")
    unknown_user = _login(Client(), "nobody-here", "not-the-password")
    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert WRONG_LOGIN_MESSAGE in response.content.decode()
    assert "nobody-here" not in unknown_user.context["form"].non_field_errors()[0]


@pytest.mark.django_db
def test_inactive_account_gets_the_same_message_as_a_wrong_password():
    UserFactory(username="left", is_active=False)
    response = _login(Client(), "left", TEST_PASSWORD)
    assert WRONG_LOGIN_MESSAGE in response.content.decode()


@pytest.mark.django_db
def test_repeated_failed_logins_lock_out_even_the_right_password():
    UserFactory(username="zhang")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "zhang", "guess")
    locked = _login(client, "zhang", TEST_PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_of_one_account_leaves_others_alone():
    UserFactory(username="zhang")
    UserFactory(username="wang")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "zhang", "guess")
    assert _login(client, "wang", TEST_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = UserFactory(username="argon")
    user.set_password("Another-Pass-77")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_production_hashers_start_with_argon2():
    from qunce import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_logout_needs_post_and_ends_the_session():
    user = UserFactory(username="zhang")
    client = Client()
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def _session_writes(client, path="/"):
    """The response to `path` and the statements that wrote the session table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    return response, writes


def _stored_expiry(client):
    return Session.objects.get(
        session_key=client.cookies[settings.SESSION_COOKIE_NAME].value
    ).expire_date


@pytest.mark.django_db
def test_a_request_within_a_minute_of_the_last_renewal_writes_no_session():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_RENEWAL_SECONDS == 60
    client = Client()
    client.force_login(UserFactory(username="zhang"))
    expiry = _stored_expiry(client)
    for _ in range(3):
        response, writes = _session_writes(client)
        assert response.status_code == 200
        assert writes == []
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert _stored_expiry(client) == expiry


@pytest.mark.django_db
def test_after_a_minute_a_request_moves_the_idle_expiry_30_minutes_ahead():
    client = Client()
    client.force_login(UserFactory(username="zhang"))
    session = client.session
    session[RENEWED_AT_SESSION_KEY] = int(time.time()) - 61
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    response, writes = _session_writes(client)
    assert response.status_code == 200 and len(writes) == 1
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    left = _stored_expiry(client) - timezone.now()
    assert datetime.timedelta(minutes=29) < left <= datetime.timedelta(minutes=30)
    # Renewed just now: the next request writes nothing again.
    assert _session_writes(client)[1] == []


@pytest.mark.django_db
def test_a_session_idle_past_its_expiry_is_over():
    client = Client()
    client.force_login(UserFactory(username="zhang"))
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_visitor_or_an_unknown_cookie_gets_no_session_made_for_them():
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-key-0123456789"
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/").status_code == 302
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_session_ends_12_hours_after_login_however_active():
    user = UserFactory(username="zhang")
    client = Client()
    client.force_login(user)
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_session_younger_than_12_hours_goes_on():
    user = UserFactory(username="zhang")
    client = Client()
    client.force_login(user)
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - 11 * 3600
    session.save()
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_lockout():
    UserFactory(username="zhang")
    client = Client()
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "zhang", "password": "guess"},
            headers={"X-Forwarded-For": f"10.0.0.{number}"},
        )
    locked = client.post(
        "/accounts/login/",
        {"username": "zhang", "password": TEST_PASSWORD},
        headers={"X-Forwarded-For": "10.9.9.9"},
    )
    assert locked.status_code == 429
