"""Each addressed unit signs for a notice and reports back; who sees and who acts; reminders to the
units that have not reported."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qunce.conftest import client_for
from qunce.core.models import InboxMessage, StateEvent
from qunce.notices import services
from qunce.notices.models import Notice, UnitReport
from qunce.notices.tests.factories import NUMBER, notice_values, published


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
