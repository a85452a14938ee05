"""The figures an organization department files upward: for one campaign and a date range,
per unit of the chosen subtree, the eight roles (their verified ledger entries and points) and
§三, with the check-in compliance, notice reports and requests resolved behind the rankings.

Every figure is one grouped query over the subtree, whatever its size: a record is counted
under the child of the chosen unit whose path its unit's path starts with."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from qunce.assistance.models import HelpRequest
from qunce.care.models import FamilyNeed
from qunce.health.models import Checkin, CheckinPolicy
from qunce.ledger.models import FrontlineService
from qunce.ledger.selectors import effective_entries
from qunce.notices.models import Notice, UnitReport
from qunce.org.models import Person, ServiceRole, Unit

RESOLVED_REQUEST = [
    HelpRequest.Status.RESOLVED,
    HelpRequest.Status.FOLLOWED_UP,
    HelpRequest.Status.CLOSED,
]
POINTS = Decimal("0.01")


@dataclass
class UnitFigures:
    label: str
    unit: Unit | None  # None for the chosen unit's own people (本级)
    people: int = 0
    checkins: int = 0
    expected: int = 0
    roles: dict = field(default_factory=dict)  # role -> verified entries
    points: Decimal = Decimal("0")
    requests_resolved: int = 0
    notices_due: int = 0
    notices_reported: int = 0
    frontline: int = 0
    family_resolved: int = 0

    @property
    def compliance(self):
        """Share of expected daily check-ins made, in per cent; None without a check-in."""
        return round(100 * self.checkins / self.expected, 1) if self.expected else None

    @property
    def entries(self):
        return sum(self.roles.values())

    @property
    def role_counts(self):
        """Verified entries of each of the eight roles, in the notice's order."""
        return [self.roles.get(role, 0) for role in ServiceRole.values]

    @property
    def notice_rate(self):
        return (
            round(100 * self.notices_reported / self.notices_due, 1) if self.notices_due else None
        )


@dataclass
class Report:
    scope: Unit
    campaign: object
    date_from: datetime.date
    date_to: datetime.date
    checkin_days: int
    rows: list
    total: UnitFigures

    def ranking(self, attribute, limit=10):
        """The child units best first by `attribute`, leaving out those with none or zero."""
        ranked = [row for row in self.rows if row.unit and getattr(row, attribute)]
        return sorted(ranked, key=lambda row: (-getattr(row, attribute), row.label))[:limit]


def _grouped(queryset, path_lookup, length, *values, **aggregates):
    """{(path prefix, *values): {aggregate: figure}} of `queryset` grouped by the first
    `length` characters of the unit path at `path_lookup`."""
    rows = (
        queryset.annotate(prefix=Substr(F(path_lookup), 1, length))
        .order_by()
        .values("prefix", *values)
        .annotate(**aggregates)
    )
    return {(row["prefix"], *(row[v] for v in values)): row for row in rows}


def checkin_days(campaign, date_from, date_to):
    """The days of the range on which the campaign's check-in ran: from its first check-in
    (the day it was switched on, in effect) within the campaign's period, up to today
    (Beijing)."""
    if not CheckinPolicy.objects.filter(campaign=campaign, enabled=True).exists():
        return 0
    first_checkin = Checkin.objects.filter(campaign=campaign, day__gte=date_from).aggregate(
        first=Min("day")
    )["first"]
    if first_checkin is None:
        return 0
    first = max(date_from, campaign.starts_on, first_checkin)
    last = min(date_to, campaign.ends_on or date_to, timezone.localdate())
    return max((last - first).days + 1, 0)


def checkins_in(*, scope, campaign, date_from, date_to):
    """The check-ins made in `scope`'s subtree (by the unit at the time) in the range."""
    return Checkin.objects.filter(
        campaign=campaign,
        day__range=(date_from, date_to),
        unit__path__startswith=scope.path,
    )


def entries_in(*, scope, campaign, date_from, date_to):
    """The verified ledger entries of `scope`'s people whose service overlaps the range."""
    return effective_entries().filter(
        campaign=campaign,
        date_from__lte=date_to,
        date_to__gte=date_from,
        person__unit__path__startswith=scope.path,
    )


def unit_report(*, scope, campaign, date_from, date_to):
    """The figures of `scope`'s children (and of its own people) for `campaign` between the two
    days, inclusive."""
    child_length = (scope.depth + 1) * Unit.steplen
    children = list(Unit.objects.get_children(scope).order_by("path"))
    rows = {child.path: UnitFigures(child.short_name or child.name, child) for child in children}
    rows[scope.path] = UnitFigures(f"{scope.short_name or scope.name}（本级）", None)
    span = {"scope": scope, "campaign": campaign, "date_from": date_from, "date_to": date_to}
    people_in_scope = {"person__unit__path__startswith": scope.path}

    def count_into(attribute, queryset, path_lookup, counted=None):
        """Set `attribute` of each row to its count of `queryset` (of `counted`, distinct)."""
        aggregate = Count(counted, distinct=True) if counted else Count("pk")
        for (prefix,), row in _grouped(queryset, path_lookup, child_length, n=aggregate).items():
            setattr(rows[prefix], attribute, row["n"])

    days = checkin_days(campaign, date_from, date_to)
    count_into("people", Person.objects.filter(unit__path__startswith=scope.path), "unit__path")
    for row in rows.values():
        row.expected = row.people * days
    if days:
        count_into("checkins", checkins_in(**span), "unit__path")

    for (prefix, role), row in _grouped(
        entries_in(**span),
        "person__unit__path",
        child_length,
        "role",
        n=Count("pk"),
        points=Sum("points"),
    ).items():
        rows[prefix].roles[role] = row["n"]
        rows[prefix].points += Decimal(row["points"] or 0)

    count_into(
        "requests_resolved",
        HelpRequest.objects.filter(
            campaign=campaign,
            status__in=RESOLVED_REQUEST,
            resolved_at__date__range=(date_from, date_to),
            expert__unit__path__startswith=scope.path,
        ),
        "expert__unit__path",
    )

    # The reports asked for by the notices published in the range.
    for (prefix,), row in _grouped(
        UnitReport.objects.filter(
            notice__campaign=campaign,
            notice__status=Notice.Status.PUBLISHED,
            notice__status_changed_at__date__range=(date_from, date_to),
            unit__path__startswith=scope.path,
        ),
        "unit__path",
        child_length,
        due=Count("pk"),
        done=Count("pk", filter=Q(status=UnitReport.Status.REPORTED)),
    ).items():
        rows[prefix].notices_due = row["due"]
        rows[prefix].notices_reported = row["done"]

    count_into(
        "frontline",
        FrontlineService.objects.filter(
            campaign=campaign, confirmed_at__isnull=False, starts_on__lte=date_to, **people_in_scope
        ).exclude(ends_on__lt=date_from),
        "person__unit__path",
        counted="person",
    )
    count_into(
        "family_resolved",
        FamilyNeed.objects.filter(
            status=FamilyNeed.Status.RESOLVED,
            status_changed_at__date__range=(date_from, date_to),
            **people_in_scope,
        ),
        "person__unit__path",
    )

    ordered = [rows[child.path] for child in children]
    own = rows[scope.path]
    if own.people or own.entries or own.requests_resolved or own.notices_due:
        ordered.append(own)
    for row in ordered:
        row.points = row.points.quantize(POINTS)
    return Report(
        scope=scope,
        campaign=campaign,
        date_from=date_from,
        date_to=date_to,
        checkin_days=days,
        rows=ordered,
        total=_total(ordered, scope),
    )


# The figures a total adds up, row by row (roles are added per role).
SUMMED = (
    "people",
    "checkins",
    "expected",
    "points",
    "requests_resolved",
    "notices_due",
    "notices_reported",
    "frontline",
    "family_resolved",
)


def _total(rows, scope):
    total = UnitFigures(scope.short_name or scope.name, scope)
    for row in rows:
        for name in SUMMED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for role, n in row.roles.items():
            total.roles[role] = total.roles.get(role, 0) + n
    return total
