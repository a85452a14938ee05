"""Reads of check-ins. Only the person, the admins of their unit (and the units above it) and
the org admin see a record; everything else, pages, API and exports, goes through here."""

import datetime
import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from qunce.accounts.models import User
from qunce.org import selectors as org_selectors
from qunce.org.access import access_for
from qunce.org.models import Campaign, Person, Unit

from .models import Checkin, CheckinPolicy, HealthAlert

TREND_DAYS = 14


OPEN_POLICIES_CACHE_KEY = "health:open-policies"
OPEN_POLICIES_CACHE_SECONDS = 60


def open_policies():
    return CheckinPolicy.objects.select_related("campaign").filter(
        enabled=True, campaign__status=Campaign.Status.ACTIVE
    )


# Each process also keeps the list a few seconds: at the morning peak even the cache's round
# trip per check-in counts. A change reaches every process within these seconds.
OPEN_POLICIES_KEPT_SECONDS = 5
_open_policies_kept: dict[str, tuple] = {}


def open_policy_list():
    """The open check-ins, newest campaign first. Every check-in asks this, at the same morning
    hour: they are read from the cache, which saving a policy or a campaign clears
    (signals.py)."""
    kept = _open_policies_kept.get("policies")
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    policies = cache.get(OPEN_POLICIES_CACHE_KEY)
    if policies is None:
        # What is cached is read from the primary: a replica's older copy would outlive its lag.
        policies = list(open_policies().using("default").order_by("-campaign__starts_on"))
        cache.set(OPEN_POLICIES_CACHE_KEY, policies, OPEN_POLICIES_CACHE_SECONDS)
    _open_policies_kept["policies"] = (time.monotonic() + OPEN_POLICIES_KEPT_SECONDS, policies)
    return policies


def open_policies_forget():
    """Drop this process's copy and the shared one (call after the change commits)."""
    _open_policies_kept.clear()
    cache.delete(OPEN_POLICIES_CACHE_KEY)


def policy_for(campaign_id=None):
    """The check-in a person fills today: the one named, or the newest open one."""
    policies = open_policy_list()
    if campaign_id is not None:
        policies = [p for p in policies if str(p.campaign_id) == str(campaign_id)]
    return policies[0] if policies else None


def person_of(user):
    """The signed-in account's person, or None (token auth has already loaded it)."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def expected_people():
    """Who is expected to report each day: everyone with an active account."""
    return Person.objects.filter(user__isnull=False, user__is_active=True)


def non_reporters(*, campaign, day):
    # NOT IN over the day's reporters, not NOT EXISTS: in the morning the planner's statistics
    # have not seen today's rows yet, and with NOT IN PostgreSQL hashes them whatever it guesses.
    reported = Checkin.objects.filter(campaign=campaign, day=day).values("person_id")
    return expected_people().exclude(pk__in=reported).order_by("unit__path", "staff_no")


def _scope_filter(user, lookup):
    access = access_for(user)
    if access.is_org_admin:
        return Q()
    own = Q(**{lookup.replace("unit__path", "pk"): access.person_id}) if access.person_id else None
    scope = access.read_path_filter(lookup)
    return scope | own if own is not None else scope


def checkins_visible_to(user):
    if not user.is_authenticated:
        return Checkin.objects.none()
    return Checkin.objects.filter(_scope_filter(user, "person__unit__path"))


def own_checkins(user, campaign=None):
    """The signed-in person's own check-ins (of `campaign`, if named), through the one
    visibility rule."""
    person = person_of(user)
    if person is None:
        return Checkin.objects.none()
    checkins = checkins_visible_to(user).filter(person=person)
    return checkins.filter(campaign=campaign) if campaign is not None else checkins


def own_alerts(user):
    person = person_of(user)
    if person is None:
        return HealthAlert.objects.none()
    return alerts_visible_to(user).filter(person=person)


def expected_people_visible_to(user, scope):
    """Who is expected to report in `scope` (a unit the user administers), as far as this user
    may see people: the dashboard's export lists exactly these."""
    return org_selectors.people_visible_to(user).filter(
        user__isnull=False, user__is_active=True, unit__path__startswith=scope.path
    )


def alerts_visible_to(user):
    if not user.is_authenticated:
        return HealthAlert.objects.none()
    return HealthAlert.objects.filter(_scope_filter(user, "person__unit__path"))


def get_alert_for_user(user, pk):
    try:
        return (
            alerts_visible_to(user)
            .select_related("person__unit", "checkin__region", "acknowledged_by", "closed_by")
            .get(pk=pk)
        )
    except (HealthAlert.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def may_follow_up(user, alert):
    """The admins of the person's unit, but not the person, even if an admin themselves."""
    access = access_for(user)
    return access.administers_unit(alert.person.unit) and access.person_id != alert.person_id


def dashboard_units_for(user):
    """The units whose dashboard `user` may open, highest first: those they administer, and
    the universities that share their people's records with them."""
    access = access_for(user)
    if access.is_org_admin:
        return Unit.objects.get_root_nodes()
    if not access.reads_people:
        raise PermissionDenied
    return Unit.objects.filter(
        path__in=access.admin_unit_paths + access.shared_unit_paths
    ).order_by("path")


def dashboard_unit(user, unit_id=None):
    allowed = list(dashboard_units_for(user))
    if unit_id in (None, ""):
        return allowed[0] if allowed else None
    try:
        unit = Unit.objects.get(pk=unit_id)
    except (Unit.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not access_for(user).reads_path(unit.path):
        raise Http404
    return unit


def province_units_for(user):
    """The province roots whose overview `user` may open: those granted to a province admin,
    every province root to an org admin."""
    access = access_for(user)
    if access.is_org_admin:
        return Unit.objects.filter(depth=1, kind=Unit.Kind.PROVINCE)
    return Unit.objects.filter(path__in=access.province_unit_paths).order_by("path")


def province_unit(user, unit_id=None):
    """The province whose overview `user` asked for (their first when none is named); 403 for
    one who oversees none, 404 for a unit that is not one of theirs."""
    allowed = list(province_units_for(user))
    if not allowed:
        raise PermissionDenied
    if unit_id in (None, ""):
        return allowed[0]
    chosen = next((unit for unit in allowed if str(unit.pk) == str(unit_id)), None)
    if chosen is None:
        raise Http404
    return chosen


@dataclass
class UnitRow:
    unit: Unit
    expected: int = 0
    reported: int = 0
    fever: int = 0
    open_alerts: int = 0

    @property
    def missing(self):
        return max(self.expected - self.reported, 0)

    @property
    def rate(self):
        return round(100 * self.reported / self.expected, 1) if self.expected else None


@dataclass
class Dashboard:
    scope: Unit
    day: datetime.date
    total: UnitRow
    rows: list[UnitRow]
    trend: list[dict] = field(default_factory=list)


def dashboard(*, policy, scope, day=None):
    """The day's reported/expected per child unit of `scope`, and the 14-day trend.

    Counts are taken per unit for the whole university and rolled up the tree here. Past days
    never change (a check-in is always for the day it is sent), so their counts are computed
    once and kept in the cache; only the current day is counted on each request."""
    day = day or timezone.localdate()
    # A province holds thousands of units: rolled up as (id, path) pairs, and only the rows'
    # own units made into objects.
    units = list(
        Unit.objects.filter(path__startswith=scope.path).order_by("path").values_list("pk", "path")
    )
    in_scope = {"campaign": policy.campaign, "unit__path__startswith": scope.path}
    expected = _expected_per_unit()
    first = day - datetime.timedelta(days=TREND_DAYS - 1)
    days = [first + datetime.timedelta(days=offset) for offset in range(TREND_DAYS)]
    per_day = _reports_per_unit(policy.campaign_id, days, scope)
    open_alerts = dict(
        HealthAlert.objects.filter(**in_scope)
        .exclude(status=HealthAlert.Status.CLOSED)
        .order_by()
        .values_list("unit_id")
        .annotate(n=Count("unit_id"))
    )
    # Each row is a child of the scope with its whole subtree; people placed directly in the
    # scope unit get a row of their own.
    children = Unit.objects.filter(path__startswith=scope.path, depth=scope.depth + 1)
    rows = {unit.path: UnitRow(unit) for unit in [scope, *children.order_by("path")]}
    total = UnitRow(scope)
    row_length = (scope.depth + 1) * Unit.steplen
    for unit_id, path in units:
        row = rows.get(path[:row_length]) or rows[scope.path]
        reported, fever = per_day[day].get(unit_id, (0, 0))
        for bucket in (row, total):
            bucket.expected += expected.get(unit_id, 0)
            bucket.reported += reported
            bucket.fever += fever
            bucket.open_alerts += open_alerts.get(unit_id, 0)
    own_row = rows.pop(scope.path)
    ordered = ([own_row] if own_row.expected else []) + list(rows.values())
    alerts = dict(
        HealthAlert.objects.filter(day__range=(first, day), **in_scope)
        .order_by()
        .values_list("day")
        .annotate(n=Count("id"))
    )
    trend = []
    for one in days:
        reported = fevers = 0
        for unit_id, _path in units:
            n, fever = per_day[one].get(unit_id, (0, 0))
            reported += n
            fevers += fever
        trend.append(
            {
                "day": one.isoformat(),
                "reported": reported,
                "rate": round(100 * reported / total.expected, 1) if total.expected else 0,
                "fever": fevers,
                "alerts": alerts.get(one, 0),
            }
        )
    return Dashboard(scope=scope, day=day, total=total, rows=ordered, trend=trend)


EXPECTED_CACHE_SECONDS = 60
PAST_DAY_CACHE_SECONDS = 3 * 24 * 3600


def _expected_per_unit():
    """{unit id: people expected to report}. Accounts come and go slowly: a minute's delay in
    the head count is the price of not joining every person to their account on each refresh.

    Counted as the people with an account less those whose account is switched off, each from
    an index of its own: joined to a province's million accounts, the one count took 750 ms."""
    counts = cache.get(EXPECTED_KEY)
    if counts is None:
        counts = _expected_counted()
        cache.set(EXPECTED_KEY, counts, EXPECTED_CACHE_SECONDS)
    return counts


EXPECTED_KEY = "health:expected-per-unit"


def _expected_counted():
    people = Person.objects.using("default").order_by().values_list("unit_id")
    counts = dict(people.filter(user__isnull=False).annotate(n=Count("unit_id")))
    switched_off = people.filter(user__is_active=False).annotate(n=Count("unit_id"))
    for unit_id, n in switched_off:
        counts[unit_id] -= n
    return counts


def _reports_key(campaign_id, day, block_path=""):
    key = f"health:reports:{campaign_id}:{day.isoformat()}"
    return f"{key}:{block_path}" if block_path else key


# Past days' counts are kept for the whole installation and, sliced, for each unit down to this
# depth (a province's universities, a university's colleges): a dashboard reads its own slice.
BLOCK_DEPTH = 2


def _block_of(scope):
    return scope.path[: min(scope.depth, BLOCK_DEPTH) * Unit.steplen]


def forget_reports_before(campaign_id, cutoff):
    """After a purge: the cached counts of the days it emptied that a trend can still show."""
    blocks = ["", *Unit.objects.filter(depth__lte=BLOCK_DEPTH).values_list("path", flat=True)]
    cache.delete_many(
        [
            _reports_key(campaign_id, cutoff - datetime.timedelta(days=back), block)
            for back in range(1, TREND_DAYS + 1)
            for block in blocks
        ]
    )


def _reports_per_unit(campaign_id, days, scope):
    """{day: {unit id: (reported, fevers)}} for the units of `scope`'s block.

    Past days never change: each is counted once for the whole installation and kept, and each
    block's slice of it kept beside it, so that a university's dashboard reads a few hundred
    units' counts instead of a province's 5,842 thirteen times (21 ms from the cache alone).
    Today's are counted afresh for the block's units each time, possibly on a replica."""
    today = timezone.localdate()
    block = _block_of(scope)
    past = [one for one in days if one < today]
    keys = {one: _reports_key(campaign_id, one, block) for one in past}
    cached = cache.get_many(list(keys.values()))
    result = {one: cached[keys[one]] for one in past if keys[one] in cached}
    missing = [one for one in past if one not in result]
    block_units = Unit.objects.filter(path__startswith=block).values("pk")
    if missing:
        in_block = set(block_units.values_list("pk", flat=True))
        whole = _reports_everywhere(campaign_id, missing)
        for one in missing:
            result[one] = {unit: n for unit, n in whole[one].items() if unit in in_block}
        cache.set_many({keys[one]: result[one] for one in missing}, PAST_DAY_CACHE_SECONDS)
    if today in days:
        result[today] = _reports_today(campaign_id, today, block, block_units)
    return result


# Today's counts are counted afresh on each request while that is cheap; once counting takes
# longer (a province's morning: 970,000 check-ins of the day, 200 ms for the province, 25 ms
# for its largest university), they are kept this long, so that the cost is paid once per
# block and interval whatever the number of admins looking.
TODAY_COUNT_SLOW_SECONDS = 0.05
TODAY_COUNT_KEPT_SECONDS = 30


def _today_key(campaign_id, today, block):
    return f"{_reports_key(campaign_id, today, block)}:today"


def _reports_today(campaign_id, today, block, block_units):
    key = _today_key(campaign_id, today, block)
    kept = cache.get(key)
    if kept is not None:
        return kept
    counts, slow = _today_counted(
        Checkin.objects.filter(unit_id__in=block_units), campaign_id, today
    )
    if slow:
        cache.set(key, counts, TODAY_COUNT_KEPT_SECONDS)
    return counts


def _today_counted(checkins, campaign_id, today):
    """({unit id: (reported, fevers)} of `checkins` today, whether counting them was slow)."""
    started = time.perf_counter()
    counted = _counted(checkins, campaign_id, [today])
    counts = {unit_id: (n, fevers) for _day, unit_id, n, fevers in counted}
    return counts, time.perf_counter() - started > TODAY_COUNT_SLOW_SECONDS


# Longer than the minute between two runs of dashboard_counts_keep, so that one late run
# leaves no gap for a page to fill.
COUNTED_AHEAD_SECONDS = 150
YESTERDAY_SETTLED_AFTER = datetime.time(0, 10)


def dashboard_counts_keep(today=None):
    """What the dashboards count, counted ahead every minute by the scheduler
    (`dashboard-counts`), so that no admin's page pays for it: the head count per unit, the
    past days of the trend where the cache has lost them (3.5 s for a province, paid before by
    the first admin of the day), and, where counting it is slow, today's counts of every
    block. Returns the campaigns whose counts were kept ahead."""
    today = today or timezone.localdate()
    cache.set(EXPECTED_KEY, _expected_counted(), COUNTED_AHEAD_SECONDS)
    # A check-in sent at 23:59:59 may commit after midnight: yesterday is left to the pages
    # (which count it once it is asked for) until these first minutes have passed.
    settled = timezone.localtime().time() >= YESTERDAY_SETTLED_AFTER
    past = [
        today - datetime.timedelta(days=back) for back in range(1 if settled else 2, TREND_DAYS)
    ]
    units = list(Unit.objects.values_list("pk", "path"))
    blocks = {path for _pk, path in units if len(path) <= BLOCK_DEPTH * Unit.steplen}
    kept = []
    for policy in open_policy_list():
        _reports_everywhere(policy.campaign_id, past)
        counts, slow = _today_counted(Checkin.objects.using("default"), policy.campaign_id, today)
        if not slow:
            continue  # pages count today's afresh: it is cheap
        slices: dict[str, dict] = {block: {} for block in blocks}
        for unit_id, path in units:
            if unit_id in counts:
                for depth in range(1, BLOCK_DEPTH + 1):
                    if path[: depth * Unit.steplen] in slices:
                        slices[path[: depth * Unit.steplen]][unit_id] = counts[unit_id]
        cache.set_many(
            {_today_key(policy.campaign_id, today, block): one for block, one in slices.items()},
            COUNTED_AHEAD_SECONDS,
        )
        kept.append(policy.campaign.name)
    return kept


def _counted(checkins, campaign_id, days):
    return (
        checkins.filter(campaign_id=campaign_id, day__in=days)
        .order_by()
        .values_list("day", "unit_id")
        .annotate(n=Count("unit_id"), fevers=Count("unit_id", filter=Q(fever=True)))
    )


def _reports_everywhere(campaign_id, days):
    """{day: {unit id: (reported, fevers)}} of past `days` for every unit, from the cache or
    counted once on the primary (kept for days, a replica's older count would outlive its lag)."""
    keys = {one: _reports_key(campaign_id, one) for one in days}
    cached = cache.get_many(list(keys.values()))
    result = {one: cached[keys[one]] for one in days if keys[one] in cached}
    missing = [one for one in days if one not in result]
    for one in missing:
        result[one] = {}
    if missing:
        for one, unit_id, n, fevers in _counted(
            Checkin.objects.using("default"), campaign_id, missing
        ):
            result[one][unit_id] = (n, fevers)
        cache.set_many({keys[one]: result[one] for one in missing}, PAST_DAY_CACHE_SECONDS)
    return result


@dataclass(frozen=True)
class NonReporter:
    """One line of the non-reporter list: what it shows and no more."""

    pk: int
    name: str
    staff_no: str
    unit_name: str
    mobile: str


FIRST_PEOPLE_ASKED = 50


def scope_non_reporters_first(*, policy, scope, day, limit):
    """The first `limit` people of `scope` who have not reported on `day`, in the order of the
    full list (unit path, then 工号), found a few units at a time: the first few usually hold
    enough. One query over the whole scope lets the planner sort everyone of a 70,000-person
    university who has not reported, or scan every person of the province (seen at 230 ms).

    Each batch of units holds about as many people as are still to find (twice as many each
    time it falls short), sized by the cached head count; asking eight units at a time read
    6,168 people of the largest university to show 200."""
    units = list(
        Unit.objects.filter(path__startswith=scope.path).order_by("path").values_list("pk", "name")
    )
    unit_names = dict(units)
    head_count = _expected_per_unit()
    found: list[NonReporter] = []
    start, wanted = 0, max(limit, FIRST_PEOPLE_ASKED)
    while start < len(units) and len(found) < limit:
        chunk, people_in_chunk = [], 0
        while start < len(units) and people_in_chunk < wanted:
            unit_id = units[start][0]
            chunk.append(unit_id)
            people_in_chunk += head_count.get(unit_id, 0)
            start += 1
        wanted *= 2
        place = {unit_id: position for position, unit_id in enumerate(chunk)}
        # Whether each has reported and whether their account is on are asked per person in
        # the select list, where PostgreSQL can only probe the unique (campaign, person, day)
        # index and the accounts' key: as a join or a NOT EXISTS, the planner may read every
        # check-in of the day (it has not seen this morning's) or every account; as lists of
        # ids, a thousand parameters cost more to send than the query does to run.
        people = sorted(
            Person.objects.filter(unit_id__in=chunk, user__isnull=False)
            .annotate(
                reported=Exists(
                    Checkin.objects.filter(
                        campaign=policy.campaign, day=day, person_id=OuterRef("pk")
                    )
                ),
                active=Subquery(User.objects.filter(pk=OuterRef("user_id")).values("is_active")),
            )
            .values_list("pk", "unit_id", "staff_no", "name", "mobile", "reported", "active"),
            key=lambda row: (place[row[1]], row[2]),
        )
        found += [
            NonReporter(pk, name, staff_no, unit_names[unit_id], mobile)
            for pk, unit_id, staff_no, name, mobile, reported, active in people
            if active and not reported
        ][: limit - len(found)]  # fmt: skip
    return found


@dataclass(frozen=True)
class AlertLine:
    """One line of a dashboard's open alerts, its labels in the page's language."""

    pk: int
    person_id: int
    person_name: str
    unit_name: str
    day: datetime.date
    reasons: str
    status: str

    @property
    def day_label(self):
        return self.day.strftime("%m-%d")


def scope_open_alerts(*, policy, scope, limit):
    """The first `limit` open alerts of `scope`, not yet handled first, newest first. Lines, not
    models: fifty alerts' labels through the template engine cost 15 ms of the page."""
    alerts = (
        HealthAlert.objects.filter(campaign=policy.campaign, unit__path__startswith=scope.path)
        .exclude(status=HealthAlert.Status.CLOSED)
        .order_by(
            Case(When(status=HealthAlert.Status.OPEN, then=Value(0)), default=Value(1)),
            "-opened_at",
        )
        .values_list("pk", "person_id", "person__name", "unit__name", "day", "reasons", "status")[
            :limit
        ]
    )
    reason_labels = {value: str(label) for value, label in HealthAlert.Reason.choices}
    status_labels = {value: str(label) for value, label in HealthAlert.Status.choices}
    return [
        AlertLine(
            pk, person_id, name, unit_name, day,
            "、".join(reason_labels[one] for one in reasons), status_labels[status],
        )
        for pk, person_id, name, unit_name, day, reasons, status in alerts
    ]  # fmt: skip


def streak(days, today):
    """Consecutive days reported up to today (or up to yesterday, before today's report)."""
    reported = set(days)
    cursor = today if today in reported else today - datetime.timedelta(days=1)
    count = 0
    while cursor in reported:
        count += 1
        cursor -= datetime.timedelta(days=1)
    return count


def calendar_weeks(days, today, weeks=6):
    """The last `weeks` weeks, Monday first, each day marked reported or not."""
    reported = set(days)
    start = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    return [
        [
            {
                "day": start + datetime.timedelta(days=7 * week + weekday),
                "reported": start + datetime.timedelta(days=7 * week + weekday) in reported,
                "future": start + datetime.timedelta(days=7 * week + weekday) > today,
            }
            for weekday in range(7)
        ]
        for week in range(weeks)
    ]
