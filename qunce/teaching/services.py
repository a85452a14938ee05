"""Writes of the teaching log. A record verified by the unit enters the teacher's 教育员 service
in the ledger."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qunce.accounts.models import User
from qunce.core.review import Review, review_decide
from qunce.core.services import audit_record
from qunce.ledger import services as ledger_services
from qunce.org.access import access_for
from qunce.org.models import Campaign, Person

from .models import TeachingRecord

MAX_SESSIONS = 200
MAX_STUDENTS = 5000


def _check(kind, values, campaign, held_on):
    errors = {}
    today = timezone.localdate()
    if held_on is None or held_on > today:
        errors["held_on"] = _("日期不能晚于今天。")
    elif held_on < campaign.starts_on or (campaign.ends_on and held_on > campaign.ends_on):
        errors["held_on"] = _("日期须在专项行动期间。")
    kind_fields = {
        TeachingRecord.Kind.COURSE: {
            "course": _("请填写课程名称。"),
            "platform": _("请选择授课平台。"),
        },
        TeachingRecord.Kind.QA: {"course": _("请填写答疑的课程。")},
        TeachingRecord.Kind.SUPERVISION: {
            "student": _("请填写研究生姓名。"),
            "topic": _("请填写指导内容。"),
            "mode": _("请选择指导方式。"),
        },
    }
    if kind not in kind_fields:
        errors["kind"] = _("请选择记录类型。")
        return errors
    for name, message in kind_fields[kind].items():
        if not str(values.get(name) or "").strip():
            errors[name] = message
    if values.get("platform") and values["platform"] not in TeachingRecord.Platform.values:
        errors["platform"] = _("没有这个平台选项。")
    if values.get("mode") and values["mode"] not in TeachingRecord.Mode.values:
        errors["mode"] = _("没有这个方式选项。")
    sessions = 1 if values.get("sessions") is None else values["sessions"]
    if not 1 <= sessions <= MAX_SESSIONS:
        errors["sessions"] = _("次数须在 1 到 %(max)s 之间。") % {"max": MAX_SESSIONS}
    students = 0 if values.get("students_reached") is None else values["students_reached"]
    if not 0 <= students <= MAX_STUDENTS:
        errors["students_reached"] = _("学生数须在 0 到 %(max)s 之间。") % {"max": MAX_STUDENTS}
    return errors


def _field_default(name):
    field = TeachingRecord._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column, not a relation's other end
    return field.get_default()


def teaching_record(
    *,
    acting_user: User,
    person: Person,
    campaign: Campaign,
    kind: str,
    held_on: datetime.date,
    course: str = "",
    platform: str = "",
    sessions: int | None = None,
    students_reached: int | None = None,
    student: str = "",
    topic: str = "",
    mode: str = "",
) -> TeachingRecord:
    """Log one course session series, Q&A or supervision meeting, for oneself or, as a unit
    admin, for one of one's unit's teachers: a course or a Q&A names its course, platform,
    sessions and students reached, a supervision its student, topic and mode."""
    values = {
        "course": course,
        "platform": platform,
        "sessions": sessions,
        "students_reached": students_reached,
        "student": student,
        "topic": topic,
        "mode": mode,
    }
    access = access_for(acting_user)
    if not (access.person_id == person.pk or access.administers_unit(person.unit)):
        raise ValidationError({"person": _("只能登记本人或本单位教师的教学记录。")})
    errors = _check(kind, values, campaign, held_on)
    if errors:
        raise ValidationError(errors)
    keep = {
        TeachingRecord.Kind.COURSE: ("course", "platform", "sessions", "students_reached"),
        TeachingRecord.Kind.QA: ("course", "platform", "sessions", "students_reached"),
        TeachingRecord.Kind.SUPERVISION: ("student", "topic", "mode"),
    }[TeachingRecord.Kind(kind)]
    with transaction.atomic():
        record = TeachingRecord.objects.create(
            person=person,
            unit=person.unit,
            campaign=campaign,
            kind=kind,
            held_on=held_on,
            recorded_by=acting_user,
            **{name: (values.get(name) or _field_default(name)) for name in keep},
        )
        audit_record(actor=acting_user, action="teaching.record", target=record)
    return record


TEACHING_REVIEW = Review(
    own_message=gettext_lazy("不能核实自己的或自己登记的教学记录。"),
    subject_field="person",
    filer_field="recorded_by",
)


@transaction.atomic
def teaching_verify(*, record: TeachingRecord, acting_user: User) -> TeachingRecord:
    access = access_for(acting_user)
    if not access.administers_unit(record.unit):
        raise PermissionDenied
    record = TeachingRecord.objects.select_for_update().select_related("person").get(pk=record.pk)
    review_decide(
        review=TEACHING_REVIEW,
        record=record,
        to_state=TeachingRecord.Status.VERIFIED,
        acting_user=acting_user,
        acting_person_id=access.person_id,
    )
    summary = {
        TeachingRecord.Kind.COURSE: _("线上课程《%(course)s》%(sessions)s 次"),
        TeachingRecord.Kind.QA: _("《%(course)s》线上答疑 %(sessions)s 次"),
        TeachingRecord.Kind.SUPERVISION: _("研究生指导：%(topic)s"),
    }[TeachingRecord.Kind(record.kind)] % {
        "course": record.course,
        "sessions": record.sessions,
        "topic": record.topic,
    }
    ledger_services.ledger_record(
        person=record.person,
        role="educator",
        campaign=record.campaign,
        date_from=record.held_on,
        date_to=record.held_on,
        summary=summary,
        people_served=record.students_reached if record.kind != "supervision" else 1,
        source=record,
        acting_user=acting_user,
    )
    return record
