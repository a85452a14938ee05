"""The morning's common case costs two statements on PostgreSQL: the token lookup (with its
stamp) and the day's first record with its receipt. Everything else takes the general path,
and both paths store the same record."""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from qunce.accounts.models import ApiToken
from qunce.accounts.services import api_token_create, api_token_user
from qunce.health import services
from qunce.health.models import Checkin, CheckinReceipt, HealthAlert
from qunce.health.services.checkins import _checkin_write
from qunce.org.tests.factories import UserFactory

from .conftest import healthy_answers

API = "/api/v1/health/checkins"
ON_POSTGRESQL = connection.vendor == "postgresql"


def token_of(user):
    return api_token_create(user=user, name="打卡", acting_user=user)[1]


def post_checkin(client, token, key, answers):
    return client.post(
        API,
        json.dumps(answers),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
    )


def comparable(document):
    return {k: v for k, v in document.items() if k not in ("id", "submitted_at", "updated_at")}


def test_a_first_healthy_checkin_through_a_token_costs_two_statements_on_postgresql(
    world, policy, client
):
    # Someone else first: the open check-ins and the region are then read from memory.
    post_checkin(client, token_of(world.users.counsellor), "warm-key-0001", healthy_answers())
    token = token_of(world.users.talent)
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(" ".join(sql.split()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = post_checkin(client, token, "first-key-0001", healthy_answers())
    assert response.status_code == 201
    checkin = Checkin.objects.get(person=world.users.talent.person)
    assert response.json()["id"] == checkin.pk
    receipt = CheckinReceipt.objects.get(checkin=checkin)
    assert receipt.status_code == 201 and receipt.response == response.json()
    # The test's own transaction adds savepoints; a request in production has none.
    statements = [sql[:13] for sql in sent if "SAVEPOINT" not in sql]
    if ON_POSTGRESQL:
        assert statements == ["WITH found AS", "WITH latest A"], sent
    # A retry of the same request is the first answer again, not a second record.
    again = post_checkin(client, token, "first-key-0001", healthy_answers())
    assert again.status_code == 201 and again.json() == response.json()
    assert Checkin.objects.filter(person=world.users.talent.person).count() == 1


def test_the_one_statement_path_and_the_general_path_store_the_same_record(world, policy):
    fast = services.checkin_submit(
        person=world.users.talent.person, policy=policy, answers=healthy_answers()
    )
    # The general path, as a replacement or an alert takes it.
    cleaned = services.checkin_answers_clean(
        policy=policy, answers=healthy_answers(), today=timezone.localdate()
    )
    general = _checkin_write(
        world.users.counsellor.person, policy, cleaned, timezone.localdate(), "", "fingerprint"
    )
    assert comparable(fast.document) == comparable(general.document)
    assert fast.status_code == general.status_code == 201
    stored = {c.person_id: services.checkin_document(c) for c in Checkin.objects.all()}
    assert comparable(stored[world.users.talent.person.pk]) == comparable(fast.document)
    first = Checkin.objects.get(person=world.users.talent.person)
    assert (first.unit_id, first.version, first.fever, first.pledged) == (
        world.branch_a.pk,
        1,
        False,
        True,
    )


def test_a_change_of_city_falls_back_and_raises_its_alert(world, policy):
    person = world.users.talent.person
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    Checkin.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    # Shenyang's Heping district, after Dalian yesterday.
    today = services.checkin_submit(
        person=person, policy=policy, answers=healthy_answers(region="210102")
    )
    assert today.checkin.location_changed and today.document["alert_reasons"] == ["location"]
    assert HealthAlert.objects.get().reasons == ["location"]


def test_the_same_city_in_another_district_is_no_alert(world, policy):
    person = world.users.talent.person
    services.checkin_submit(person=person, policy=policy, answers=healthy_answers())
    Checkin.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    today = services.checkin_submit(
        person=person, policy=policy, answers=healthy_answers(region="210202")
    )
    assert today.status_code == 201 and not HealthAlert.objects.exists()


def test_a_key_used_on_another_day_is_refused_on_the_one_statement_path_too(world, policy, client):
    token = token_of(world.users.talent)
    assert post_checkin(client, token, "reused-key-01", healthy_answers()).status_code == 201
    Checkin.objects.update(day=timezone.localdate() - datetime.timedelta(days=1))
    refused = post_checkin(client, token, "reused-key-01", healthy_answers())
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "idempotency_key"]
    assert Checkin.objects.count() == 1  # nothing half-written


@pytest.mark.parametrize("change", ["revoked", "expired", "inactive"])
def test_a_token_no_longer_good_finds_no_account(world, change):
    raw = token_of(world.users.talent)
    token = ApiToken.objects.get()
    if change == "revoked":
        token.revoked_at = timezone.now()
    elif change == "expired":
        token.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    token.save()
    if change == "inactive":
        world.users.talent.is_active = False
        world.users.talent.save()
    assert api_token_user(raw) is None


def test_a_token_brings_its_account_and_person_and_is_stamped_once_a_minute(world):
    raw = token_of(world.users.talent)
    user, token = api_token_user(raw)
    assert user == world.users.talent and user.person == world.users.talent.person
    assert token.user is user and token.scope == "write"
    stamped = ApiToken.objects.get().last_used_at
    assert stamped is not None
    api_token_user(raw)
    assert ApiToken.objects.get().last_used_at == stamped  # within the minute: no write


def test_an_account_without_a_person_is_told_it_has_no_checkin(db, client):
    user = UserFactory(username="requester-office")
    response = client.post(
        API,
        json.dumps(healthy_answers()),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token_of(user)}"},
    )
    assert response.status_code == 403 and "没有关联人员信息" in response.json()["detail"]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="prepared statements are PostgreSQL's")
def test_the_peak_statements_are_prepared_once_per_connection(world, policy, client):
    token = token_of(world.users.talent)
    post_checkin(client, token, "prepared-key-1", healthy_answers())
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [" ".join(row[0].split()) for row in cursor.fetchall()]
    assert any(s.startswith("WITH found AS") for s in prepared)
    assert any(s.startswith("WITH latest AS") for s in prepared)
