"""Writes of notices: drafting and publishing, units' receipts and reports, reminders."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.accounts.models import User
from qunce.core.notify import notify_users
from qunce.core.services import audit_record, transition
from qunce.core.uploads import checked_uploads, stored_files_create
from qunce.org.access import Action, access_for, restrict
from qunce.org.models import Campaign, Unit
from qunce.org.selectors import unit_admins_of

from .models import DOCUMENT_NUMBER, Attachment, Notice, UnitReport

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
REMIND_DAYS_BEFORE_DEADLINE = 2


def document_number_parse(text: str) -> tuple[str, int, int]:
    """(office code, year, number) of a 发文字号 in the official form, or a ValidationError."""
    match = DOCUMENT_NUMBER.match((text or "").strip())
    if match is None:
        raise ValidationError(
            {
                "document_number": _(
                    "发文字号应为“机关代字〔年份〕序号号”，如 科大组织部〔2020〕6号：年份写全四位，"
                    "用六角括号〔〕，序号不加“第”、不编虚位（不写 06）。"
                )
            }
        )
    return match["office"], int(match["year"]), int(match["number"])


def _checked_files(files, field):
    return checked_uploads(files, field=field, max_bytes=MAX_ATTACHMENT_BYTES)


def notice_draft(
    *,
    acting_user: User,
    document_number: str,
    issuer: str,
    title: str,
    addressee: str,
    body: str,
    units: Iterable[Unit],
    report_deadline: datetime.date,
    campaign: Campaign | None = None,
    files: Sequence[UploadedFile] = (),
    publish: bool = False,
    today: datetime.date | None = None,
) -> Notice:
    """An org admin drafts a notice (and, with `publish`, sends it at once). Every field is
    checked before anything is written."""
    restrict(acting_user, Action.PUBLISH_NOTICES)
    today = today or timezone.localdate()
    errors = {}
    try:
        office, year, number = document_number_parse(document_number)
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        if year > today.year + 1:
            errors["document_number"] = [_("发文字号的年份不能晚于明年。")]
        elif Notice.objects.filter(office_code=office, year=year, number=number).exists():
            errors["document_number"] = [_("这个发文字号已经用过。")]
    for name, value, message in (
        ("title", title, _("请填写标题。")),
        ("body", body, _("正文不能为空。")),
        ("issuer", issuer, _("请填写发文机关。")),
        ("addressee", addressee, _("请填写主送机关。")),
    ):
        if not (value or "").strip():
            errors[name] = [message]
    units = list(units)
    if not units:
        errors["units"] = [_("请至少选择一个主送单位。")]
    if report_deadline is None or report_deadline < today:
        errors["report_deadline"] = [_("报告截止日期不能早于今天。")]
    try:
        checked = _checked_files(files, "attachments")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return _notice_create(
                acting_user,
                checked,
                publish,
                units,
                office_code=office,
                year=year,
                number=number,
                issuer=issuer.strip(),
                title=title.strip(),
                addressee=addressee.strip(),
                body=body.strip(),
                campaign=campaign,
                report_deadline=report_deadline,
                created_by=acting_user,
            )
    except IntegrityError as exc:
        # Another draft took the same number between our check and our insert.
        raise ValidationError({"document_number": _("这个发文字号已经用过。")}) from exc


def _notice_create(acting_user, checked, publish, units, **values):
    notice = Notice.objects.create(**values)
    notice.units.set(units)
    stored_files_create(Attachment, checked, notice=notice)
    audit_record(
        actor=acting_user,
        action="notice.draft",
        target=notice,
        changes={"document_number": notice.document_number},
    )
    if publish:
        notice = notice_publish(notice=notice, acting_user=acting_user)
    return notice


@transaction.atomic
def notice_publish(*, notice: Notice, acting_user: User) -> Notice:
    """Send the notice down: a receipt to fill for each addressed unit, a message to its admins."""
    restrict(acting_user, Action.PUBLISH_NOTICES)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.report_deadline < timezone.localdate():
        raise ValidationError({"report_deadline": _("报告截止日期已过，请先修改截止日期再印发。")})
    transition(record=notice, to_state=Notice.Status.PUBLISHED, actor=acting_user)
    notice.published_at = timezone.now()
    notice.save(update_fields=["published_at"])
    for unit in notice.units.all():
        UnitReport.objects.create(notice=notice, unit=unit)
        notify_users(
            dedupe_key=f"notice-published:{notice.pk}:{unit.pk}",
            recipients=unit_admins_of(unit),
            subject=_("新通知：%(number)s %(title)s")
            % {"number": notice.document_number, "title": notice.title},
            body=_("请签收，并于 %(deadline)s 前报告落实情况。")
            % {"deadline": notice.report_deadline.isoformat()},
            link=f"/notices/{notice.pk}/",
        )
    return notice


def _require_unit_admin(acting_user, report):
    if not access_for(acting_user).administers_unit(report.unit):
        raise PermissionDenied


@transaction.atomic
def report_receive(*, report: UnitReport, acting_user: User) -> UnitReport:
    """签收: the unit's admin confirms the notice has arrived and been read."""
    _require_unit_admin(acting_user, report)
    report = UnitReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    transition(record=report, to_state=UnitReport.Status.RECEIVED, actor=acting_user)
    report.received_at, report.received_by = timezone.now(), acting_user
    report.save(update_fields=["received_at", "received_by"])
    return report


def report_file(
    *, report: UnitReport, acting_user: User, text: str, files: Sequence[UploadedFile] = ()
) -> UnitReport:
    """The unit's implementation report (text and attachments). Filing it also signs for the
    notice if nobody had yet."""
    _require_unit_admin(acting_user, report)
    errors = {}
    if not (text or "").strip():
        errors["text"] = [_("请写明落实情况。")]
    try:
        checked = _checked_files(files, "attachments")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if report.status == UnitReport.Status.PENDING:
            report = report_receive(report=report, acting_user=acting_user)
        report = UnitReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
        transition(
            record=report, to_state=UnitReport.Status.REPORTED, actor=acting_user, field="status"
        )
        report.text = text.strip()
        report.reported_at, report.reported_by = timezone.now(), acting_user
        report.save(update_fields=["text", "reported_at", "reported_by"])
        stored_files_create(Attachment, checked, report=report)
    return report


def reports_remind(*, notice: Notice | None = None, today: datetime.date | None = None) -> int:
    """Remind the admins of units that have not reported: for every notice from two days before
    its deadline on (the daily job), or for one notice whenever the org admin asks. At most one
    reminder a unit a day, however often this runs. Returns how many admins were reached."""
    today = today or timezone.localdate()
    due = UnitReport.objects.filter(notice__status=Notice.Status.PUBLISHED).exclude(
        status=UnitReport.Status.REPORTED
    )
    if notice is not None:
        due = due.filter(notice=notice)
    else:
        soon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE_DEADLINE)
        due = due.filter(notice__report_deadline__lte=soon)
    sent = 0
    for report in due.select_related("notice", "unit"):
        overdue = report.notice.report_deadline < today
        sent += notify_users(
            dedupe_key=f"notice-remind:{report.pk}:{today.isoformat()}",
            recipients=unit_admins_of(report.unit),
            subject=(
                _("已逾期：%(number)s 落实情况尚未报告")
                if overdue
                else _("请于 %(deadline)s 前报告 %(number)s 的落实情况")
            )
            % {"number": report.notice.document_number, "deadline": report.notice.report_deadline},
            body=report.notice.title,
            link=f"/notices/{report.notice_id}/",
        )
    return sent
