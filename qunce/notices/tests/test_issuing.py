"""Drafting and issuing a notice: the official document number, the addressed units, attachments,
and the date it bears."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qunce.conftest import client_for
from qunce.notices import services
from qunce.notices.models import Notice, UnitReport
from qunce.notices.tests.factories import notice_values, published


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


def test_the_pdf_is_an_a4_official_document_with_embedded_chinese_fonts(world):
    notice = published(world, body="\n".join(["疫情防控，人人有责。" * 12] * 12))
    response = client_for(world, "unit_admin_a").get(f"/notices/{notice.pk}/pdf/")
    pdf = response.content
    assert response["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF-")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf  # A4
    assert b"UMingCN" in pdf and b"/FontFile2" in pdf  # embedded, not the reader's fonts
    assert len(re.findall(rb"/Type /Page\b", pdf)) >= 2  # the long body runs onto page 2
