"""Every list page and every API list answers in a bounded number of queries, however many rows
it lists (NetBox keeps such baselines): on the demo university, where each list has dozens to
hundreds of rows, a query per row would overshoot its bound many times over.

The demo is seeded once for the module inside a transaction that is rolled back at its end, so
the rest of the suite never sees it. Every GET collection of the API must have a bound here."""

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from qunce.accounts.models import User
from qunce.api import api
from qunce.org.demo import ROOT_CODE
from qunce.org.models import Campaign, Unit

DEMO_PEOPLE = 400
PERSONAS = ("orgadmin", "unitadmin", "talent", "counsellor", "coordinator")

# The most queries any persona's page or answer takes (the session, the account's roles and
# consents, the menu's counts included).
PAGE_QUERIES = {
    "/": 34,
    "/org/units/": 12,
    "/org/campaigns/": 11,
    "/org/robots/": 13,
    "/inbox/": 12,
    "/accounts/tokens/": 11,
    "/talents/people/": 16,
    "/ledger/": 14,
    "/ledger/rules/": 14,
    "/ledger/frontline/": 12,
    "/ledger/recommendations/": 13,
    "/ledger/commendations/": 12,
    "/commendations/": 12,
    "/assistance/": 14,
    "/counselling/": 16,
    "/supplies/": 12,
    "/supplies/suppliers/": 11,
    "/donate/": 11,
    "/care/": 13,
    "/health/alerts/": 12,
    "/health/dashboard/": 23,
    "/notices/": 12,
    "/articles/": 11,
    "/articles/manage/": 11,
    "/proposals/": 13,
    "/proposals/problems/": 13,
    "/teaching/": 15,
    "/teaching/coverage/": 12,
    "/pledges/": 13,
    "/pledges/acts/": 15,
    "/mydata/": 33,
    "/mydata/audit/": 16,
    "/consents/": 13,
    "/consents/notices/": 13,
    "/reports/": 28,
}
API_QUERIES = {
    "/api/v1/units": 10,
    "/api/v1/people": 10,
    "/api/v1/me": 8,
    "/api/v1/talents/profiles": 12,
    "/api/v1/talents/export": 14,
    "/api/v1/ledger/entries": 10,
    "/api/v1/ledger/claims": 11,
    "/api/v1/ledger/recommendations": 11,
    "/api/v1/ledger/rules": 10,
    "/api/v1/ledger/frontline": 10,
    "/api/v1/ledger/commendations": 11,
    "/api/v1/ledger/snapshots": 10,
    "/api/v1/care/needs": 10,
    "/api/v1/assistance/requests": 10,
    "/api/v1/assistance/report": 20,
    "/api/v1/counselling/queue": 9,
    "/api/v1/counselling/cases": 9,
    "/api/v1/counselling/counts": 14,
    "/api/v1/supplies/needs": 9,
    "/api/v1/supplies/suppliers": 9,
    "/api/v1/health/checkins": 9,
    "/api/v1/health/stats": 14,
    "/api/v1/health/alerts": 11,
    "/api/v1/notices": 11,
    "/api/v1/articles": 10,
    "/api/v1/proposals": 10,
    "/api/v1/key-problems": 10,
    "/api/v1/teaching": 10,
    "/api/v1/teaching/coverage": 10,
    "/api/v1/pledges": 10,
    "/api/v1/vanguard-acts": 10,
    "/api/v1/consents": 11,
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seeded = transaction.atomic()
        seeded.__enter__()
        try:
            call_command("seed_demo", people=DEMO_PEOPLE, stdout=io.StringIO())
            campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
            yield SimpleNamespace(
                users=[User.objects.get(username=username) for username in PERSONAS],
                # What a collection needs to be asked for at all.
                params={
                    "/api/v1/ledger/recommendations": {
                        "kind": "awards",
                        "campaign_id": campaign.pk,
                        "unit_id": Unit.objects.get(code=ROOT_CODE).pk,
                    }
                },
            )
        finally:
            transaction.set_rollback(True)
            seeded.__exit__(None, None, None)


def most_queries(demo, url):
    """(the most queries any persona's 200 took, how many personas got a 200)."""
    most, answered = 0, 0
    params = demo.params.get(url, {})
    for user in demo.users:
        client = Client()
        client.force_login(user)
        client.get(url, params)  # the first answer fills the caches a page keeps
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        if response.status_code == 200:
            most, answered = max(most, len(queries)), answered + 1
    return most, answered


@pytest.mark.parametrize("url", [*PAGE_QUERIES, *API_QUERIES])
def test_a_list_takes_the_same_few_queries_however_long_it_is(db, demo, url):
    most, answered = most_queries(demo, url)
    assert answered, f"no demo persona may open {url}"
    assert most <= {**PAGE_QUERIES, **API_QUERIES}[url], f"{url}: {most} queries"


def test_every_api_collection_has_a_bound():
    collections = {
        path
        for path, operations in api.get_openapi_schema()["paths"].items()
        if "get" in operations and "{" not in path
    }
    assert collections - set(API_QUERIES) == set()
