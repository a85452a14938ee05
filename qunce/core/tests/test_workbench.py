"""The workbench on the home page: each role sees what needs its action, with a count that is a
real query through the visibility selectors, and a link that opens."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qunce.assistance import services as assistance_services
from qunce.assistance.tests.conftest import request_values
from qunce.conftest import client_for
from qunce.health.models import Checkin, CheckinPolicy
from qunce.org.models import Campaign

ALL_DAY = {"opens_at": datetime.time(0, 0), "deadline": datetime.time(23, 59, 59, 999999)}


@pytest.fixture
def campaign(world, code_lists):
    campaign = Campaign.objects.create(
        name="2020 新冠肺炎疫情防控",
        starts_on=datetime.date(2020, 1, 25),
        status=Campaign.Status.ACTIVE,
    )
    CheckinPolicy.objects.create(
        campaign=campaign, fever_threshold=Decimal("37.3"), reminder_times=["09:00"], **ALL_DAY
    )
    return campaign


def _workbench(world, persona):
    page = client_for(world, persona).get(reverse("home"))
    assert page.status_code == 200
    return {item.label: item for _, items in page.context["workbench"] for item in items}


def test_the_office_sees_requests_to_triage_and_the_link_opens(world, campaign):
    for number in range(2):
        assistance_services.help_request_submit(**request_values(mobile=f"1381234567{number}"))
    items = _workbench(world, "org_admin")
    item = items["待分类的求助（技术员）"]
    assert item.count == 2 and item.urgent
    listing = client_for(world, "org_admin").get(item.url)
    assert listing.status_code == 200 and listing.context["page"].paginator.count == 2


def test_a_unit_admin_does_not_get_the_offices_triage(world, campaign):
    assistance_services.help_request_submit(**request_values())
    assert "待分类的求助（技术员）" not in _workbench(world, "unit_admin_a")


def test_a_talent_is_asked_for_todays_check_in_until_it_is_done(world, campaign):
    item = _workbench(world, "talent")["今日健康打卡未完成"]
    assert client_for(world, "talent").get(item.url).status_code == 200
    person = world.users.talent.person
    Checkin.objects.create(
        campaign=campaign,
        person=person,
        unit=person.unit,
        day=timezone.localdate(),
        region_id="210211",
        temperature=Decimal("36.5"),
    )
    assert "今日健康打卡未完成" not in _workbench(world, "talent")


def test_a_counsellor_sees_no_administrators_items(world, campaign):
    labels = set(_workbench(world, "counsellor"))
    assert labels <= {"今日健康打卡未完成", "您负责的咨询个案"}


def test_the_workbench_costs_the_same_queries_whatever_the_data(
    world, campaign, django_assert_max_num_queries
):
    client = client_for(world, "org_admin")
    client.get(reverse("home"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("home"))
    for number in range(20):
        assistance_services.help_request_submit(**request_values(mobile=f"139000000{number:02d}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))
