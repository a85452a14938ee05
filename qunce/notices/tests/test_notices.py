import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qunce.conftest import client_for
from qunce.core.models import InboxMessage, StateEvent
from qunce.notices import services
from qunce.notices.models import Notice, UnitReport

NUMBER = "科大组织部〔2020〕6号"


def notice_values(world, **changes):
    return {
        "document_number": NUMBER,
        "issuer": "中共辽宁科技大学委员会组织部",
        "title": "关于在打赢疫情防控阻击战中进一步发挥专业技术人才作用的通知",
        "addressee": "各分党委、党总支、直属党支部",
        "body": "为深入贯彻落实习近平总书记关于疫情防控工作的重要指示精神……\n一、加强组织领导\n二、发挥“八员”作用",
        "units": [world.unit_a, world.unit_b],
        "report_deadline": timezone.localdate() + datetime.timedelta(days=7),
        **changes,
    }


def published(world, **changes):
    return services.notice_draft(
        acting_user=world.users.org_admin, publish=True, **notice_values(world, **changes)
    )


def test_the_org_admin_publishes_and_each_unit_signs_and_reports(world):
    admin = client_for(world, "org_admin")
    pdf = SimpleUploadedFile(
        "附件1 八员职责.pdf", b"%PDF-1.4 duties", content_type="application/pdf"
    )
    values = notice_values(world)
    response = admin.post(
        "/notices/new/",
        {
            **{k: v for k, v in values.items() if k != "units"},
            "units": [world.unit_a.pk, world.unit_b.pk],
            "report_deadline": values["report_deadline"].isoformat(),
            "attachments": [pdf],
            "publish": "on",
        },
    )
    notice = Notice.objects.get()
    assert response["Location"] == f"/notices/{notice.pk}/"
    assert notice.document_number == NUMBER and notice.status == "published"
    assert notice.attachments.get().original_name == "附件1 八员职责.pdf"
    assert InboxMessage.objects.filter(recipient=world.users.unit_admin_a).exists()
    unit_a = client_for(world, "unit_admin_a")
    page = unit_a.get(f"/notices/{notice.pk}/").content.decode()
    assert "中共辽宁科技大学委员会组织部文件" in page and NUMBER in page
    assert "乙学院分党委" not in page  # only the reports of one's own units
    unit_a.post(f"/notices/{notice.pk}/units/{world.unit_a.pk}/receive/")
    unit_a.post(
        f"/notices/{notice.pk}/units/{world.unit_a.pk}/report/",
        {"text": "已传达到各党支部，组建技术服务小组 3 个。"},
    )
    report = UnitReport.objects.get(unit=world.unit_a)
    assert report.status == "reported" and report.received_by == world.users.unit_admin_a
    events = StateEvent.objects.filter(target_type="notices.unitreport", target_id=str(report.pk))
    assert [(e.from_state, e.to_state) for e in events] == [
        ("pending", "received"),
        ("received", "reported"),
    ]
    overview = admin.get("/notices/").content.decode()
    assert "1/2" in overview  # one of two units has reported


def test_a_report_filed_before_signing_signs_too(world):
    notice = published(world)
    report = UnitReport.objects.get(notice=notice, unit=world.unit_b)
    services.report_file(report=report, acting_user=world.users.unit_admin_b, text="已落实")
    report.refresh_from_db()
    assert report.status == "reported" and report.received_at is not None


def test_who_sees_and_who_acts(world):
    notice = published(world, units=[world.unit_a])
    assert client_for(world, "talent").get(f"/notices/{notice.pk}/").status_code == 200
    assert client_for(world, "unit_admin_b").get(f"/notices/{notice.pk}/").status_code == 404
    assert client_for(world, "counsellor").get(f"/notices/{notice.pk}/").status_code == 404
    talent = client_for(world, "talent")
    response = talent.post(f"/notices/{notice.pk}/units/{world.unit_a.pk}/receive/")
    assert response.status_code == 404
    assert UnitReport.objects.get().status == "pending"
    assert client_for(world, "unit_admin_a").get("/notices/new/").status_code == 403
    draft = services.notice_draft(
        acting_user=world.users.org_admin,
        **notice_values(world, document_number="科大组织部〔2020〕7号"),
    )
    assert client_for(world, "unit_admin_a").get(f"/notices/{draft.pk}/").status_code == 404


@pytest.mark.parametrize(
    "number",
    [
        "科大组织部[2020]6号",
        "科大组织部（2020）6号",
        "科大组织部〔20〕6号",
        "科大组织部〔2020〕06号",
        "科大组织部〔2020〕第6号",
        "〔2020〕6号",
        "科大组织部〔2020〕6",
    ],
)
def test_a_document_number_not_in_the_official_form_is_refused(world, number):
    with pytest.raises(ValidationError) as error:
        published(world, document_number=number)
    assert "document_number" in error.value.message_dict
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"report_deadline": datetime.date(2020, 1, 1)}, "report_deadline", "不能早于今天"),
        ({"body": "   "}, "body", "正文不能为空"),
        ({"title": ""}, "title", "请填写标题"),
        ({"units": []}, "units", "至少选择一个"),
        ({"document_number": "科大组织部〔2099〕1号"}, "document_number", "不能晚于明年"),
    ],
)
def test_bad_notices_write_nothing(world, changes, field, message):
    with pytest.raises(ValidationError) as error:
        published(world, **changes)
    assert message in " ".join(error.value.message_dict[field])
    assert not Notice.objects.exists() and not UnitReport.objects.exists()


def test_a_document_number_is_used_once(world):
    published(world)
    with pytest.raises(ValidationError, match="已经用过"):
        published(world)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("通知.pdf", b"MZ\x90\x00 a program", "可执行程序"),
        ("通知.pdf", b"just text", "内容与扩展名不符"),
        ("大文件.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "超过 20 MB"),
    ],
)
def test_an_attachment_that_is_not_what_it_claims_or_too_big_is_refused(
    world, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as error:
        services.notice_draft(
            acting_user=world.users.org_admin, files=[upload], **notice_values(world)
        )
    assert message in " ".join(error.value.message_dict["attachments"])
    assert not Notice.objects.exists()


def test_an_empty_report_is_refused(world):
    notice = published(world)
    response = client_for(world, "unit_admin_a").post(
        f"/notices/{notice.pk}/units/{world.unit_a.pk}/report/", {"text": " "}
    )
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert UnitReport.objects.get(unit=world.unit_a).status == "pending"


def test_laggards_are_reminded_once_a_day_near_the_deadline(world):
    today = timezone.localdate()
    notice = published(world, report_deadline=today + datetime.timedelta(days=5))
    assert services.reports_remind(today=today) == 0  # not due yet
    services.report_file(
        report=UnitReport.objects.get(unit=world.unit_a),
        acting_user=world.users.unit_admin_a,
        text="已落实",
    )
    later = today + datetime.timedelta(days=4)
    assert services.reports_remind(today=later) == 1  # unit B only
    assert services.reports_remind(today=later) == 0
    assert services.reports_remind(today=later + datetime.timedelta(days=2)) == 1
    assert world.users.unit_admin_b.inbox.filter(subject__contains="已逾期").exists()
    # The org admin can remind the laggards of one notice at any time.
    client_for(world, "org_admin").post(f"/notices/{notice.pk}/remind/")
    assert world.users.unit_admin_b.inbox.filter(subject__contains=NUMBER).count() >= 2


def test_the_pdf_is_an_a4_official_document_with_embedded_chinese_fonts(world):
    notice = published(world, body="\n".join(["疫情防控，人人有责。" * 12] * 12))
    response = client_for(world, "unit_admin_a").get(f"/notices/{notice.pk}/pdf/")
    pdf = response.content
    assert response["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF-")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf  # A4
    assert b"UMingCN" in pdf and b"/FontFile2" in pdf  # embedded, not the reader's fonts
    assert len(re.findall(rb"/Type /Page\b", pdf)) >= 2  # the long body runs onto page 2


def test_the_api_drafts_publishes_and_reports(world):
    org = client_for(world, "org_admin")
    body = {
        **{k: v for k, v in notice_values(world).items() if k != "units"},
        "unit_ids": [world.unit_a.pk],
        "report_deadline": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
    }
    response = org.post("/api/v1/notices", json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response.json()["document_number"] == NUMBER
    notice_id = response.json()["id"]
    bad = org.post(
        "/api/v1/notices",
        json.dumps({**body, "document_number": "科大组织部2020年6号"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "document_number"]
    admin_a = client_for(world, "unit_admin_a")
    report = admin_a.post(
        f"/api/v1/notices/{notice_id}/units/{world.unit_a.pk}/report",
        json.dumps({"text": "已组织学习"}),
        content_type="application/json",
    )
    assert report.status_code == 200 and report.json()["status"] == "reported"
    assert client_for(world, "unit_admin_b").get(f"/api/v1/notices/{notice_id}").status_code == 404


def test_an_old_draft_whose_deadline_has_passed_is_not_issued(world):
    draft = services.notice_draft(acting_user=world.users.org_admin, **notice_values(world))
    Notice.objects.filter(pk=draft.pk).update(report_deadline=datetime.date(2020, 3, 1))
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.notice_publish(notice=draft, acting_user=world.users.org_admin)
    assert "report_deadline" in error.value.message_dict
    assert Notice.objects.get().status == "draft" and not UnitReport.objects.exists()


def test_a_notice_issued_early_in_the_beijing_morning_is_dated_that_day_on_page_and_pdf(world):
    from qunce.notices.pdf import signing_date

    notice = published(world)
    # 23:30 UTC on 1 March is 07:30 on 2 March in Beijing.
    Notice.objects.filter(pk=notice.pk).update(
        published_at=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    )
    notice.refresh_from_db()
    assert signing_date(notice) == "2026年3月2日"
    page = client_for(world, "org_admin").get(f"/notices/{notice.pk}/").content.decode()
    assert "2026年3月2日" in page


def test_sending_to_every_party_committee_is_one_tick_and_nothing_is_ticked_by_default(world):
    from qunce.notices.forms import NoticeForm

    assert not NoticeForm().initial.get("units")
    values = notice_values(world)
    data = {
        **{k: v for k, v in values.items() if k != "units"},
        "report_deadline": values["report_deadline"].isoformat(),
        "unit_kinds": ["committee"],
    }
    form = NoticeForm(data)
    assert form.is_valid(), form.errors
    assert {unit.pk for unit in form.cleaned_data["units"]} == {world.unit_a.pk, world.unit_b.pk}
    assert "unit_kinds" not in form.cleaned_data
    empty = NoticeForm({**data, "unit_kinds": []})
    assert not empty.is_valid() and "主送单位" in empty.errors["units"][0]
