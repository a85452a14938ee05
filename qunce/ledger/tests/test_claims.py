from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qunce.conftest import client_for
from qunce.core.models import StateEvent
from qunce.core.uploads import MAX_EVIDENCE_BYTES
from qunce.ledger import services
from qunce.ledger.models import Claim, LedgerEntry, RecommendationSnapshot

PDF = b"%PDF-1.4\n% test\n"


def _claim_form(campaign, **overrides):
    data = {
        "role": "technician",
        "campaign": campaign.pk,
        "date_from": "2020-02-10",
        "date_to": "2020-02-11",
        "summary": "电话指导海城某企业恢复生产线",
        "hours": "4",
        "people_served": "1",
        "items_donated": "0",
    }
    data.update(overrides)
    return data


def test_talent_files_a_claim_with_evidence_and_the_unit_admin_verifies_it(world, campaign):
    talent = client_for(world, "talent")
    evidence = SimpleUploadedFile("聊天记录.pdf", PDF, content_type="application/pdf")
    response = talent.post("/ledger/claims/new/", {**_claim_form(campaign), "evidence": evidence})
    claim = Claim.objects.get()
    assert response["Location"] == f"/ledger/claims/{claim.pk}/"
    assert claim.evidence.get().original_name == "聊天记录.pdf"

    admin = client_for(world, "unit_admin_a")
    admin.post(f"/ledger/claims/{claim.pk}/", {"decision": "verify"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.VERIFIED
    entry = LedgerEntry.objects.get()
    assert entry.source_type == "ledger.claim" and entry.source_id == str(claim.pk)
    assert entry.recorded_by == world.users.unit_admin_a
    assert StateEvent.objects.filter(target_id=str(claim.pk), to_state="verified").exists()
    download = admin.get(f"/ledger/evidence/{claim.evidence.get().pk}/")
    assert b"".join(download.streaming_content) == PDF


def test_rejection_needs_a_reason_the_talent_sees(world, campaign):
    claim = services.claim_submit(
        person=world.users.talent.person,
        acting_user=world.users.talent,
        campaign=campaign,
        role="educator",
        date_from=date(2020, 3, 1),
        date_to=date(2020, 3, 1),
        summary="网课",
    )
    admin = client_for(world, "unit_admin_a")
    response = admin.post(f"/ledger/claims/{claim.pk}/", {"decision": "reject", "reason": ""})
    assert "请填写退回理由" in response.content.decode()
    admin.post(f"/ledger/claims/{claim.pk}/", {"decision": "reject", "reason": "请补充课表截图"})
    page = client_for(world, "talent").get(f"/ledger/claims/{claim.pk}/").content.decode()
    assert "请补充课表截图" in page
    assert not LedgerEntry.objects.exists()


def test_nobody_verifies_their_own_claim(world, campaign):
    own = services.claim_submit(
        person=world.users.unit_admin_a.person,
        acting_user=world.users.unit_admin_a,
        campaign=campaign,
        role="advisor",
        date_from=date(2020, 2, 3),
        date_to=date(2020, 2, 3),
        summary="提交防控建议",
    )
    response = client_for(world, "unit_admin_a").post(
        f"/ledger/claims/{own.pk}/", {"decision": "verify"}
    )
    assert "不能审核本人" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_a_claim_for_another_units_person_is_refused(world, campaign):
    with pytest.raises(Exception, match="只能为本人或本单位人员填报"):
        services.claim_submit(
            person=world.person_b,
            acting_user=world.users.unit_admin_a,
            campaign=campaign,
            role="advisor",
            date_from=date(2020, 2, 3),
            date_to=date(2020, 2, 3),
            summary="x",
        )
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("证明.pdf", b"MZ\x90\x00 not a pdf", "可执行程序"),
        ("证明.pdf", b"\x89PNG\r\n\x1a\n....", "内容与扩展名不符"),
        ("run.sh", b"#!/bin/sh\nrm -rf /", "可执行程序"),
        ("证明.exe", b"hello", "格式不支持"),
        ("证明.docx", b"PK\x03\x04 not really a docx", "内容与扩展名不符"),
        ("大文件.pdf", b"%PDF-" + b"0" * MAX_EVIDENCE_BYTES, "超过 10 MB"),
    ],
)
def test_bad_evidence_is_refused_with_a_message_and_nothing_is_written(
    world, campaign, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    response = client_for(world, "talent").post(
        "/ledger/claims/new/", {**_claim_form(campaign), "evidence": upload}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date_from": "2019-12-01", "date_to": "2019-12-01"}, "日期须在专项行动期间"),
        ({"hours": "-3"}, ""),
        ({"people_served": "99999999"}, "服务人数须在"),
        ({"date_to": "2020-02-01"}, "结束日期早于开始日期"),
    ],
)
def test_bad_claims_get_a_message_and_nothing_is_written(world, campaign, overrides, message):
    response = client_for(world, "talent").post(
        "/ledger/claims/new/", _claim_form(campaign, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Claim.objects.exists()


def test_rules_page_shows_rules_in_force_and_org_admin_publishes_new_ones(world):
    client = client_for(world, "org_admin")
    page = client.get("/ledger/rules/")
    assert "现行规则自" in page.content.decode()
    form = page.context["form"]
    data = {
        name: field.initial if field.initial is not None else ""
        for name, field in form.fields.items()
    }
    data.update({key: form.initial.get(key, "") for key in ("frontline_multiplier", "monthly_cap")})
    data["technician__base_points"] = "-1"
    bad = client.post("/ledger/rules/", data)
    assert bad.status_code == 200
    data["technician__base_points"] = "8"
    data["frontline_multiplier"] = "2"
    data["note"] = "提高技术员基础分"
    assert client.post("/ledger/rules/", data).status_code == 302
    assert "提高技术员基础分" in client.get("/ledger/rules/").content.decode()
    assert client_for(world, "unit_admin_a").post("/ledger/rules/", data).status_code == 403


def test_ruleset_with_a_multiplier_below_one_is_refused(world):
    with pytest.raises(Exception, match="frontline_multiplier"):
        services.ruleset_create(
            acting_user=world.users.org_admin,
            frontline_multiplier=Decimal("0.5"),
            monthly_cap=Decimal("10"),
            role_rules={},
        )


def _verified(world, campaign, person, role="technician", hours=2, day=10):
    claim = Claim.objects.create(
        person=person,
        role=role,
        campaign=campaign,
        date_from=date(2020, 2, day),
        date_to=date(2020, 2, day),
        summary="服务",
        hours=hours,
    )
    return services.claim_verify(claim=claim, acting_user=world.users.org_admin)


def test_recommendation_lists_rank_by_points_within_the_subtree_and_show_the_entries(
    world, campaign
):
    _verified(world, campaign, world.person_a, hours=10)
    _verified(world, campaign, world.users.talent.person, hours=1)
    _verified(world, campaign, world.person_b, hours=20)
    client = client_for(world, "unit_admin_a")
    page = client.get(
        "/ledger/recommendations/",
        {"kind": "awards", "campaign": campaign.pk, "unit": world.unit_a.pk},
    )
    rows = page.context["rows"]
    assert [row["person__name"] for row in rows] == ["甲某", "talent本人"]
    assert [str(row["points"]) for row in rows] == ["15.00", "6.00"]
    assert rows[0]["behind"][0].summary == "服务"
    outside = client.get(
        "/ledger/recommendations/",
        {"kind": "awards", "campaign": campaign.pk, "unit": world.unit_b.pk},
    )
    assert outside.context["rows"] == []
    assert "不在您的管理范围内" in outside.content.decode()


def test_the_party_list_holds_only_activists(world, campaign, activist):
    _verified(world, campaign, activist)
    _verified(world, campaign, world.users.talent.person)
    rows = (
        client_for(world, "org_admin")
        .get(
            "/ledger/recommendations/",
            {"kind": "party", "campaign": campaign.pk, "unit": world.root.pk},
        )
        .context["rows"]
    )
    assert [row["person__name"] for row in rows] == [activist.name]


def test_org_admin_finalizes_a_list_as_a_hashed_snapshot_with_excel_and_print(world, campaign):
    _verified(world, campaign, world.person_a)
    params = f"?kind=awards&campaign={campaign.pk}&unit={world.root.pk}"
    assert (
        client_for(world, "unit_admin_a").post(f"/ledger/recommendations/{params}").status_code
        == 403
    )
    response = client_for(world, "org_admin").post(f"/ledger/recommendations/{params}")
    snapshot = RecommendationSnapshot.objects.get()
    assert response["Location"] == f"/ledger/snapshots/{snapshot.pk}/"
    assert len(snapshot.sha256) == 64 and snapshot.rows[0]["name"] == "甲某"
    printable = client_for(world, "org_admin").get(f"/ledger/snapshots/{snapshot.pk}/")
    assert snapshot.sha256 in printable.content.decode()
    workbook = client_for(world, "org_admin").get(f"/ledger/snapshots/{snapshot.pk}/xlsx/")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    # Later entries do not change a finalized list.
    _verified(world, campaign, world.person_b, hours=20)
    snapshot.refresh_from_db()
    assert [row["name"] for row in snapshot.rows] == ["甲某"]


def test_frontline_page_records_service_for_own_units_only(world, campaign):
    client = client_for(world, "unit_admin_a")
    data = {
        "staff_no": world.person_a.staff_no,
        "campaign": campaign.pk,
        "starts_on": "2020-02-01",
        "ends_on": "2020-02-20",
        "description": "发热门诊支援",
    }
    assert client.post("/ledger/frontline/", data).status_code == 302
    refused = client.post("/ledger/frontline/", {**data, "staff_no": world.person_b.staff_no})
    assert "工号不存在或不在您的管理范围内" in refused.content.decode()
    outside = client.post("/ledger/frontline/", {**data, "starts_on": "2021-01-01", "ends_on": ""})
    assert "日期须在专项行动期间" in outside.content.decode()


def test_evidence_can_be_added_only_while_the_claim_awaits_review(world, campaign):
    claim = services.claim_submit(
        person=world.users.talent.person,
        acting_user=world.users.talent,
        campaign=campaign,
        role="educator",
        date_from=date(2020, 3, 1),
        date_to=date(2020, 3, 1),
        summary="网课",
    )
    client = client_for(world, "talent")
    url = f"/api/v1/ledger/claims/{claim.pk}/evidence"
    added = client.post(url, {"file": SimpleUploadedFile("课表.pdf", PDF)})
    assert added.status_code == 201 and added.json()["evidence"] == ["课表.pdf"]
    services.claim_verify(claim=claim, acting_user=world.users.unit_admin_a)
    late = client.post(url, {"file": SimpleUploadedFile("补充.pdf", PDF)})
    assert late.status_code == 422
    assert claim.evidence.count() == 1
