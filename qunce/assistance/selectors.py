"""Who sees a help request: the office that handles it (the org admins, or the admins of its
university in a province), the province admins who route it, the experts invited to it, and the
unit admins of those experts. The requester sees it only through the tracking token."""

from statistics import median

from django.db.models import Avg, Count, Q
from django.http import Http404
from django.utils import timezone

from qunce.org.access import access_for, paths_filter
from qunce.org.models import Person, Role, RoleGrant, Unit
from qunce.org.selectors import (
    org_admins,
    people_visible_to,
    sharing_experts_filter,
    unit_admins_of,
)
from qunce.talents.selectors import registry_search

from .models import HelpRequest, Invitation, token_digest


def requests_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return HelpRequest.objects.all()
    if not user.is_authenticated:
        return HelpRequest.objects.none()
    # Only live invitations count: an expert who declined or was released no longer sees the
    # request, nor does their unit admin.
    live = Invitation.objects.filter(
        status__in=(Invitation.Status.INVITED, Invitation.Status.ACCEPTED)
    )
    mine = Q(expert_id=access.person_id) if access.person_id else Q(pk__in=[])
    invitations = live.filter(mine | access.unit_path_filter("expert__unit__path"))
    return HelpRequest.objects.filter(
        Q(pk__in=invitations.values("request_id"))
        | access.unit_path_filter("university__path")
        | _routed_within(access.province_unit_paths)
    )


def _routed_within(province_paths):
    """Requests a province admin routes: those of its universities, and those waiting for a
    university."""
    if not province_paths:
        return Q(pk__in=[])
    return Q(university__isnull=True) | paths_filter("university__path", province_paths)


ROUTABLE_STATES = (HelpRequest.Status.SUBMITTED, HelpRequest.Status.TRIAGED)


def coordinates(user, help_request):
    """Whether `user` is the office that triages, invites and follows up `help_request`."""
    access = access_for(user)
    university = help_request.university
    return access.is_org_admin or (
        university is not None and access.administers_path(university.path)
    )


def requests_handled_by(user):
    """The requests `user` coordinates (as `coordinates` decides one): all for an org admin,
    their university's for its 组织部, none for a college's admin."""
    access = access_for(user)
    if access.is_org_admin:
        return HelpRequest.objects.all()
    return HelpRequest.objects.filter(access.unit_path_filter("university__path"))


def routing_province_paths(user, help_request):
    """The provinces within which `user` may route `help_request`: a province admin's own (an
    org admin's: every province) when the request waits for a university or is with one of
    theirs; none for anyone else."""
    access = access_for(user)
    if access.is_org_admin:
        paths = list(Unit.objects.filter(kind=Unit.Kind.PROVINCE).values_list("path", flat=True))
    else:
        paths = list(access.province_unit_paths)
    current = help_request.university
    if current is not None:
        paths = [path for path in paths if current.path.startswith(path)]
    return paths


def route_targets(user, help_request):
    """The universities `user` may route `help_request` to: none once experts are invited."""
    paths = routing_province_paths(user, help_request)
    if not paths or help_request.status not in ROUTABLE_STATES:
        return Unit.objects.none()
    targets = Unit.objects.filter(paths_filter("path", paths), kind=Unit.Kind.UNIVERSITY)
    return targets.exclude(pk=help_request.university_id).order_by("path")


def invitable_people(user, help_request):
    """Whom the office may invite: everyone visible to it, and the talents of the universities
    that share their experts with the request's university."""
    visible = people_visible_to(user)
    if help_request.university_id is None:
        return visible
    shared = Person.objects.filter(
        sharing_experts_filter(help_request.university, "unit__path"), profile__isnull=False
    )
    return Person.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=shared.values("pk")))


def coordinators_of(help_request):
    """The accounts told of a request's steps: its university's admins (the org admins when it
    has none yet), and, while it waits for a university, the province admins."""
    if help_request.university_id is not None:
        return unit_admins_of(help_request.university) or org_admins()
    grants = RoleGrant.objects.filter(role=Role.PROVINCE_ADMIN, user__is_active=True)
    province_admins = {grant.user for grant in grants.select_related("user")}
    return sorted(province_admins | set(org_admins()), key=lambda user: user.pk)


def get_request_for_user(user, pk):
    try:
        return (
            requests_visible_to(user)
            .select_related("region", "industry", "expert__unit", "university")
            .get(pk=pk)
        )
    except (HelpRequest.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def get_request_by_token(raw_token):
    """The request behind a tracking link; a wrong or expired token is a plain 404."""
    help_request = (
        HelpRequest.objects.select_related("region", "industry", "expert")
        .filter(token_digest=token_digest(raw_token or ""), token_expires_at__gt=timezone.now())
        .first()
    )
    if help_request is None:
        raise Http404
    return help_request


def invitation_of(help_request, user):
    person_id = access_for(user).person_id
    return (
        Invitation.objects.filter(request=help_request, expert_id=person_id).first()
        if person_id
        else None
    )


def _median_hours(pairs):
    spans = [(end - start).total_seconds() / 3600 for start, end in pairs if start and end]
    return round(median(spans), 1) if spans else None


def report(requests):
    """The figures of the report page, over the requests the user may see."""
    by = {
        key: list(requests.values(label).annotate(n=Count("pk")).order_by("-n")[:12])
        for key, label in (
            ("status", "status"),
            ("category", "category"),
            ("industry", "industry__parent__name"),
            ("region", "region__name"),
            ("unit", "expert__unit__name"),
        )
    }
    status_labels = dict(HelpRequest.Status.choices)
    category_labels = dict(HelpRequest.Category.choices)
    for row in by["status"]:
        row["label"] = status_labels.get(row["status"], row["status"])
    for row in by["category"]:
        row["label"] = category_labels.get(row["category"], row["category"])
    for key, label in (
        ("industry", "industry__parent__name"),
        ("region", "region__name"),
        ("unit", "expert__unit__name"),
    ):
        for row in by[key]:
            row["label"] = row[label] or "—"
    times = list(requests.values_list("submitted_at", "triaged_at", "accepted_at", "resolved_at"))
    followed = requests.filter(followup_satisfaction__isnull=False)
    return {
        "total": requests.count(),
        "by": by,
        "median_hours_to_triage": _median_hours((s, t) for s, t, _, _ in times),
        "median_hours_to_accept": _median_hours((s, a) for s, _, a, _ in times),
        "median_hours_to_resolve": _median_hours((s, r) for s, _, _, r in times),
        "satisfaction": followed.aggregate(avg=Avg("followup_satisfaction"))["avg"],
        "solved_share": (followed.filter(followup_solved=True).count() / followed.count())
        if followed.exists()
        else None,
        "requester_rating": requests.aggregate(avg=Avg("requester_rating"))["avg"],
    }


REGISTRY_SEARCH_LIMIT = 20


def registry_candidates(user, help_request, *, find="", discipline=""):
    """Talents the user may invite to `help_request` whose name, 工号 or expertise contains
    `find`, or who are in `discipline`: the way forward when matching suggests no one, or not
    the right one."""
    find = find.strip()[:50]
    if not find and not discipline:
        return []
    people = invitable_people(user, help_request).filter(profile__isnull=False)
    if discipline:
        people = registry_search(people, discipline=discipline)
    if find:
        by_name = registry_search(people, q=find).values("pk")
        by_expertise = registry_search(people, keyword=find).values("pk")
        people = people.filter(Q(pk__in=by_name) | Q(pk__in=by_expertise))
    return list(
        people.select_related("unit", "user", "profile").order_by("staff_no")[
            :REGISTRY_SEARCH_LIMIT
        ]
    )
