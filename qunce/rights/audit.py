"""The audit trail and the read logs as one searchable list for the organization department,
and for a unit's admins as far as it concerns their own people: who did or read what, about
whom, when. Reads only; nothing here can change a row."""

import datetime
import heapq
from dataclasses import dataclass

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qunce.accounts.models import User
from qunce.core.models import AuditEvent
from qunce.core.personal_data import account_label
from qunce.counselling.models import CaseAccess
from qunce.health.models import CheckinAccess
from qunce.org.models import Person, PersonRead
from qunce.talents.models import TalentProfile

KINDS = {
    "audit": gettext_lazy("操作记录"),
    "health": gettext_lazy("查看健康记录"),
    "person": gettext_lazy("查看人员信息"),
    "counselling": gettext_lazy("查看心理咨询个案"),
}


@dataclass(frozen=True)
class Row:
    at: datetime.datetime
    kind: str
    who: str
    whom: str
    what: str
    detail: str

    @property
    def kind_label(self):
        return KINDS[self.kind]


def _account(user):
    return account_label(user) if user is not None else _("（系统或已删除的账号）")


def _between(queryset, since, until):
    if since:
        queryset = queryset.filter(at__gte=_day_start(since))
    if until:
        queryset = queryset.filter(at__lt=_day_start(until + datetime.timedelta(days=1)))
    return queryset


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def search(*, kinds, who="", whom="", since=None, until=None, limit=200, within=None):
    """The newest `limit` rows of the chosen kinds matching the filters, newest first.

    `within` (a queryset of people, for a unit's admins) keeps to the writes to those people's
    records and profiles and the reads of their check-ins and records; never a counselling
    case's reads, which the counselling notice keeps from the person's unit."""
    people = None
    if whom:
        named = Person.objects.filter(Q(name__icontains=whom) | Q(staff_no__icontains=whom))
        if within is not None:
            named = named.filter(pk__in=within.values("pk"))
        people = list(named.values_list("pk", flat=True)[:500])
    elif within is not None:
        people = within.values("pk")
    sources = []
    if "audit" in kinds:
        sources.append(_audit_rows(who, people, since, until, limit))
    if "health" in kinds:
        sources.append(
            _read_rows("health", CheckinAccess, "what", who, people, since, until, limit)
        )
    if "person" in kinds:
        sources.append(_read_rows("person", PersonRead, "via", who, people, since, until, limit))
    # A case's reads name no person (an anonymous case has none): they are left out of a search
    # by person, and of a unit's.
    if "counselling" in kinds and people is None:
        sources.append(_case_rows(who, since, until, limit))
    merged = heapq.merge(*sources, key=lambda row: row.at, reverse=True)
    return [row for _, row in zip(range(limit), merged, strict=False)]


def _audit_rows(who, people, since, until, limit):
    events = _between(AuditEvent.objects.select_related("actor"), since, until)
    if who:
        events = events.filter(**_by_account("actor", who))
    if people is not None:
        # Audit rows name their record by a text key: the people's and their profiles' ids,
        # as text, in the database (a unit's people may be tens of thousands).
        as_key = Cast("pk", CharField())
        persons = Person.objects.filter(pk__in=people).annotate(key=as_key).values("key")
        profiles = (
            TalentProfile.objects.filter(person__in=people).annotate(key=as_key).values("key")
        )
        events = events.filter(
            Q(target_type="org.person", target_id__in=persons)
            | Q(target_type="talents.talentprofile", target_id__in=profiles)
        )
    return [
        Row(
            event.at,
            "audit",
            _account(event.actor),
            f"{event.target_type} #{event.target_id}",
            event.action,
            _changes(event.changes),
        )
        for event in events.order_by("-at")[:limit]
    ]


def _read_rows(kind, model, what, who, people, since, until, limit):
    """Rows of a read log whose person is kept as `person_number` (it outlives the person)."""
    reads = _between(model.objects.select_related("viewer"), since, until)
    if who:
        reads = reads.filter(**_by_account("viewer", who))
    if people is not None:
        reads = reads.filter(person_number__in=people)
    reads = list(reads.order_by("-at")[:limit])
    names = dict(
        Person.objects.filter(pk__in={read.person_number for read in reads}).values_list(
            "pk", "name"
        )
    )
    return [
        Row(
            read.at,
            kind,
            _account(read.viewer),
            names.get(read.person_number) or _("人员 #%(id)s") % {"id": read.person_number},
            str(getattr(read, f"get_{what}_display")()),
            getattr(read, "detail", ""),
        )
        for read in reads
    ]


def _case_rows(who, since, until, limit):
    reads = _between(CaseAccess.objects.select_related("user"), since, until)
    if who:
        reads = reads.filter(**_by_account("user", who))
    return [
        Row(
            read.at,
            "counselling",
            _account(read.user),
            _("心理咨询个案 #%(id)s") % {"id": read.case_number},
            read.action,
            "",
        )
        for read in reads.order_by("-at")[:limit]
    ]


def _by_account(field, text):
    """A filter on the account field `field`: accounts whose name or username holds `text`."""
    named = User.objects.filter(Q(username__icontains=text) | Q(first_name__icontains=text))
    return {f"{field}__in": named.values("pk")}


def _changes(changes):
    if not changes:
        return ""
    return "；".join(f"{key}: {value}" for key, value in list(changes.items())[:6])
