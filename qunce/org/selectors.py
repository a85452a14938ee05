"""Reads of the organization. Every page, API endpoint and export goes through *_visible_to."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from qunce.core.models import StateEvent

from .access import Action, access_for, may, paths_filter
from .models import (
    Campaign,
    Person,
    PoliticalStatus,
    Role,
    RoleGrant,
    ServiceRole,
    TitleLevel,
    Unit,
)


def units_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return Unit.objects.all()
    if not access.is_authenticated:
        return Unit.objects.none()
    own_unit = Q(pk=access.person_unit_id) if access.person_unit_id else Q(pk__in=[])
    return Unit.objects.filter(access.read_path_filter("path") | own_unit)


def with_parent_id(units):
    """Annotate each unit with its parent's id in the same query (no per-row lookups)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Unit.steplen)
    return units.annotate(
        parent_id=Subquery(Unit.objects.filter(path=parent_path).values("pk")[:1])
    )


def units_administered_by(user):
    access = access_for(user)
    if access.is_org_admin:
        return Unit.objects.all()
    return Unit.objects.filter(access.unit_path_filter("path"))


def people_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return Person.objects.all()
    if not access.is_authenticated:
        return Person.objects.none()
    own_record = Q(pk=access.person_id) if access.person_id else Q(pk__in=[])
    return Person.objects.filter(access.read_path_filter("unit__path") | own_record)


def people_recorded_by(user):
    """Whom `user` may record work for (online teaching, a vanguard act, an article): an admin,
    the people of their units; anyone else, themself."""
    people = people_visible_to(user)
    if may(user, Action.ACT_FOR_UNIT_PEOPLE):
        return people
    return people.filter(pk=access_for(user).person_id)


def campaigns_visible_to(user):
    return Campaign.objects.all() if user.is_authenticated else Campaign.objects.none()


def reads_of(person, limit=20):
    """Who has read the person's record lately, for the person to see."""
    return list(person.reads.select_related("viewer")[:limit])


def get_campaign_for_user(user, pk):
    try:
        return campaigns_visible_to(user).get(pk=pk)
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


# Campaigns whose retention clock runs: the purge day is known.
def campaign_list():
    """Every campaign, newest first."""
    return list(Campaign.objects.order_by("-starts_on", "-pk"))


def campaign_moves(campaign):
    """(status, button label) the campaign may move to now."""
    return [
        (status, Campaign.ACTIONS[status])
        for status in Campaign.Status
        if status in Campaign.TRANSITIONS[campaign.status]
    ]


@dataclass(frozen=True)
class StatusChange:
    """One move of a campaign, its states in the page's words."""

    at: datetime.datetime
    actor: AbstractBaseUser | None
    from_label: Promise
    to_label: Promise


def campaign_events(campaign):
    return [
        StatusChange(
            event.at,
            event.actor,
            Campaign.Status(event.from_state).label,
            Campaign.Status(event.to_state).label,
        )
        for event in StateEvent.objects.filter(
            target_type=Campaign._meta.label_lower, target_id=str(campaign.pk)
        ).select_related("actor")
    ]


def _get_for_user(queryset, pk, *, user, action, administered):
    """404 for what the user cannot see; 403 for what they see but may not change."""
    try:
        obj = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if action == "change" and not administered(obj):
        raise PermissionDenied
    return obj


def get_unit_for_user(user, pk, action="view"):
    access = access_for(user)
    return _get_for_user(
        units_visible_to(user), pk, user=user, action=action, administered=access.administers_unit
    )


def get_person_for_user(user, pk, action="view"):
    access = access_for(user)
    return _get_for_user(
        people_visible_to(user).select_related("unit", "user"),
        pk,
        user=user,
        action=action,
        administered=lambda person: access.administers_unit(person.unit),
    )


def people_search(queryset, *, q="", unit=None, title_level="", political_status=""):
    """Filters of the people list; `unit` includes its whole subtree."""
    q = q.strip()
    if q:
        queryset = queryset.filter(Q(name__contains=q) | Q(staff_no__startswith=q))
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if title_level:
        queryset = queryset.filter(title_level=title_level)
    if political_status:
        queryset = queryset.filter(political_status=political_status)
    return queryset.select_related("unit").order_by("staff_no")


def unit_tree_with_counts(user):
    """Visible units in tree order, each with its own head count and its subtree's total."""
    units = list(units_visible_to(user).annotate(people_count=Count("people")).order_by("path"))
    by_path = {unit.path: unit for unit in units}
    for unit in units:
        unit.subtree_count = unit.people_count
    # Deepest first, so each unit's total is complete before it is added to its parent's.
    for unit in sorted(units, key=lambda u: -len(u.path)):
        parent = by_path.get(unit.path[: -Unit.steplen])
        if parent is not None:
            parent.subtree_count += unit.subtree_count
    return units


def people_overview(queryset):
    """Head counts by 职称 level and political status, for home pages."""
    by_title = dict(queryset.order_by().values_list("title_level").annotate(n=Count("id")))
    by_status = dict(queryset.order_by().values_list("political_status").annotate(n=Count("id")))
    return {
        "total": sum(by_title.values()),
        "by_title": [(label, by_title.get(value, 0)) for value, label in TitleLevel.choices],
        "by_status": [(label, by_status.get(value, 0)) for value, label in PoliticalStatus.choices],
        "with_account": queryset.filter(user__isnull=False).count(),
    }


def active_campaigns():
    return Campaign.objects.filter(status=Campaign.Status.ACTIVE).order_by("-starts_on")


def roles_switched_off():
    """The eight roles that no running campaign has switched on; none while nothing runs, so
    the records of an ended campaign stay in reach."""
    running = active_campaigns().values_list("roles", flat=True)
    switched_on = {role for roles in running for role in roles}
    return frozenset(set(ServiceRole.values) - switched_on) if switched_on else frozenset()


def org_admins():
    """The organization department's active admin accounts."""
    grants = RoleGrant.objects.filter(role=Role.ORG_ADMIN, user__is_active=True).select_related(
        "user"
    )
    return sorted({grant.user for grant in grants}, key=lambda u: u.pk)


def university_paths():
    """The unit paths of every university (a province's, or the installation's one)."""
    return set(Unit.objects.filter(kind=Unit.Kind.UNIVERSITY).values_list("path", flat=True))


def university_names(paths):
    """{path: name} of the universities at `paths`."""
    return dict(
        Unit.objects.filter(kind=Unit.Kind.UNIVERSITY, path__in=paths).values_list("path", "name")
    )


def university_path_of(unit_path, paths):
    """Which of the university `paths` `unit_path` lies in; "" for a unit in none of them (the
    province's own offices)."""
    for end in range(Unit.steplen, len(unit_path or "") + 1, Unit.steplen):
        if unit_path[:end] in paths:
            return unit_path[:end]
    return ""


def expert_sharing_paths(university):
    """The universities whose experts serve `university`'s requests: itself, and, when it shares
    its experts, every university under the same root that shares theirs."""
    if not university.shares_experts:
        return [university.path]
    sharing = Unit.objects.filter(
        kind=Unit.Kind.UNIVERSITY,
        shares_experts=True,
        path__startswith=university.path[: Unit.steplen],
    ).values_list("path", flat=True)
    return sorted({university.path, *sharing})


def has_province():
    """Whether this installation serves a province (several universities under one root)."""
    return Unit.objects.filter(kind=Unit.Kind.PROVINCE).exists()


def sharing_universities_for(user):
    """The universities of a province whose sharings (experts, people's records) `user`
    decides: those they administer as its 组织部 (an installation's org admin decides none)."""
    access = access_for(user)
    if not access.is_unit_admin:
        return Unit.objects.none()
    return Unit.objects.filter(
        access.unit_path_filter("path"), kind=Unit.Kind.UNIVERSITY, depth__gt=1
    ).order_by("path")


def sharing_experts_filter(university, lookup):
    """Q over `lookup` (a unit path) matching the units of the universities that serve
    `university`'s requests."""
    return paths_filter(lookup, expert_sharing_paths(university))


def unit_admins_of(unit):
    """Accounts administering `unit`: admins of the unit itself or of any unit above it."""
    own_and_ancestor_paths = [
        unit.path[:end] for end in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)
    ]
    grants = RoleGrant.objects.filter(
        role=Role.UNIT_ADMIN, unit__path__in=own_and_ancestor_paths
    ).select_related("user")
    return sorted({grant.user for grant in grants if grant.user.is_active}, key=lambda u: u.pk)


def campaign_of_payload(campaign_id):
    """The campaign an API payload names, or a ValidationError on its `campaign_id`."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise ValidationError({"campaign_id": _("专项行动不存在。")})
    return campaign


def home_figures(user):
    """The numbers on a user's home page, one section per role they hold."""
    access = access_for(user)
    figures: dict[str, Any] = {"campaigns": list(active_campaigns()[:3])}
    if access.is_admin:
        people = people_visible_to(user)
        figures["scope"] = {
            "units": units_administered_by(user).count(),
            "people": people_overview(people),
        }
        if not access.is_org_admin:
            figures["scope"]["admin_units"] = list(
                units_administered_by(user).filter(path__in=access.admin_unit_paths)
            )
    if access.person_id:
        figures["me"] = people_visible_to(user).select_related("unit").get(pk=access.person_id)
    return figures
