"""Two campaigns at once (an epidemic and a flood): the check-in and the dashboard offer a
switch between them, and each page stays on the one chosen."""

import datetime

import pytest

from qunce.conftest import client_for
from qunce.health.models import Checkin, CheckinPolicy
from qunce.org.models import Campaign

from .conftest import ALL_DAY, healthy_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def flood(policy):
    campaign = Campaign.objects.create(
        name="2026 汛期防汛", starts_on=datetime.date(2026, 6, 1), status=Campaign.Status.ACTIVE
    )
    return CheckinPolicy.objects.create(campaign=campaign, fields=["temperature"], **ALL_DAY)


def test_with_one_running_campaign_there_is_no_switcher(world, policy):
    page = client_for(world, "talent").get("/health/").content.decode()
    assert 'class="switcher"' not in page


def test_a_talent_switches_between_two_running_check_ins(world, policy, flood):
    client = client_for(world, "talent")
    newest = client.get("/health/").content.decode()
    assert 'class="switcher"' in newest
    assert f'href="?campaign={flood.campaign_id}" aria-current="true"' in newest
    chosen = client.get("/health/", {"campaign": policy.campaign_id}).content.decode()
    assert f'href="?campaign={policy.campaign_id}" aria-current="true"' in chosen
    # The form posts back to the page it is on, so the answers go to the campaign chosen.
    client.post(f"/health/?campaign={policy.campaign_id}", healthy_form())
    assert list(Checkin.objects.values_list("campaign_id", flat=True)) == [policy.campaign_id]


def test_the_dashboard_keeps_the_chosen_campaign_in_its_links(world, policy, flood):
    page = client_for(world, "org_admin").get(
        "/health/dashboard/", {"campaign": policy.campaign_id}
    )
    content = page.content.decode()
    assert f'href="?campaign={policy.campaign_id}" aria-current="true"' in content
    assert f"campaign={policy.campaign_id}" in content.split("导出 Excel")[0].rsplit("href=", 1)[1]
