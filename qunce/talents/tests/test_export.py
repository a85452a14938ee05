import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qunce.conftest import client_for
from qunce.talents import importing
from qunce.talents.models import TalentProfile
from qunce.talents.spreadsheet import COLUMNS

from .xlsx import person_row, read_rows, workbook_bytes


def _download(client, params=None):
    response = client.get("/talents/export.xlsx", params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(response.streaming_content)


def _import(world, rows, persona="org_admin"):
    user = getattr(world.users, persona)
    batch = importing.talent_import_preview(uploaded=workbook_bytes(rows), acting_user=user)
    importing.talent_import_confirm(batch=batch, acting_user=user)


def test_export_has_the_template_columns_and_only_visible_people(world):
    rows = read_rows(_download(client_for(world, "unit_admin_a")))
    assert rows[0] == [column.title for column in COLUMNS]
    names = {row[1] for row in rows[1:]}
    assert "甲某" in names
    assert "乙某" not in names


def test_export_follows_the_list_filters(world):
    _import(
        world, [person_row("A-01"), person_row("B-01", 工号="X0000002", 姓名="乙新", 学科一="0812")]
    )
    rows = read_rows(_download(client_for(world, "org_admin"), {"discipline": "0806"}))
    assert [row[1] for row in rows[1:]] == ["王新"]


def test_an_export_imports_back_changing_nothing(world):
    _import(
        world,
        [
            person_row(
                "A-01", 学科二="0805 材料科学与工程", 简介="多行\n简介", 状态起="2020-02-01"
            ),
            person_row("B-01", 工号="X0000002", 姓名="乙新", 当前状态="在一线"),
        ],
    )
    data = _download(client_for(world, "org_admin"))
    stamp = {p.pk: p.updated_at for p in TalentProfile.objects.all()}
    exported = io.BytesIO(data)
    exported.name = "导出.xlsx"
    batch = importing.talent_import_preview(uploaded=exported, acting_user=world.users.org_admin)
    counts = batch.report["counts"]
    assert counts["error"] == 0, batch.report
    assert counts["new"] == 0 and counts["changed"] == 0
    assert counts["unchanged"] == 9
    importing.talent_import_confirm(batch=batch, acting_user=world.users.org_admin)
    assert {p.pk: p.updated_at for p in TalentProfile.objects.all()} == stamp


def test_cells_that_look_like_formulas_are_neutralized_and_round_trip(world):
    _import(world, [person_row("A-01", 专长关键词="'=1+2", 研究领域="'@cmd", 职务="'-负责人")])
    rows = read_rows(_download(client_for(world, "org_admin"), {"q": "王新"}))
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["专长关键词"] == "'=1+2"
    assert row["研究领域"] == "'@cmd"
    assert row["职务"] == "'-负责人"
    profile = TalentProfile.objects.get(person__staff_no="X0000001")
    assert profile.keywords == "=1+2"


def test_export_command_writes_the_filtered_file(world, tmp_path):
    _import(world, [person_row("A-01")])
    out = tmp_path / "out.xlsx"
    call_command("export_talents", "--out", str(out), "--keyword", "余热")
    rows = read_rows(out.read_bytes())
    assert [row[0] for row in rows[1:]] == ["X0000001"]


def test_a_name_with_control_characters_does_not_break_the_export(world):
    """One bad value stored once (a bell, an escape, a vertical tab) used to make openpyxl
    refuse the whole university's file."""
    world.person_a.name = "甲\x07某\x1b"
    world.person_a.post = "主任\x0b"
    world.person_a.save()
    rows = read_rows(_download(client_for(world, "org_admin")))
    assert "甲某" in {row[1] for row in rows[1:]}


def _export(client, params=None):
    return b"".join(client.get("/talents/export.xlsx", params or {}).streaming_content)


def test_a_filter_that_does_not_hold_lists_and_exports_no_one(world):
    client = client_for(world, "unit_admin_a")
    page = client.get("/talents/people/", {"unit": world.unit_b.pk})
    assert page.context["page"].paginator.count == 0
    rows = read_rows(_export(client, {"unit": world.unit_b.pk}))
    assert len(rows) == 1  # the header only


def test_export_command_with_an_unknown_unit_says_so(world, tmp_path):
    with pytest.raises(CommandError, match="单位代码不存在"):
        call_command("export_talents", "--out", str(tmp_path / "x.xlsx"), "--unit", "NOPE")
