"""The department's report: figures per unit of a subtree, for a campaign and a date range, within
the units the admin may see."""

import datetime
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qunce.conftest import client_for
from qunce.org.models import Campaign
from qunce.org.tests.factories import PersonFactory
from qunce.reports import selectors
from qunce.reports.tests.conftest import TODAY, report_over

pytestmark = pytest.mark.django_db


def test_figures_are_counted_under_the_child_unit_of_the_scope(world, running):
    report = report_over(world, running)
    by_label = {row.label: row for row in report.rows}
    a, b = by_label["甲学院分党委"], by_label["乙学院分党委"]
    # unit_admin_a, talent and 甲某 are in A's subtree; each checked in all 7 days.
    assert a.people == 3 and a.checkins == 21 and a.compliance == 100.0
    assert b.people == 3 and b.checkins == 0 and b.compliance == 0.0
    assert a.roles == {"technician": 1} and a.entries == 1 and a.requests_resolved == 1
    assert b.entries == 0 and b.requests_resolved == 0
    # The org admin sits in the root unit itself: its own row.
    assert by_label["测试大学（本级）"].people == 1
    assert report.total.people == 7 and report.total.checkins == 21
    assert report.total.compliance == round(100 * 21 / (7 * 7), 1)
    assert [row.label for row in report.ranking("compliance")] == ["甲学院分党委"]


def test_a_unit_admin_drills_down_into_their_branches(world, running):
    client = client_for(world, "unit_admin_a")
    page = client.get(
        "/reports/", {"campaign": running.pk, "unit": world.unit_a.pk}
    ).content.decode()
    assert "甲学院第一党支部" in page and "乙学院" not in page
    assert "100.0%" in page


def test_checkin_days_start_at_the_first_checkin_and_end_today(world, running):
    report = report_over(world, running, days=20)
    # The range is 20 days, but check-ins began 6 days ago.
    assert report.checkin_days == 7


def test_the_default_report_is_the_running_campaign_over_the_whole_university(world, running):
    page = client_for(world, "org_admin").get("/reports/").content.decode()
    assert "测试大学 · " in page and "甲学院分党委" in page
    assert f'value="{TODAY() - timedelta(days=30):%Y-%m-%d}"' in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "截止日期早于起始日期"),
        ({"date_from": "2024-01-01", "date_to": "2026-02-01"}, "时间跨度不超过一年"),
        ({"date_from": "2026-02-30"}, "输入一个有效的日期"),
        ({"campaign": "99999999"}, "所选专项行动不存在"),
        ({"campaign": "x"}, "所选专项行动不存在"),
    ],
)
def test_bad_filters_are_a_message_not_a_500(world, running, params, message):
    query = {"campaign": running.pk, "unit": world.root.pk} | params
    response = client_for(world, "org_admin").get("/reports/", query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert client_for(world, "org_admin").get("/reports/export.xlsx", query).status_code == 400


def test_a_unit_outside_the_admins_scope_is_refused_not_shown(world, running):
    response = client_for(world, "unit_admin_a").get(
        "/reports/", {"campaign": running.pk, "unit": world.unit_b.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "所选单位不存在或不在您的管理范围内" in page
    assert "乙学院第一党支部" not in page


def test_talents_and_counsellors_have_no_reports(world, running):
    for persona in ["talent", "counsellor"]:
        assert client_for(world, persona).get("/reports/").status_code == 403
        assert client_for(world, persona).get("/reports/export.xlsx").status_code == 403


def test_the_report_costs_the_same_queries_whatever_the_number_of_people(world, running):
    def count():
        with CaptureQueriesContext(connection) as queries:
            report_over(world, running)
        return len(queries)

    before = count()
    PersonFactory.create_batch(30, unit=world.branch_b)
    assert count() == before


def test_a_campaign_without_checkin_shows_no_rate(world):
    campaign = Campaign.objects.create(
        name="无打卡", starts_on=date(2026, 1, 1), status=Campaign.Status.ACTIVE
    )
    report = selectors.unit_report(
        scope=world.root,
        campaign=campaign,
        date_from=date(2026, 1, 1),
        date_to=date(2026, 1, 31),
    )
    assert report.checkin_days == 0 and report.total.compliance is None
    assert isinstance(report.date_from, datetime.date)


def test_without_a_unit_a_unit_admin_gets_the_unit_they_administer(world, running):
    page = client_for(world, "unit_admin_a").get("/reports/", {"campaign": running.pk})
    content = page.content.decode()
    assert "甲学院分党委 · " in content and "甲学院第一党支部" in content
