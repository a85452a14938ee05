"""Behaviours that an independent review found missing, each pinned by a test."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from qunce.conftest import client_for
from qunce.org.models import Person
from qunce.talents import importing
from qunce.talents.models import TalentProfile
from qunce.talents.services import profile_reminders_send, profile_update

from .xlsx import person_row, read_rows, workbook_bytes


def _import(world, rows, user=None):
    user = user or world.users.org_admin
    batch = importing.talent_import_preview(uploaded=workbook_bytes(rows), acting_user=user)
    importing.talent_import_confirm(batch=batch, acting_user=user)


def _export(client, params=None):
    return b"".join(client.get("/talents/export.xlsx", params or {}).streaming_content)


def test_explicit_nulls_in_a_profile_patch_are_422_not_500(world):
    client = client_for(world, "org_admin")
    url = f"/api/v1/talents/profiles/{world.person_a.pk}"
    for body in ({"research_fields": None}, {"volunteered_roles": None}, {"disciplines": None}):
        response = client.patch(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 422, body


def test_explicit_null_in_a_person_patch_is_422(world):
    response = client_for(world, "org_admin").patch(
        f"/api/v1/people/{world.person_a.pk}",
        json.dumps({"name": None}),
        content_type="application/json",
    )
    assert response.status_code == 422


def test_inbox_ignores_ids_that_are_not_numbers(world):
    assert client_for(world, "talent").post("/inbox/", {"message": ["abc"]}).status_code == 302


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
    profile_update(profile=profile, acting_user=world.users.org_admin, works="成果一\r\n成果二")
    assert TalentProfile.objects.get(person=world.person_a).works == "成果一\n成果二"
    data = io.BytesIO(_export(client_for(world, "org_admin"), {"q": "甲某"}))
    data.name = "export.xlsx"
    batch = importing.talent_import_preview(uploaded=data, acting_user=world.users.org_admin)
    assert batch.report["counts"]["unchanged"] == 1, batch.report


def test_the_api_refuses_a_category_as_a_discipline_and_regions_outside_liaoning(world):
    client = client_for(world, "org_admin")
    url = f"/api/v1/talents/profiles/{world.person_a.pk}"
    for body in ({"disciplines": ["08"]}, {"service_regions": ["110000"]}):
        response = client.patch(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 422, body


def test_a_staff_number_in_another_case_is_the_same_person(world):
    _import(world, [person_row("A-01", 工号="T0000099")])
    batch = importing.talent_import_preview(
        uploaded=workbook_bytes([person_row("A-01", 工号="t0000099")]),
        acting_user=world.users.org_admin,
    )
    assert batch.report["counts"]["unchanged"] == 1
    assert Person.objects.filter(staff_no__iexact="T0000099").count() == 1


def test_a_refused_confirm_keeps_the_fresh_report(world):
    batch = importing.talent_import_preview(
        uploaded=workbook_bytes([person_row("A-01")]), acting_user=world.users.unit_admin_a
    )
    # Meanwhile the same 工号 is given to someone in unit B.
    Person.objects.create(
        staff_no="X0000001",
        name="乙新",
        gender="male",
        unit=world.branch_b,
        political_status="masses",
    )
    with pytest.raises(Exception, match="未导入任何数据"):
        importing.talent_import_confirm(batch=batch, acting_user=world.users.unit_admin_a)
    batch.refresh_from_db()
    assert batch.report["counts"]["error"] == 1
    assert batch.report["rows"][0]["errors"][0]["column"] == "工号"


def test_withdrawn_confirmation_starts_a_new_lapse(world):
    person = world.users.talent.person
    long_ago = timezone.now() - timedelta(days=400)
    profile = TalentProfile.objects.create(
        person=person, confirmed_at=timezone.now() - timedelta(days=30)
    )
    TalentProfile.objects.filter(pk=profile.pk).update(
        created_at=long_ago, unconfirmed_since=long_ago
    )
    profile_update(profile=profile, acting_user=world.users.talent, keywords="新专长")
    assert profile_reminders_send() == 0  # just edited: not stale
    TalentProfile.objects.filter(pk=profile.pk).update(
        unconfirmed_since=timezone.now() - timedelta(days=181)
    )
    assert profile_reminders_send() == 1


def test_a_filter_that_does_not_hold_lists_and_exports_no_one(world):
    client = client_for(world, "unit_admin_a")
    page = client.get("/talents/people/", {"unit": world.unit_b.pk})
    assert page.context["page"].paginator.count == 0
    rows = read_rows(_export(client, {"unit": world.unit_b.pk}))
    assert len(rows) == 1  # the header only


def test_viewing_a_profile_creates_nothing(world):
    response = client_for(world, "org_admin").get(f"/api/v1/talents/profiles/{world.person_a.pk}")
    assert response.status_code == 404
    client_for(world, "org_admin").get(f"/talents/{world.person_a.pk}/edit/")
    assert not TalentProfile.objects.exists()


def test_export_command_with_an_unknown_unit_says_so(world, tmp_path):
    with pytest.raises(CommandError, match="单位代码不存在"):
        call_command("export_talents", "--out", str(tmp_path / "x.xlsx"), "--unit", "NOPE")
