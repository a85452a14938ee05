import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.accounts.models import User
from qunce.core.services import audit_record, inbox_send, transition
from qunce.org import selectors as org_selectors
from qunce.org.access import access_for
from qunce.org.models import Person

from . import selectors
from .models import FamilyNeed, FamilyNeedNote, StallReminder


@transaction.atomic
def family_need_record(
    *, person: Person, category: str, description: str, acting_user: User
) -> FamilyNeed:
    if not selectors.frontline_people_for(acting_user).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("只能为本人或本单位经认定的一线人员登记家庭需求。")})
    need = FamilyNeed(
        person=person, category=category, description=description.strip(), recorded_by=acting_user
    )
    need.full_clean()
    need.save()
    audit_record(actor=acting_user, action="family_need_record", target=need)
    _tell_unit_admins(need)  # the in-app inbox is a table: written in the same transaction
    return need


def _tell_unit_admins(need):
    inbox_send(
        recipients=org_selectors.unit_admins_of(need.person.unit),
        subject=_("%(name)s 登记了家庭需求") % {"name": need.person.name},
        body=need.get_category_display(),
        link=reverse("care:detail", args=[need.pk]),
    )


@transaction.atomic
def family_need_take(*, need: FamilyNeed, acting_user: User) -> FamilyNeed:
    need = FamilyNeed.objects.select_for_update().select_related("person__unit").get(pk=need.pk)
    if not access_for(acting_user).administers_unit(need.person.unit):
        raise PermissionDenied(_("只有本单位管理员可以接手。"))
    if need.status != FamilyNeed.Status.OPEN:
        raise ValidationError({"status": _("此需求已有人负责。")})
    need.responsible = acting_user
    need.last_activity_at = timezone.now()
    need.save(update_fields=["responsible", "last_activity_at"])
    transition(record=need, to_state=FamilyNeed.Status.IN_PROGRESS, actor=acting_user)
    return need


@transaction.atomic
def family_need_note(
    *, need: FamilyNeed, acting_user: User, text: str, resolve: bool = False
) -> FamilyNeed:
    """A note of progress. The person whose need it is may write too (and reopen a resolved
    need by doing so); only the unit's admins or the responsible person may resolve it."""
    need = FamilyNeed.objects.select_for_update().select_related("person__unit").get(pk=need.pk)
    manager = selectors.may_manage(acting_user, need)
    if not manager and need.person.user_id != acting_user.pk:
        raise PermissionDenied(_("只有本人、本单位管理员或负责人可以填写进展。"))
    if resolve and not manager:
        raise PermissionDenied(_("只有本单位管理员或负责人可以确认解决。"))
    if not text.strip():
        raise ValidationError({"text": _("请填写进展。")})
    FamilyNeedNote.objects.create(need=need, author=acting_user, text=text.strip())
    need.last_activity_at = timezone.now()
    need.save(update_fields=["last_activity_at"])
    if resolve:
        transition(record=need, to_state=FamilyNeed.Status.RESOLVED, actor=acting_user, note=text)
    elif need.status == FamilyNeed.Status.RESOLVED:
        transition(
            record=need, to_state=FamilyNeed.Status.IN_PROGRESS, actor=acting_user, note=text
        )
    return need


def stall_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind whoever should move a need that has had no progress for 3 days, once per stall."""
    sent = 0
    for need in selectors.stalled_needs(now).select_related("person__unit", "responsible"):
        try:
            with transaction.atomic():
                StallReminder.objects.create(need=need, stalled_since=need.last_activity_at)
                recipients = (
                    [need.responsible]
                    if need.responsible
                    else org_selectors.unit_admins_of(need.person.unit)
                )
                inbox_send(
                    recipients=recipients,
                    subject=_("家庭需求已 %(days)s 天没有进展")
                    % {"days": FamilyNeed.STALLED_AFTER_DAYS},
                    body=f"{need.person.name} · {need.get_category_display()}",
                    link=reverse("care:detail", args=[need.pk]),
                )
        except IntegrityError:
            continue  # this stall was reminded already
        sent += 1
    return sent
