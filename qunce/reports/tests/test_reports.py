"""The department's report: figures per unit of a subtree, for a campaign and a date range,
the same on the page, in Excel and in the situation report PDF."""

import datetime
import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from qunce.assistance import services as assistance_services
from qunce.assistance.models import HelpRequest
from qunce.assistance.tests.conftest import request_values
from qunce.conftest import client_for
from qunce.health.models import Checkin, CheckinPolicy
from qunce.ledger import services as ledger_services
from qunce.org.models import Campaign, Person
from qunce.org.tests.factories import PersonFactory
from qunce.reports import selectors
from qunce.reports.pdf import summary_sentences

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def running(world):
    """A campaign with a week of check-ins: everyone in A every day, nobody in B; one verified
    technician entry and one resolved request for the talent (in A's first branch)."""
    campaign = Campaign.objects.create(
        name="测试行动", starts_on=TODAY() - timedelta(days=30), status=Campaign.Status.ACTIVE
    )
    CheckinPolicy.objects.create(campaign=campaign)
    week = [TODAY() - timedelta(days=back) for back in range(7)]
    Checkin.objects.bulk_create(
        Checkin(campaign=campaign, person=person, unit=person.unit, day=day)
        for person in Person.objects.filter(unit__path__startswith=world.unit_a.path)
        for day in week
    )
    talent = world.users.talent
    claim = ledger_services.claim_submit(
        person=talent.person,
        acting_user=talent,
        files=[SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")],
        role="technician",
        campaign=campaign,
        date_from=TODAY() - timedelta(days=2),
        date_to=TODAY() - timedelta(days=2),
        summary="远程指导企业复产",
    )
    ledger_services.claim_verify(claim=claim, acting_user=world.users.unit_admin_a)
    help_request, _token = assistance_services.help_request_submit(**request_values())
    HelpRequest.objects.filter(pk=help_request.pk).update(
        campaign=campaign,
        status=HelpRequest.Status.RESOLVED,
        expert=talent.person,
        resolved_at=timezone.now() - timedelta(days=1),
    )
    return campaign


def _report(world, campaign, scope=None, days=7):
    return selectors.unit_report(
        scope=scope or world.root,
        campaign=campaign,
        date_from=TODAY() - timedelta(days=days - 1),
        date_to=TODAY(),
    )


def test_figures_are_counted_under_the_child_unit_of_the_scope(world, running):
    report = _report(world, running)
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
    report = _report(world, running, days=20)
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


def test_the_excel_export_holds_the_pivot_the_requests_and_one_row_a_person(world, running):
    response = client_for(world, "org_admin").get(
        "/reports/export.xlsx",
        {
            "campaign": running.pk,
            "unit": world.root.pk,
            "date_from": f"{TODAY() - timedelta(days=6):%Y-%m-%d}",
        },
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert workbook.sheetnames == ["单位×角色", "技术服务求助", "人员明细"]
    pivot = list(workbook["单位×角色"].values)
    header = pivot[1]
    a_row = next(row for row in pivot if row[0] == "甲学院分党委")
    assert a_row[header.index("人数")] == 3 and a_row[header.index("技术员")] == 1
    assert a_row[header.index("打卡率（%）")] == 100
    requests = list(workbook["技术服务求助"].values)
    assert len(requests) == 2 and requests[1][8] == "talent本人"
    people = list(workbook["人员明细"].values)
    assert len(people) == 1 + 7
    talent_row = next(row for row in people if row[1] == "talent本人")
    assert talent_row[3:6] == (7, 7, 1)


def test_a_name_with_a_formula_or_control_character_does_not_break_the_export(world, running):
    PersonFactory(unit=world.branch_a, name="=HYPERLINK(1)")
    response = client_for(world, "org_admin").get(
        "/reports/export.xlsx", {"campaign": running.pk, "unit": world.root.pk}
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    names = [row[1] for row in workbook["人员明细"].values]
    assert "'=HYPERLINK(1)" in names


def test_the_situation_report_is_a_pdf_with_the_figures(world, running):
    response = client_for(world, "org_admin").get(
        "/reports/situation.pdf", {"campaign": running.pk, "unit": world.root.pk}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and len(body) > 5000

    text = "".join(summary_sentences(_report(world, running, days=31)))
    assert "技术员 1 条" in text and "解决技术难题 1 项" in text
    assert f"至{TODAY().year}年{TODAY().month}月{TODAY().day}日" in text


def test_the_report_costs_the_same_queries_whatever_the_number_of_people(world, running):
    def count():
        with CaptureQueriesContext(connection) as queries:
            _report(world, running)
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


def test_control_characters_in_names_do_not_break_the_report_files(world, running):
    world.unit_a.name = "甲学院\x07分党委"
    world.unit_a.save()
    PersonFactory(unit=world.branch_a, name="控\x1b制")
    client = client_for(world, "org_admin")
    query = {"campaign": running.pk, "unit": world.root.pk}
    response = client.get("/reports/export.xlsx", query)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert "控制" in [row[1] for row in workbook["人员明细"].values]
    assert client.get("/reports/situation.pdf", query).status_code == 200
