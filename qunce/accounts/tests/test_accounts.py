import json

import pytest
from django.test import Client

from qunce.accounts.models import ApiToken, User
from qunce.accounts.services import api_token_create
from qunce.conftest import client_for
from qunce.core.models import AuditEvent


def test_unit_admin_creates_account_for_own_unit_with_one_time_password(world):
    client = client_for(world, "unit_admin_a")
    response = client.post(f"/accounts/people/{world.person_a.pk}/account/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    password = response.context["password"]
    account = User.objects.get(username=world.person_a.staff_no)
    assert account.must_change_password is True
    assert account.check_password(password)
    world.person_a.refresh_from_db()
    assert world.person_a.user == account
    assert AuditEvent.objects.filter(action="account_create", target_id=str(account.pk)).exists()


def test_unit_admin_cannot_create_account_for_another_units_person(world):
    response = client_for(world, "unit_admin_b").post(
        f"/accounts/people/{world.person_a.pk}/account/"
    )
    assert response.status_code == 404
    assert not User.objects.filter(username=world.person_a.staff_no).exists()


def test_second_account_for_same_person_is_refused_with_a_message(world):
    client = client_for(world, "org_admin")
    client.post(f"/accounts/people/{world.person_a.pk}/account/")
    response = client.post(f"/accounts/people/{world.person_a.pk}/account/", follow=True)
    assert "该人员已有登录账号" in response.content.decode()
    assert User.objects.filter(username=world.person_a.staff_no).count() == 1


def test_created_account_must_change_password_before_anything_else(world):
    client_for(world, "org_admin").post(f"/accounts/people/{world.person_a.pk}/account/")
    account = User.objects.get(username=world.person_a.staff_no)
    client = Client()
    client.force_login(account)
    assert client.get("/")["Location"] == "/accounts/password/"
    assert client.get("/talents/people/").status_code == 302
    assert client.get("/api/v1/me").status_code == 403
    assert client.get("/accounts/password/").status_code == 200


def test_changing_the_password_lifts_the_forced_change(world):
    client_for(world, "org_admin").post(f"/accounts/people/{world.person_a.pk}/account/")
    account = User.objects.get(username=world.person_a.staff_no)
    account.set_password("Initial-Pass-1")
    account.save()
    client = Client()
    client.force_login(account)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "Initial-Pass-1",
            "new_password1": "Steel-Making-2020",
            "new_password2": "Steel-Making-2020",
        },
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.must_change_password is False
    assert client.get("/").status_code == 200


def test_password_change_with_wrong_old_password_shows_a_chinese_error(world):
    client = client_for(world, "talent")
    response = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "Xy-123456789", "new_password2": "Xy-123456789"},
    )
    assert response.status_code == 200
    assert "旧密码不正确" in response.content.decode()


def test_api_token_authenticates_as_its_account_without_csrf(world):
    _, raw = api_token_create(
        user=world.users.unit_admin_a, name="人事系统同步", acting_user=world.users.unit_admin_a
    )
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).json()["username"] == "unit_admin_a"
    response = client.patch(
        f"/api/v1/people/{world.person_a.pk}",
        json.dumps({"post": "教研室主任"}),
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None
    assert raw not in ApiToken.objects.get().digest


def test_revoked_or_unknown_token_is_401(world):
    token, raw = api_token_create(
        user=world.users.org_admin, name="x", acting_user=world.users.org_admin
    )
    token.revoked_at = token.created_at
    token.save()
    client = Client()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer qc_nope"}).status_code == 401


@pytest.mark.django_db
def test_session_post_without_csrf_token_is_403(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users.org_admin)
    api = client.patch(
        f"/api/v1/people/{world.person_a.pk}",
        json.dumps({"post": "x"}),
        content_type="application/json",
    )
    assert api.status_code == 403
    page = client.post(f"/accounts/people/{world.person_a.pk}/account/")
    assert page.status_code == 403
    assert "请求已过期" in page.content.decode()
    assert not User.objects.filter(username=world.person_a.staff_no).exists()


def test_unit_admin_cannot_reset_the_password_of_an_account_holding_a_role(world):
    from qunce.org.tests.factories import PersonFactory, Role, UserFactory, grant

    boss = UserFactory(username="boss")
    grant(boss, Role.ORG_ADMIN)
    boss_person = PersonFactory(unit=world.branch_a, user=boss)
    before = User.objects.get(pk=boss.pk).password
    response = client_for(world, "unit_admin_a").post(
        f"/accounts/people/{boss_person.pk}/initial-password/"
    )
    assert response.status_code == 403
    assert User.objects.get(pk=boss.pk).password == before
    # The org admin may reset a unit admin's password, but not another org admin's.
    org = client_for(world, "org_admin")
    admin_a_person = world.users.unit_admin_a.person
    assert org.post(f"/accounts/people/{admin_a_person.pk}/initial-password/").status_code == 200
    assert org.post(f"/accounts/people/{boss_person.pk}/initial-password/").status_code == 403


def test_unit_admin_resets_a_plain_talent_account(world):
    response = client_for(world, "unit_admin_a").post(
        f"/accounts/people/{world.users.talent.person.pk}/initial-password/"
    )
    assert response.status_code == 200
    talent = User.objects.get(pk=world.users.talent.pk)
    assert talent.check_password(response.context["password"])
    assert talent.must_change_password


def test_a_token_of_an_account_that_must_change_its_password_is_refused(world):
    user = world.users.unit_admin_a
    _, raw = api_token_create(user=user, name="同步", acting_user=user)
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/me", headers=headers).status_code == 200
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    refused = Client().get("/api/v1/me", headers=headers)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "请先修改初始密码。"
