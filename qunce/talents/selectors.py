"""Reads of the talent registry. Visibility is the person's: whoever sees a person sees their
profile, through org.selectors.people_visible_to."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qunce.codes.models import Discipline
from qunce.org import selectors as org_selectors
from qunce.org.access import access_for

from .models import CONFIRMATION_LIFETIME, Availability, ImportBatch, TalentProfile, volunteer_field

ProfileDisciplines = TalentProfile.disciplines.through


def profiles_visible_to(user):
    return TalentProfile.objects.filter(
        person__in=org_selectors.people_visible_to(user).values("pk")
    )


def get_profile_for_user(user, person_pk, action="view"):
    """The profile of a visible person (404 / 403 as for people). Looking never creates one: to
    view, a person without a profile is a 404; to change, an unsaved profile is handed out and
    the first write saves it."""
    person = org_selectors.get_person_for_user(user, person_pk)
    if action == "change" and not can_edit_profile(user, person):
        raise PermissionDenied
    profile = TalentProfile.objects.filter(person=person).first()
    if profile is None:
        if action != "change":
            raise Http404
        profile = TalentProfile(person=person)
    return profile


def can_edit_profile(user, person):
    access = access_for(user)
    return access.person_id == person.pk or access.administers_unit(person.unit)


def can_confirm_profile(user, person):
    """A unit's admin confirms its people's profiles, anyone's but their own."""
    access = access_for(user)
    return access.administers_unit(person.unit) and access.person_id != person.pk


def registry_search(
    people,
    *,
    q="",
    unit=None,
    title_level="",
    political_status="",
    keyword="",
    discipline="",
    role="",
    availability="",
    confirmed="",
):
    """Every filter of the people list, combinable; `people` is already the visible queryset."""
    people = org_selectors.people_search(
        people, q=q, unit=unit, title_level=title_level, political_status=political_status
    )
    profile_filter = Q()
    if keyword.strip():
        profile_filter &= Q(profile__search_text__contains=keyword.strip().lower())
    if discipline:
        # A 2-digit code is a 门类: any 一级学科 or 专业学位类别 under it matches.
        code_filter = {
            "discipline__parent_id" if len(discipline) == 2 else "discipline_id": discipline
        }
        people = people.filter(
            Exists(
                ProfileDisciplines.objects.filter(
                    talentprofile__person_id=OuterRef("pk"), **code_filter
                )
            )
        )
    if role:
        profile_filter &= Q(**{f"profile__{volunteer_field(role)}": True})
    if availability in Availability.values:
        profile_filter &= Q(profile__availability=availability)
    if confirmed == "yes":
        profile_filter &= Q(profile__confirmed_at__isnull=False)
    elif confirmed == "no":
        profile_filter &= Q(profile__isnull=True) | Q(profile__confirmed_at__isnull=True)
    return people.filter(profile_filter).select_related("unit", "profile")


def with_profile_details(people):
    """Prefetch what the list and the export show, in a fixed number of queries."""
    return people.prefetch_related(
        Prefetch("profile__disciplines", queryset=Discipline.objects.order_by("code")),
        "profile__service_regions",
    )


def discipline_choices():
    """(门类, [(code, label)…]) groups for a discipline filter: the 门类 itself, then its members."""
    groups = {}
    for discipline in Discipline.objects.order_by("code"):
        if discipline.parent_id is None:
            groups[discipline.code] = (
                discipline,
                [(discipline.code, f"{discipline.code} {discipline.name}（全部）")],
            )
        else:
            groups[discipline.parent_id][1].append(
                (discipline.code, f"{discipline.code} {discipline.name}")
            )
    return [(f"{cat.code} {cat.name}", options) for cat, options in groups.values()]


def import_batches_visible_to(user):
    """An import is seen by whoever uploaded it, and by org admins."""
    if access_for(user).is_org_admin:
        return ImportBatch.objects.all()
    if not user.is_authenticated:
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(created_by=user)


def get_import_batch_for_user(user, pk):
    try:
        return import_batches_visible_to(user).get(pk=pk)
    except ImportBatch.DoesNotExist as exc:
        raise Http404 from exc


def profile_with_details(person):
    """The person's profile with its disciplines and regions, or None if they have none yet."""
    return (
        TalentProfile.objects.filter(person=person)
        .select_related("confirmed_by")
        .prefetch_related("disciplines", "service_regions")
        .first()
    )


def stale_profiles(now: datetime.datetime | None = None) -> QuerySet[TalentProfile]:
    """Profiles of people with an account, unconfirmed for CONFIRMATION_LIFETIME."""
    cutoff = (now or timezone.now()) - CONFIRMATION_LIFETIME
    return TalentProfile.objects.filter(
        person__user__isnull=False, confirmed_at__lt=cutoff
    ) | TalentProfile.objects.filter(
        person__user__isnull=False, confirmed_at__isnull=True, unconfirmed_since__lt=cutoff
    )
