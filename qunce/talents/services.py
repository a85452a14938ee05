"""Writes of the talent registry: profile edits, unit confirmation, staleness reminders."""

import datetime
from collections.abc import Iterable
from datetime import date
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qunce.accounts.models import User
from qunce.codes.models import Discipline, Region
from qunce.core.review import Review, review_refuse_own
from qunce.core.services import audit_record, inbox_send
from qunce.org import selectors as org_selectors
from qunce.org.access import access_for
from qunce.org.models import Person

from . import selectors
from .models import (
    ProfileReminder,
    TalentProfile,
)
from .spreadsheet import normalize_newlines


class ProfileChanges(TypedDict, total=False):
    """What a talent (or their unit admin) may change of a profile, any of it; the disciplines
    and service regions are passed apart, as lists of codes' rows."""

    research_fields: str
    keywords: str
    summary: str
    works: str
    preferred_channel: str
    availability: str
    availability_from: date | None
    availability_until: date | None
    volunteers_advisor: bool
    volunteers_technician: bool
    volunteers_educator: bool
    volunteers_vanguard: bool
    volunteers_publicist: bool
    volunteers_counsellor: bool
    volunteers_self_discipline: bool
    volunteers_caring: bool


PROFILE_FIELDS = tuple(ProfileChanges.__annotations__)


def profile_values(profile: TalentProfile) -> dict[str, Any]:
    """The comparable content of a profile: its fields, discipline and region codes."""
    values = {field: getattr(profile, field) for field in PROFILE_FIELDS}
    values["disciplines"] = sorted(d.code for d in profile.disciplines.all())
    values["service_regions"] = sorted(r.code for r in profile.service_regions.all())
    return values


@transaction.atomic
def profile_update(
    *,
    profile: TalentProfile,
    acting_user: User,
    changes: ProfileChanges,
    disciplines: Iterable[Discipline] | None = None,
    service_regions: Iterable[Region] | None = None,
) -> TalentProfile:
    """Change a profile. Any real change withdraws the unit's confirmation: the unit vouched for
    what it saw, not for what came after."""
    if not selectors.can_edit_profile(acting_user, profile.person):
        raise PermissionDenied(_("您无权修改此人才档案。"))
    profile = TalentProfile.objects.select_for_update().get_or_create(person=profile.person)[0]
    before = profile_values(profile)
    for field, value in changes.items():
        if field not in PROFILE_FIELDS:
            raise ValidationError({field: _("不能修改此字段。")})
        setattr(profile, field, normalize_newlines(value) if isinstance(value, str) else value)
    profile.refresh_search_text()
    profile.full_clean(exclude=["person", "confirmed_by"])
    profile.save()
    if disciplines is not None:
        profile.disciplines.set(disciplines)
    if service_regions is not None:
        profile.service_regions.set(service_regions)
    after = profile_values(profile)
    changed = sorted(key for key in after if before[key] != after[key])
    if changed:
        if profile.confirmed_at is not None:
            profile.confirmed_at = None
            profile.confirmed_by = None
            profile.unconfirmed_since = timezone.now()
            profile.save(update_fields=["confirmed_at", "confirmed_by", "unconfirmed_since"])
        # Names only: the audit trail cannot be erased, and a profile the person later deletes
        # must not live on in it.
        audit_record(
            actor=acting_user,
            action="profile_update",
            target=profile,
            changes={"fields": changed},
        )
    return profile


PROFILE_CONFIRMATION = Review(
    own_message=gettext_lazy("不能确认本人的人才档案，请由本单位其他管理员确认。"),
    subject_field="person",
)


@transaction.atomic
def profile_confirm(*, profile: TalentProfile, acting_user: User) -> TalentProfile:
    access = access_for(acting_user)
    if not access.administers_unit(profile.person.unit):
        raise PermissionDenied(_("只有本单位管理员可以确认人才档案。"))
    review_refuse_own(
        review=PROFILE_CONFIRMATION,
        record=profile,
        acting_user=acting_user,
        acting_person_id=access.person_id,
    )
    profile.confirmed_at = timezone.now()
    profile.confirmed_by = acting_user
    profile.save(update_fields=["confirmed_at", "confirmed_by"])
    audit_record(actor=acting_user, action="profile_confirm", target=profile)
    return profile


def profile_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind each talent whose profile has gone 180 days unconfirmed, and their unit admins,
    once per lapse. Safe to run as often as a scheduler likes. Returns the profiles reminded."""
    reminded = 0
    for profile in selectors.stale_profiles(now).select_related("person__user", "person__unit"):
        lapse_since = profile.confirmed_at or profile.unconfirmed_since
        try:
            with transaction.atomic():
                ProfileReminder.objects.create(profile=profile, lapse_since=lapse_since)
                _send_reminder(profile, lapse_since)
        except IntegrityError:
            continue  # this lapse was reminded already
        reminded += 1
    return reminded


def _send_reminder(profile, lapse_since):
    person = profile.person
    days = (timezone.now() - lapse_since).days
    inbox_send(
        recipients=[person.user],
        subject=_("请更新并请单位确认您的人才档案"),
        body=_("您的人才档案已有 %(days)s 天未经单位确认。请核对学科、专长和可服务状态。")
        % {"days": days},
        link=reverse("talents:profile_edit"),
    )
    inbox_send(
        recipients=org_selectors.unit_admins_of(person.unit),
        subject=_("%(name)s 的人才档案待确认") % {"name": person.name},
        body=_("该档案已有 %(days)s 天未经单位确认。") % {"days": days},
        link=reverse("talents:person_detail", args=[person.pk]),
    )


@transaction.atomic
def profile_erase(*, person: Person, acting_user: User) -> int:
    """A person's deletion request: their voluntary profile goes (the match index drops it
    within a minute). Returns how many profiles were deleted."""
    deleted = (
        TalentProfile.objects.filter(person=person).delete()[1].get(TalentProfile._meta.label, 0)
    )
    audit_record(
        actor=acting_user, action="talents.erase", target=person, changes={"deleted": deleted}
    )
    return deleted
