import io
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from qunce.accounts.models import User
from qunce.conftest import client_for
from qunce.org.models import Person
from qunce.talents import importing
from qunce.talents.models import ImportBatch, TalentProfile
from qunce.talents.services import profile_update
from qunce.talents.spreadsheet import COLUMNS

from .xlsx import person_row, read_rows, workbook_bytes


def _preview(world, rows, persona="unit_admin_a", **kwargs):
    return importing.talent_import_preview(
        uploaded=workbook_bytes(rows, **kwargs), acting_user=getattr(world.users, persona)
    )


def _errors(batch):
    return [
        (row["row"], error["column"], error["message"])
        for row in batch.report["rows"]
        for error in row["errors"]
    ]


def test_new_rows_create_people_profiles_and_accounts_that_must_change_password(world):
    batch = _preview(world, [person_row("A-01"), person_row("A-01", 工号="X0000002", 姓名="李新")])
    assert batch.report["counts"] == {"new": 2, "changed": 0, "unchanged": 0, "error": 0}
    assert not Person.objects.filter(staff_no="X0000001").exists()  # preview writes nothing
    counts = importing.talent_import_confirm(batch=batch, acting_user=world.users.unit_admin_a)
    assert counts == {"new": 2, "changed": 0, "unchanged": 0}
    person = Person.objects.get(staff_no="X0000001")
    assert person.unit == world.branch_a
    assert person.user.must_change_password
    assert not person.user.has_usable_password()
    profile = person.profile
    assert [d.code for d in profile.disciplines.all()] == ["0806"]
    assert [r.code for r in profile.service_regions.all()] == ["210300"]
    assert profile.volunteers_technician and not profile.volunteers_advisor
    assert profile.confirmed_by == world.users.unit_admin_a
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED


def test_reimporting_the_same_file_changes_nothing(world):
    rows = [person_row("A-01")]
    importing.talent_import_confirm(
        batch=_preview(world, rows), acting_user=world.users.unit_admin_a
    )
    before = TalentProfile.objects.get().updated_at
    again = _preview(world, rows)
    assert again.report["counts"] == {"new": 0, "changed": 0, "unchanged": 1, "error": 0}
    importing.talent_import_confirm(batch=again, acting_user=world.users.unit_admin_a)
    assert TalentProfile.objects.get().updated_at == before


def test_changed_row_lists_the_changed_columns(world):
    importing.talent_import_confirm(
        batch=_preview(world, [person_row("A-01")]), acting_user=world.users.unit_admin_a
    )
    batch = _preview(world, [person_row("A-01", 职称="教授", 学科二="0805 材料科学与工程")])
    row = batch.report["rows"][0]
    assert row["status"] == "changed"
    assert set(row["changed"]) == {"职称", "学科"}


def test_each_bad_cell_gets_its_row_column_and_a_chinese_message(world):
    rows = [
        person_row("A-01", 学科一="9999"),
        person_row("A-01", 工号="X0000002", 服务地区代码="210300、999999"),
        person_row("A-01", 工号="X0000003", 手机="1234"),
        person_row("A-01", 工号="X0000004", 姓名="长" * 51),
        person_row("A-01", 工号="X0000005", 性别="未知"),
        person_row("A-01", 工号="X0000001", 姓名="重复"),
        person_row("B-01", 工号="X0000006"),
        person_row("A-01", 工号="X0000007", 姓名=""),
    ]
    errors = _errors(_preview(world, rows))
    by_row = {row: (column, message) for row, column, message in errors}
    assert by_row[2][0] == "学科一" and "9999" in by_row[2][1]
    assert by_row[3][0] == "服务地区代码" and "999999" in by_row[3][1]
    assert by_row[4] == ("手机", "请输入 11 位中国大陆手机号码。")
    assert by_row[5][0] == "姓名" and "最多 50 个字符" in by_row[5][1]
    assert by_row[6][0] == "性别" and "男、女" in by_row[6][1]
    assert by_row[7] == ("工号", "工号与第 2 行重复。")
    assert by_row[8][0] == "单位代码" and "不在您的管理范围内" in by_row[8][1]
    assert by_row[9] == ("姓名", "必填，不能为空。")


def test_a_formula_cell_is_an_error_not_a_value(world):
    errors = _errors(_preview(world, [person_row("A-01", 专长关键词='=HYPERLINK("http://x")')]))
    assert errors == [(2, "专长关键词", "单元格含公式，请改为直接填写内容。")]


def test_confirming_a_file_with_errors_writes_nothing(world):
    batch = _preview(world, [person_row("A-01"), person_row("A-01", 工号="X0000002", 手机="1")])
    with pytest.raises(Exception, match="未导入任何数据"):
        importing.talent_import_confirm(batch=batch, acting_user=world.users.unit_admin_a)
    assert not Person.objects.filter(staff_no__startswith="X").exists()
    assert not User.objects.filter(username__startswith="X").exists()


def test_missing_and_renamed_columns_are_file_errors(world):
    headers = [column.title for column in COLUMNS if column.header not in ("姓名", "性别")] + [
        "名字"
    ]
    batch = _preview(world, [person_row("A-01")], headers=headers)
    messages = " ".join(batch.report["file_errors"])
    assert "未知的列名“名字”" in messages
    assert "缺少必需的列：姓名、性别" in messages
    assert batch.has_errors


def test_trailing_blank_rows_are_ignored(world):
    batch = _preview(world, [person_row("A-01")], blank_rows=50_000)
    assert batch.report["counts"] == {"new": 1, "changed": 0, "unchanged": 0, "error": 0}


def test_an_empty_workbook_and_a_corrupt_file_get_file_errors(world):
    empty = importing.talent_import_preview(
        uploaded=workbook_bytes([], headers=[" "]), acting_user=world.users.org_admin
    )
    assert empty.report["file_errors"]
    corrupt = io.BytesIO()
    with zipfile.ZipFile(corrupt, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    corrupt.seek(0)
    corrupt.name = "坏文件.xlsx"
    batch = importing.talent_import_preview(uploaded=corrupt, acting_user=world.users.org_admin)
    assert batch.report["file_errors"] == ["文件不是有效的 Excel（.xlsx）文件，或文件已损坏。"]


def test_unit_admin_cannot_overwrite_a_person_of_another_unit(world):
    row = person_row("A-01", 工号=world.person_b.staff_no, 姓名="乙某")
    errors = _errors(_preview(world, [row]))
    assert errors == [(2, "工号", "该工号属于您管理范围以外的人员，不能在此导入。")]


def test_import_command_dry_run_reports_and_writes_nothing(world, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes([person_row("A-01")]).getvalue())
    call_command("import_talents", str(good), "--dry-run")
    assert "新增 1" in capsys.readouterr().out
    assert not Person.objects.filter(staff_no="X0000001").exists()
    call_command("import_talents", str(good))
    assert Person.objects.filter(staff_no="X0000001").exists()


def test_import_command_exits_non_zero_on_bad_rows(world, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes([person_row("A-01", 工号="X0000009", 手机="1")]).getvalue())
    with pytest.raises(CommandError):
        call_command("import_talents", str(bad))
    assert "第 2 行 “手机”列" in capsys.readouterr().err
    assert not Person.objects.filter(staff_no="X0000009").exists()


def test_the_uploaded_file_is_deleted_once_applied_or_discarded(
    world, django_capture_on_commit_callbacks
):
    applied = _preview(world, [person_row("A-01")])
    discarded = _preview(world, [person_row("A-01", 工号="X0000002")])
    storage = applied.file.storage
    assert storage.exists(applied.file.name) and storage.exists(discarded.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        importing.talent_import_confirm(batch=applied, acting_user=world.users.unit_admin_a)
        importing.talent_import_discard(batch=discarded, acting_user=world.users.unit_admin_a)
    assert not storage.exists(applied.file.name)
    assert not storage.exists(discarded.file.name)


def test_stale_previews_are_discarded_and_their_files_deleted(
    world, django_capture_on_commit_callbacks
):
    batch = _preview(world, [person_row("A-01")])
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_import_uploads")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DISCARDED
    assert not batch.file.storage.exists(batch.file.name)


def _import(world, rows, user=None):
    user = user or world.users.org_admin
    batch = importing.talent_import_preview(uploaded=workbook_bytes(rows), acting_user=user)
    importing.talent_import_confirm(batch=batch, acting_user=user)


def _export(client, params=None):
    return b"".join(client.get("/talents/export.xlsx", params or {}).streaming_content)


def test_damaged_sheet_xml_inside_a_sound_zip_is_a_file_error(world):
    good = workbook_bytes([person_row("A-01")]).getvalue()
    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    damaged.seek(0)
    damaged.name = "坏.xlsx"
    batch = importing.talent_import_preview(uploaded=damaged, acting_user=world.users.org_admin)
    assert batch.report["file_errors"] == ["文件不是有效的 Excel（.xlsx）文件，或文件已损坏。"]


def test_an_export_made_in_english_imports_back_unchanged(world):
    _import(world, [person_row("A-01")])
    client = client_for(world, "org_admin")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    data = io.BytesIO(_export(client, {"q": "王新"}))
    data.name = "export-en.xlsx"
    rows = read_rows(data.getvalue())
    assert rows[1][2] == "男"
    batch = importing.talent_import_preview(uploaded=data, acting_user=world.users.org_admin)
    assert batch.report["counts"]["unchanged"] == 1, batch.report


def test_multi_line_text_from_the_form_round_trips_unchanged(world):
    profile = TalentProfile(person=world.person_a)
    profile_update(
        profile=profile, acting_user=world.users.org_admin, changes={"works": "成果一\r\n成果二"}
    )
    assert TalentProfile.objects.get(person=world.person_a).works == "成果一\n成果二"
    data = io.BytesIO(_export(client_for(world, "org_admin"), {"q": "甲某"}))
    data.name = "export.xlsx"
    batch = importing.talent_import_preview(uploaded=data, acting_user=world.users.org_admin)
    assert batch.report["counts"]["unchanged"] == 1, batch.report


def test_a_staff_number_in_another_case_is_the_same_person(world):
    _import(world, [person_row("A-01", 工号="T0000099")])
    batch = importing.talent_import_preview(
        uploaded=workbook_bytes([person_row("A-01", 工号="t0000099")]),
        acting_user=world.users.org_admin,
    )
    assert batch.report["counts"]["unchanged"] == 1
    assert Person.objects.filter(staff_no__iexact="T0000099").count() == 1
