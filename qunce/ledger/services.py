"""Writes of the ledger. `ledger_record` is the one door every workflow goes through."""

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qunce.accounts.models import User
from qunce.core.notify import notify_users
from qunce.core.review import Review, review_decide
from qunce.core.services import audit_record
from qunce.core.uploads import checked_upload
from qunce.org.access import Action, access_for, restrict
from qunce.org.models import Campaign, Person, ServiceRole, Unit
from qunce.org.selectors import org_admins

from . import chain, heads, selectors
from .defaults import create_default_ruleset
from .models import (
    ChainHead,
    Claim,
    Commendation,
    Evidence,
    FrontlineService,
    LedgerEntry,
    RecommendationSnapshot,
    RoleRule,
    RuleSet,
)

# Beyond these a figure is a typing error, not a contribution.
MAX_PEOPLE_SERVED = 100_000
MAX_ITEMS_DONATED = 1_000_000
MAX_HOURS_PER_DAY = 24
MAX_TEAM_SIZE = 200


def _check_contribution(
    *, role, campaign, date_from, date_to, hours, people_served, items_donated, team=False
):
    errors = {}
    if role not in ServiceRole.values:
        errors["role"] = _("请选择八员中的一个角色。")
    if date_to < date_from:
        errors["date_to"] = _("结束日期早于开始日期。")
    outside = _within_campaign(campaign, date_from, date_to)
    if outside:
        errors["date_from"] = outside
    days = (date_to - date_from).days + 1 if date_to >= date_from else 1
    max_hours = MAX_HOURS_PER_DAY * days * (MAX_TEAM_SIZE if team else 1)
    if hours < 0 or hours > max_hours:
        errors["hours"] = _("服务时长须在 0 到 %(max)s 小时之间。") % {"max": max_hours}
    if not 0 <= people_served <= MAX_PEOPLE_SERVED:
        errors["people_served"] = _("服务人数须在 0 到 %(max)s 之间。") % {"max": MAX_PEOPLE_SERVED}
    if not 0 <= items_donated <= MAX_ITEMS_DONATED:
        errors["items_donated"] = _("捐赠物品数须在 0 到 %(max)s 之间。") % {
            "max": MAX_ITEMS_DONATED
        }
    if errors:
        raise ValidationError(errors)


def _rules_in_force():
    return selectors.ruleset_in_force() or create_default_ruleset(RuleSet, RoleRule)


def _within_campaign(campaign, first_day, last_day):
    """The error message when a period leaves the campaign's window, else None."""
    campaign_end = campaign.ends_on or timezone.localdate()
    if first_day < campaign.starts_on or last_day > campaign_end:
        return _("日期须在专项行动期间（%(start)s 至 %(end)s）。") % {
            "start": campaign.starts_on,
            "end": campaign_end,
        }
    return None


def points_for(
    *,
    ruleset: RuleSet,
    person: Person | None,
    role: str,
    date_from: date,
    hours: Decimal | int,
    people_served: int,
    items_donated: int,
    frontline: bool,
    replacing: LedgerEntry | None = None,
) -> Decimal:
    """Points by the rule set: base + quantities, times the frontline multiplier, within the
    monthly cap for this person and role (an entry being corrected does not count against it)."""
    rule = RoleRule.objects.filter(ruleset=ruleset, role=role).first()
    if rule is None:
        return Decimal("0")
    raw = (
        rule.base_points
        + rule.per_hour * Decimal(hours)
        + rule.per_person_served * people_served
        + rule.per_item_donated * items_donated
    )
    if frontline:
        raw *= ruleset.frontline_multiplier
    if person is not None:
        month_start = date_from.replace(day=1)
        next_month = date(month_start.year + month_start.month // 12, month_start.month % 12 + 1, 1)
        used = selectors.effective_entries().filter(
            person=person, role=role, date_from__gte=month_start, date_from__lt=next_month
        ).exclude(pk=getattr(replacing, "pk", None)).aggregate(total=Sum("points"))[
            "total"
        ] or Decimal("0")
        raw = min(raw, max(ruleset.monthly_cap - used, Decimal("0")))
    return raw.quantize(chain.POINTS)


@transaction.atomic
def ledger_record(
    *,
    role: str,
    campaign: Campaign,
    date_from: date,
    date_to: date,
    summary: str,
    source: models.Model,
    acting_user: User | None,
    person: Person | None = None,
    team_name: str = "",
    hours: Decimal | int = 0,
    people_served: int = 0,
    items_donated: int = 0,
    corrects: LedgerEntry | None = None,
) -> LedgerEntry:
    """Append one verified entry. `source` is the record whose end produced it (a verified claim,
    a resolved help request, an adopted proposal…); the same source is recorded once."""
    if (person is None) == (not team_name):
        raise ValidationError({"person": _("请指定一位人员或一个团队。")})
    if not summary.strip():
        raise ValidationError({"summary": _("请填写事迹摘要。")})
    hours = Decimal(hours)
    _check_contribution(
        role=role,
        campaign=campaign,
        date_from=date_from,
        date_to=date_to,
        hours=hours,
        people_served=people_served,
        items_donated=items_donated,
        team=person is None,
    )
    source_type, source_id = source._meta.label_lower, str(source.pk)
    if corrects is None:
        existing = LedgerEntry.objects.filter(
            source_type=source_type, source_id=source_id, corrects__isnull=True
        ).first()
        if existing is not None:
            return existing
    head = ChainHead.objects.select_for_update().get_or_create(pk=1)[0]
    # A correction is rated by the rules its entry was recorded under.
    ruleset = corrects.ruleset if corrects is not None else _rules_in_force()
    frontline = person is not None and selectors.served_on_frontline(person, campaign, date_from)
    entry = LedgerEntry(
        seq=head.last_seq + 1,
        person=person,
        team_name=team_name,
        role=role,
        campaign=campaign,
        date_from=date_from,
        date_to=date_to,
        summary=summary.strip(),
        hours=hours.quantize(chain.HOURS),
        people_served=people_served,
        items_donated=items_donated,
        source_type=source_type,
        source_id=source_id,
        corrects=corrects,
        ruleset=ruleset,
        frontline=frontline,
        points=points_for(
            ruleset=ruleset,
            person=person,
            role=role,
            date_from=date_from,
            hours=hours,
            people_served=people_served,
            items_donated=items_donated,
            frontline=frontline,
            replacing=corrects,
        ),
        recorded_at=timezone.now(),
        recorded_by=acting_user
        if acting_user is not None and acting_user.is_authenticated
        else None,
        previous_hash=head.last_hash,
    )
    entry.content_hash = chain.content_hash(_hashed_values(entry))
    entry.save()
    head.last_seq, head.last_hash = entry.seq, entry.content_hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entry


def _hashed_values(entry):
    return {field: getattr(entry, field) for field in chain.HASHED_FIELDS}


class EntryCorrection(TypedDict, total=False):
    """What a correction may change of an entry (any of it); the rest is copied."""

    role: str
    date_from: date
    date_to: date
    hours: Decimal
    people_served: int
    items_donated: int


@transaction.atomic
def ledger_correct(
    *, entry: LedgerEntry, acting_user: User, reason: str, changes: EntryCorrection
) -> LedgerEntry:
    """A correction is a new entry naming the one it replaces; the old one stays as it was."""
    person = entry.person
    if person is not None and not access_for(acting_user).administers_unit(person.unit):
        raise PermissionDenied(_("您无权更正此记录。"))
    if entry.person is None:
        restrict(acting_user, Action.CORRECT_TEAM_ENTRIES)
    if person is not None and access_for(acting_user).person_id == person.pk:
        raise ValidationError({"corrects": _("不能更正本人的记录，请由其他管理员办理。")})
    # The chain's head row is the ledger's lock (the app may not lock entries: it has no
    # UPDATE on them).
    ChainHead.objects.select_for_update().get_or_create(pk=1)
    if LedgerEntry.objects.filter(corrects=entry).exists():
        raise ValidationError({"corrects": _("此记录已被更正，请更正最新的记录。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写更正理由。")})
    values = {field: getattr(entry, field) for field in EntryCorrection.__annotations__}
    values.update(changes)
    summary = f"{entry.summary}\n【更正】{reason.strip()}"
    return ledger_record(
        person=person,
        team_name=entry.team_name,
        campaign=entry.campaign,
        summary=summary,
        source=entry,
        acting_user=acting_user,
        corrects=entry,
        **values,
    )


@transaction.atomic
def claim_submit(
    *,
    person: Person,
    acting_user: User,
    role: str,
    campaign: Campaign,
    date_from: date,
    date_to: date,
    summary: str,
    hours: Decimal | str | int | None = 0,
    people_served: int = 0,
    items_donated: int = 0,
    files: Iterable[UploadedFile] = (),
) -> Claim:
    """A talent files their own contribution (or their unit admin files it for them)."""
    access = access_for(acting_user)
    if access.person_id != person.pk and not access.administers_unit(person.unit):
        raise ValidationError({"person": _("只能为本人或本单位人员填报。")})
    contribution = {
        "role": role,
        "campaign": campaign,
        "date_from": date_from,
        "date_to": date_to,
        "hours": Decimal(hours or 0),
        "people_served": people_served,
        "items_donated": items_donated,
    }
    _check_contribution(**contribution)
    claim = Claim(person=person, submitted_by=acting_user, summary=summary, **contribution)
    claim.full_clean()
    claim.save()
    _store_evidence(claim, files)  # a bad file raises, and the transaction keeps nothing
    audit_record(actor=acting_user, action="claim_submit", target=claim)
    return claim


@transaction.atomic
def claim_add_evidence(*, claim: Claim, acting_user: User, files: Sequence[UploadedFile]) -> Claim:
    """More evidence for a claim still awaiting review, from whoever could have filed it."""
    claim = Claim.objects.select_for_update().select_related("person__unit").get(pk=claim.pk)
    access = access_for(acting_user)
    if access.person_id != claim.person_id and not access.administers_unit(claim.person.unit):
        raise PermissionDenied(_("只能为本人或本单位人员补充材料。"))
    if claim.status != Claim.Status.SUBMITTED:
        raise ValidationError({"evidence": _("已审核的填报不能再补充材料。")})
    _store_evidence(claim, files)
    audit_record(actor=acting_user, action="claim_add_evidence", target=claim)
    return claim


def _store_evidence(claim, files):
    checked = [checked_upload(upload) for upload in files]
    for upload, (content_type, digest) in zip(files, checked, strict=True):
        evidence = Evidence(
            claim=claim,
            original_name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            sha256=digest,
        )
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()


CLAIM_REVIEW = Review(
    own_message=gettext_lazy("不能审核本人填报或本人的记录，请由其他管理员审核。"),
    subject_field="person",
    filer_field="submitted_by",
    reviewer_field="reviewed_by",
    reason_field="rejection_reason",
    reason_required=frozenset({Claim.Status.REJECTED}),
    reason_message=gettext_lazy("请填写退回理由，填报人会看到它。"),
)
# The organization department both proposes (for a team, or where a unit's only admin is the
# honouree) and approves, so proposing one does not keep an admin from deciding it.
COMMENDATION_REVIEW = Review(
    own_message=gettext_lazy("不能审批本人的表彰，请由其他管理员审批。"),
    subject_field="person",
    reviewer_field="decided_by",
)


def _claim_reviewed(claim, acting_user, to_state, reason=""):
    access = access_for(acting_user)
    if not access.administers_unit(claim.person.unit):
        raise PermissionDenied(_("只有本单位管理员可以审核。"))
    return review_decide(
        review=CLAIM_REVIEW,
        record=claim,
        to_state=to_state,
        acting_user=acting_user,
        acting_person_id=access.person_id,
        reason=reason,
    )


@transaction.atomic
def claim_verify(*, claim: Claim, acting_user: User) -> LedgerEntry:
    claim = (
        Claim.objects.select_for_update()
        .select_related("person__unit", "campaign")
        .get(pk=claim.pk)
    )
    _claim_reviewed(claim, acting_user, Claim.Status.VERIFIED)
    return ledger_record(
        person=claim.person,
        role=claim.role,
        campaign=claim.campaign,
        date_from=claim.date_from,
        date_to=claim.date_to,
        summary=claim.summary,
        hours=claim.hours,
        people_served=claim.people_served,
        items_donated=claim.items_donated,
        source=claim,
        acting_user=acting_user,
    )


@transaction.atomic
def claim_reject(*, claim: Claim, acting_user: User, reason: str) -> Claim:
    claim = Claim.objects.select_for_update().select_related("person__unit").get(pk=claim.pk)
    return _claim_reviewed(claim, acting_user, Claim.Status.REJECTED, reason)


@transaction.atomic
def ruleset_create(
    *,
    acting_user: User,
    frontline_multiplier: Decimal,
    monthly_cap: Decimal,
    role_rules: dict[str, dict[str, Decimal]],
    note: str = "",
) -> RuleSet:
    """New rules from now on. `role_rules` maps each role to its four rates."""
    restrict(acting_user, Action.SET_LEDGER_RULES)
    ruleset = RuleSet(
        created_by=acting_user,
        frontline_multiplier=frontline_multiplier,
        monthly_cap=monthly_cap,
        note=note,
    )
    ruleset.full_clean()
    ruleset.save()
    for role in ServiceRole:
        rule = RoleRule(ruleset=ruleset, role=role, **role_rules.get(role.value, {}))
        try:
            rule.full_clean()
        except ValidationError as error:
            raise ValidationError(
                {
                    f"{role.value}.{field}": messages
                    for field, messages in error.message_dict.items()
                }
            ) from error
        rule.save()
    audit_record(actor=acting_user, action="ruleset_create", target=ruleset)
    return ruleset


@transaction.atomic
def frontline_record(
    *,
    person: Person,
    campaign: Campaign,
    starts_on: date,
    ends_on: date | None,
    description: str,
    acting_user: User,
) -> FrontlineService:
    """The unit records and thereby confirms that a person served on the front line."""
    access = access_for(acting_user)
    if not access.administers_unit(person.unit):
        raise ValidationError({"person": _("只能认定本单位人员。")})
    if access.person_id == person.pk:
        raise ValidationError({"person": _("不能认定本人，请由上级或其他管理员办理。")})
    service = FrontlineService(
        person=person,
        campaign=campaign,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        confirmed_by=acting_user,
        confirmed_at=timezone.now(),
    )
    service.full_clean()
    outside = _within_campaign(campaign, starts_on, ends_on or starts_on)
    if outside:
        raise ValidationError({"starts_on": outside})
    service.save()
    audit_record(actor=acting_user, action="frontline_record", target=service)
    return service


@transaction.atomic
def recommendation_finalize(
    *, kind: str, campaign: Campaign, unit: Unit, acting_user: User
) -> RecommendationSnapshot:
    """Store the list as it stands, with the SHA-256 of its rows."""
    restrict(acting_user, Action.FINALIZE_RECOMMENDATIONS)
    rows = [
        selectors.snapshot_row(row)
        for row in selectors.recommendation_list(kind=kind, campaign=campaign, unit=unit)
    ]
    digest = hashlib.sha256(
        json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    snapshot = RecommendationSnapshot.objects.create(
        kind=kind,
        campaign=campaign,
        unit=unit,
        finalized_by=acting_user,
        ruleset=selectors.ruleset_in_force(),
        rows=rows,
        sha256=digest,
    )
    audit_record(actor=acting_user, action="recommendation_finalize", target=snapshot)
    return snapshot


@transaction.atomic
def commendation_propose(
    *,
    acting_user: User,
    campaign: Campaign,
    title: str,
    citation: str,
    awarded_on: date,
    awarding_body: str,
    person: Person | None = None,
    team_name: str = "",
    entries: Iterable[LedgerEntry] = (),
) -> Commendation:
    """A unit admin proposes a person of their units (or a team) for commendation, naming the
    ledger entries behind it; the org admin decides."""
    access = access_for(acting_user)
    if person is not None and not access.administers_unit(person.unit):
        raise ValidationError({"person": _("只能推荐本单位人员。")})
    if person is not None and access.person_id == person.pk:
        raise ValidationError({"person": _("不能推荐本人。")})
    restrict(acting_user, Action.RECOMMEND_COMMENDATIONS)
    foreign = [
        entry
        for entry in entries
        if entry.person_id != (person.pk if person else None)
        or (person is None and entry.team_name != team_name)
    ]
    if foreign:
        raise ValidationError({"entries": _("所选台账记录不属于被推荐的人员或团队。")})
    commendation = Commendation(
        person=person,
        team_name=team_name.strip(),
        campaign=campaign,
        title=title,
        citation=citation,
        awarded_on=awarded_on,
        awarding_body=awarding_body,
        proposed_by=acting_user,
    )
    commendation.full_clean()
    try:
        with transaction.atomic():
            commendation.save()
    except IntegrityError as duplicate:
        # Two admins proposing the same person at once: the constraint decides.
        raise ValidationError({"person": _("此人已被推荐或已获得这一表彰。")}) from duplicate
    commendation.entries.set(entries)
    audit_record(actor=acting_user, action="commendation_propose", target=commendation)
    return commendation


@transaction.atomic
def commendation_decide(
    *, commendation: Commendation, acting_user: User, approve: bool
) -> Commendation:
    restrict(acting_user, Action.DECIDE_COMMENDATIONS)
    commendation = Commendation.objects.select_for_update().get(pk=commendation.pk)
    return review_decide(
        review=COMMENDATION_REVIEW,
        record=commendation,
        to_state=Commendation.Status.APPROVED if approve else Commendation.Status.DECLINED,
        acting_user=acting_user,
        acting_person_id=access_for(acting_user).person_id,
    )


def chain_head_export(*, now: datetime.datetime | None = None) -> Path:
    """Export the chain's head (its last entry's number and hash) to a signed file outside the
    database and to the org admins' inbox. Returns the file's path."""
    last = LedgerEntry.objects.order_by("-seq").values("seq", "content_hash").first()
    seq, content_hash = (last["seq"], last["content_hash"]) if last else (0, "0" * 64)
    path = heads.head_write(
        seq=seq, content_hash=content_hash, entries=LedgerEntry.objects.count(), now=now
    )
    notify_users(
        dedupe_key=f"ledger-head:{path.name}",
        recipients=org_admins(),
        subject=_("贡献台账链头 #%(seq)s") % {"seq": seq},
        body=_(
            "截至 %(at)s，台账共 %(entries)s 条，最后一条 #%(seq)s 的哈希为 %(hash)s。请留存本消息，以便日后核对台账未被改写。"
        )
        % {
            "at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
            "entries": LedgerEntry.objects.count(),
            "seq": seq,
            "hash": content_hash,
        },
        link="/ledger/",
    )
    return path
