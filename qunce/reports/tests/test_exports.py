"""The same figures in Excel and in the situation report PDF, whatever the names hold."""

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from qunce.conftest import client_for
from qunce.org.tests.factories import PersonFactory
from qunce.reports.pdf import summary_sentences
from qunce.reports.tests.conftest import TODAY, report_over

pytestmark = pytest.mark.django_db


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

    text = "".join(summary_sentences(report_over(world, running, days=31)))
    assert "技术员 1 条" in text and "解决技术难题 1 项" in text
    assert f"至{TODAY().year}年{TODAY().month}月{TODAY().day}日" in text


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
