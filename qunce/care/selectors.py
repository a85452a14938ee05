"""Family needs are sensitive: seen by the person, their unit's admins, the org admin and
whoever has taken the need on."""

import datetime
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qunce.org import selectors as org_selectors
from qunce.org.access import access_for

from .models import FamilyNeed


def needs_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return FamilyNeed.objects.all()
    if not user.is_authenticated:
        return FamilyNeed.objects.none()
    administered = access.unit_path_filter("person__unit__path")
    own = Q(person_id=access.person_id) if access.person_id else Q(pk__in=[])
    return FamilyNeed.objects.filter(administered | own | Q(responsible=user))


def get_need_for_user(user, pk):
    try:
        return needs_visible_to(user).select_related("person__unit", "responsible").get(pk=pk)
    except (FamilyNeed.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def may_manage(user, need):
    """Take, progress and resolve: the unit's admins and the person who took it on."""
    return access_for(user).administers_unit(need.person.unit) or need.responsible_id == user.pk


def frontline_people_for(user):
    """Whom the user may record a need for: themselves, or people of their units, who served on
    the front line."""
    return (
        org_selectors.people_recorded_by(user)
        .filter(frontline__confirmed_at__isnull=False)
        .distinct()
    )


def stalled_needs(now: datetime.datetime | None = None) -> QuerySet[FamilyNeed]:
    """Open needs with no progress for FamilyNeed.STALLED_AFTER_DAYS (the reminders' work)."""
    cutoff = (now or timezone.now()) - timedelta(days=FamilyNeed.STALLED_AFTER_DAYS)
    return FamilyNeed.objects.exclude(status=FamilyNeed.Status.RESOLVED).filter(
        last_activity_at__lt=cutoff
    )
