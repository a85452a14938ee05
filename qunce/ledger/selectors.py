"""Reads of the ledger. Entries and claims are seen as their person is (org.people_visible_to)."""

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qunce.org import selectors as org_selectors
from qunce.org.access import access_for
from qunce.org.models import Person, PoliticalStatus

from . import chain, heads
from .chain import POINTS
from .models import (
    ChainHead,
    Claim,
    Commendation,
    Evidence,
    FrontlineService,
    LedgerEntry,
    RecommendationKind,
    RecommendationSnapshot,
    RuleSet,
)


def ruleset_in_force(at=None):
    return (
        RuleSet.objects.filter(effective_from__lte=at or timezone.now())
        .prefetch_related("role_rules")
        .first()
    )


def served_on_frontline(person, campaign, on_date):
    return FrontlineService.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on_date),
        person=person,
        campaign=campaign,
        starts_on__lte=on_date,
        confirmed_at__isnull=False,
    ).exists()


def effective_entries():
    """Entries that count: those no later entry corrects."""
    return LedgerEntry.objects.filter(~Exists(LedgerEntry.objects.filter(corrects=OuterRef("pk"))))


def _person_scope(user, lookup):
    """Q over `lookup` (a person FK): the people the user may see, by the one people queryset."""
    if access_for(user).is_org_admin:
        return Q()
    return Q(**{f"{lookup}__in": org_selectors.people_visible_to(user).values("pk")})


def entries_visible_to(user):
    if not user.is_authenticated:
        return LedgerEntry.objects.none()
    access = access_for(user)
    entries = LedgerEntry.objects.filter(_person_scope(user, "person"))
    # Team entries name no person: the organization department keeps them.
    return entries if access.is_org_admin else entries.filter(person__isnull=False)


def claims_visible_to(user):
    if not user.is_authenticated:
        return Claim.objects.none()
    return Claim.objects.filter(_person_scope(user, "person"))


def frontline_visible_to(user):
    if not user.is_authenticated:
        return FrontlineService.objects.none()
    return FrontlineService.objects.filter(_person_scope(user, "person"))


def get_claim_for_user(user, pk):
    try:
        return claims_visible_to(user).select_related("person__unit", "campaign").get(pk=pk)
    except (Claim.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def get_evidence_for_user(user, pk):
    """A claim's evidence file, for whoever may see the claim."""
    evidence = Evidence.objects.filter(pk=pk, claim__in=claims_visible_to(user)).first()
    if evidence is None:
        raise Http404
    return evidence


def eligible_people(kind):
    people = Person.objects.all()
    if kind == RecommendationKind.PARTY:
        people = people.filter(political_status=PoliticalStatus.CPC_ACTIVIST)
    return people


def recommendation_list(*, kind, campaign, unit):
    """People ranked by their verified points in the campaign, within `unit`'s subtree."""
    frontline = FrontlineService.objects.filter(
        person=OuterRef("person"), campaign=campaign, confirmed_at__isnull=False
    )
    rows = (
        effective_entries()
        .filter(
            campaign=campaign,
            person__unit__path__startswith=unit.path,
            person__in=eligible_people(kind).values("pk"),
        )
        .values(
            "person",
            "person__name",
            "person__staff_no",
            "person__unit__name",
            "person__political_status",
            "person__title",
        )
        .annotate(points=Sum("points"), entries=Count("pk"), frontline=Exists(frontline))
        .order_by("-points", "-frontline", "person__staff_no")
    )
    rows = list(rows)
    for row in rows:
        # SQLite sums decimals as floats: give every backend's total the ledger's two places.
        row["points"] = Decimal(row["points"]).quantize(POINTS)
    return rows


def entries_behind(rows, campaign):
    """The counted entries of each listed person, keyed by person id (one query)."""
    behind: dict[int, list] = {row["person"]: [] for row in rows}
    entries = (
        effective_entries()
        .filter(campaign=campaign, person__in=list(behind))
        .order_by("-date_from")
    )
    for entry in entries:
        behind[entry.person_id].append(entry)
    return behind


def snapshot_row(row):
    return {
        "person_id": row["person"],
        "staff_no": row["person__staff_no"],
        "name": row["person__name"],
        "unit": row["person__unit__name"],
        "title": row["person__title"],
        "political_status": _chinese(PoliticalStatus(row["person__political_status"]).label),
        "points": str(row["points"]),
        "entries": row["entries"],
        "frontline": row["frontline"],
    }


def _chinese(label):
    """A finalized list is a document of record: its words do not follow the viewer's language."""
    with translation.override("zh-hans"):
        return str(label)


def snapshots_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return RecommendationSnapshot.objects.all()
    if not user.is_authenticated:
        return RecommendationSnapshot.objects.none()
    if access.is_unit_admin:
        return RecommendationSnapshot.objects.filter(access.unit_path_filter("unit__path"))
    # A talent sees the finalized lists they appear on.
    ids = [
        snap.pk
        for snap in RecommendationSnapshot.objects.only("rows")
        if any(row["person_id"] == access.person_id for row in snap.rows)
    ]
    return RecommendationSnapshot.objects.filter(pk__in=ids)


def get_snapshot_for_user(user, pk):
    try:
        return snapshots_visible_to(user).select_related("campaign", "unit").get(pk=pk)
    except (RecommendationSnapshot.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def commendations_visible_to(user):
    """Approved commendations are public; proposals are seen as their person is."""
    approved = Q(status=Commendation.Status.APPROVED)
    if not user.is_authenticated:
        return Commendation.objects.filter(approved)
    access = access_for(user)
    if access.is_org_admin:
        return Commendation.objects.all()
    return Commendation.objects.filter(
        approved | _person_scope(user, "person") & Q(person__isnull=False) | Q(proposed_by=user)
    )


def public_commendations():
    return (
        Commendation.objects.filter(status=Commendation.Status.APPROVED)
        .select_related("person__unit", "campaign")
        .prefetch_related("entries")
    )


BROKEN_LINK_REASONS = {
    "content_hash": "内容与其哈希不符",
    "previous_hash": "与前一条记录的哈希链断开",
    "missing": "缺失（已被删除）",
}


def ledger_first_broken_link():
    """(entries checked, message naming the first entry that does not match, or "")."""
    rows = (
        LedgerEntry.objects.order_by("seq")
        .values(*chain.HASHED_FIELDS, "content_hash")
        .iterator(chunk_size=10_000)
    )
    head = ChainHead.objects.get_or_create(pk=1)[0]
    broken = chain.first_broken_link(rows, head_seq=head.last_seq, head_hash=head.last_hash)
    checked = LedgerEntry.objects.count()
    if broken is None:
        return checked, ""
    seq, reason = broken
    return checked, (
        f"台账第 #{seq} 条记录{BROKEN_LINK_REASONS[reason]}：自此条起的记录可能被改动过。"
    )


# The head is exported nightly; older than this, the last export is missing or has stopped.
HEAD_EXPORT_OVERDUE = datetime.timedelta(days=2)


def ledger_head_disagreement():
    """A message when the chain disagrees with the head last exported outside the database
    (the entry it names has another hash, or is gone), or when that file cannot be trusted;
    "" otherwise."""
    exported, problem = heads.head_latest()
    if problem:
        return problem
    stale = timezone.now() - HEAD_EXPORT_OVERDUE
    if exported is None or datetime.datetime.fromisoformat(exported["exported_at"]) < stale:
        if LedgerEntry.objects.filter(recorded_at__lt=stale).exists():
            return _(
                "超过两天没有导出台账链头（链头文件缺失或导出任务未运行），无法与库外的链头核对。"
            )
        return ""
    if not exported["seq"]:
        return ""
    entry = LedgerEntry.objects.filter(seq=exported["seq"]).values("content_hash").first()
    if entry is None or entry["content_hash"] != exported["content_hash"]:
        return _("台账第 #%(seq)s 条与 %(at)s 导出的链头不符：台账可能被整体改写过。") % {
            "seq": exported["seq"],
            "at": exported["exported_at"][:16].replace("T", " "),
        }
    return ""


def ledger_verified():
    """(entries checked, what is wrong: a broken link, a disagreement with the exported head,
    or "")."""
    checked, broken = ledger_first_broken_link()
    return checked, " ".join(filter(None, [broken, ledger_head_disagreement()]))
