"""Administrators' second factor (MLPS level 3), tried with real TOTP codes computed from the
device's secret as an authenticator app computes them."""

import json
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qunce.accounts import services
from qunce.core.models import AuditEvent
from qunce.org.tests.factories import TEST_PASSWORD


def _login(username):
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def _code(device, offset=0):
    """The code an authenticator shows for `device` now (or `offset` steps away): its clock,
    not the drift the server has learnt."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def _enrolled(user):
    device = services.totp_device_start(user=user)
    # Set up with the previous step's code (still within the tolerance), so that the current
    # one is unused: a code is accepted once.
    device, codes = services.totp_device_confirm(
        user=user, device_id=device.pk, token=_code(device, offset=-1)
    )
    return device, codes


def test_an_admin_with_an_authenticator_gives_its_code_after_the_password(world):
    device, _codes = _enrolled(world.users.org_admin)
    client = _login("org_admin")
    page = client.get("/org/units/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/2fa/verify/")
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and "两步验证" in api.json()["detail"]

    wrong = client.post("/accounts/2fa/verify/", {"token": "000000", "next": "/org/units/"})
    assert "验证码不正确" in wrong.content.decode()
    assert client.get("/org/units/").status_code == 302

    # After a failure the device refuses every code for a second (django-otp's throttling).
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttling_failure_timestamp = None
    device.save()
    right = client.post("/accounts/2fa/verify/", {"token": _code(device), "next": "/org/units/"})
    assert right.status_code == 302 and right["Location"] == "/org/units/"
    assert client.get("/org/units/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_a_recovery_code_works_once(world):
    _device, codes = _enrolled(world.users.unit_admin_a)
    assert len(codes) == 10 and len(set(codes)) == 10
    first = _login("unit_admin_a")
    assert first.post("/accounts/2fa/verify/", {"token": codes[0]}).status_code == 302
    assert first.get("/health/dashboard/").status_code == 200
    assert AuditEvent.objects.filter(action="recovery_code_used").count() == 1
    again = _login("unit_admin_a")
    refused = again.post("/accounts/2fa/verify/", {"token": codes[0]})
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    assert StaticToken.objects.filter(device__user=world.users.unit_admin_a).count() == 9


def test_when_required_an_admin_without_one_sets_it_up_with_a_real_code(world, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = _login("org_admin")
    response = client.get("/")
    assert response["Location"].startswith("/accounts/2fa/setup/")
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page and "须设置两步验证" in page
    device = TOTPDevice.objects.get(user=world.users.org_admin, confirmed=False)

    wrong = client.post("/accounts/2fa/setup/", {"token": "123"}).content.decode()
    assert "验证码不正确" in wrong
    device = TOTPDevice.objects.get(user=world.users.org_admin, confirmed=False)
    done = client.post("/accounts/2fa/setup/", {"token": _code(device), "next": "/"})
    codes = done.context["codes"]
    assert len(codes) == 10 and codes[0] in done.content.decode()
    assert TOTPDevice.objects.get(user=world.users.org_admin).confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="two_factor_enrolled").count() == 1


def test_a_stolen_password_cannot_enrol_another_phone(world):
    _enrolled(world.users.org_admin)
    client = _login("org_admin")
    response = client.get("/accounts/2fa/setup/")
    assert response["Location"].startswith("/accounts/2fa/verify/")
    assert TOTPDevice.objects.filter(user=world.users.org_admin).count() == 1


def test_people_who_are_not_admins_are_not_asked(world, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = _login("talent")
    assert client.get("/").status_code == 200
    assert client.get("/accounts/2fa/setup/").status_code == 403


def test_api_tokens_are_a_credential_of_their_own(world, settings):
    settings.TWO_FACTOR_REQUIRED = True
    _token, raw = services.api_token_create(
        user=world.users.org_admin, name="接口", acting_user=world.users.org_admin
    )
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200, response.content


def test_without_the_setting_an_admin_without_one_goes_on(world):
    client = _login("org_admin")
    assert client.get("/").status_code == 200
    assert "设置两步验证" in client.get("/accounts/2fa/").content.decode()


def test_new_recovery_codes_replace_the_old_ones_and_need_a_verified_session(world):
    device, codes = _enrolled(world.users.org_admin)
    client = _login("org_admin")
    client.post("/accounts/2fa/verify/", {"token": _code(device)})
    renewed = client.post("/accounts/2fa/codes/").context["codes"]
    assert set(renewed).isdisjoint(codes)
    assert "剩余 10 个未用的恢复码" in client.get("/accounts/2fa/").content.decode()
    unverified = Client()
    unverified.force_login(world.users.talent)
    assert unverified.post("/accounts/2fa/codes/").status_code == 403


def test_the_reset_command_removes_a_lost_phone(world):
    _enrolled(world.users.org_admin)
    out = StringIO()
    call_command("reset_two_factor", "org_admin", stdout=out)
    assert not TOTPDevice.objects.filter(user=world.users.org_admin).exists()
    assert "org_admin" in out.getvalue()
    with pytest.raises(Exception, match="nobody"):
        call_command("reset_two_factor", "nobody", stdout=out)


def test_an_open_redirect_after_the_code_goes_home_instead(world):
    device, _codes = _enrolled(world.users.org_admin)
    client = _login("org_admin")
    response = client.post(
        "/accounts/2fa/verify/", {"token": _code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_code_is_accepted_once(world):
    device, _codes = _enrolled(world.users.org_admin)
    code = _code(device)
    assert _login("org_admin").post("/accounts/2fa/verify/", {"token": code}).status_code == 302
    replayed = _login("org_admin").post("/accounts/2fa/verify/", {"token": code})
    assert replayed.status_code == 200


def test_odd_input_on_verify_is_a_message(world):
    _enrolled(world.users.org_admin)
    client = _login("org_admin")
    for token in ("", "x" * 500, "１２３４５６", json.dumps({"a": 1})):
        response = client.post("/accounts/2fa/verify/", {"token": token})
        assert response.status_code == 200


def test_counsellors_are_asked_too_and_a_password_alone_changes_no_password(world):
    _enrolled(world.users.counsellor)
    client = _login("counsellor")
    assert client.get("/counselling/")["Location"].startswith("/accounts/2fa/verify/")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Another-Horse-77",
            "new_password2": "Another-Horse-77",
        },
    )
    assert response["Location"].startswith("/accounts/2fa/verify/")
    world.users.counsellor.refresh_from_db()
    assert world.users.counsellor.check_password(TEST_PASSWORD)
