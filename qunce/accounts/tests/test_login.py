import time

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.test import Client

from qunce.accounts.middleware import LOGIN_AT_SESSION_KEY
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


@pytest.mark.django_db
def test_session_cookie_expires_after_30_idle_minutes_and_is_renewed_on_each_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    user = UserFactory(username="zhang")
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60


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
