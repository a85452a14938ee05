import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from qunce.core.pagination import BoundedPageNumberPagination
from qunce.org import selectors as org_selectors
from qunce.org.access import Action, access_for, restrict
from qunce.org.models import Campaign, ServiceRole
from qunce.org.selectors import campaign_of_payload

from . import selectors, services
from .models import Claim, RecommendationKind

router = Router(tags=["ledger"])


class EntryOut(Schema):
    seq: int
    person_id: int | None
    team_name: str
    role: ServiceRole
    campaign_id: int
    date_from: datetime.date
    date_to: datetime.date
    summary: str
    hours: Decimal
    people_served: int
    items_donated: int
    source_type: str
    source_id: str
    corrects_seq: int | None = Field(None, alias="corrects.seq")
    frontline: bool
    points: Decimal
    recorded_at: datetime.datetime
    content_hash: str
    previous_hash: str


class ClaimIn(Schema):
    person_id: int | None = None
    role: ServiceRole
    campaign_id: int
    date_from: datetime.date
    date_to: datetime.date
    summary: str = Field(min_length=1, max_length=1000)
    hours: Decimal = Field(Decimal("0"), ge=0, max_digits=7, decimal_places=1)
    people_served: int = Field(0, ge=0)
    items_donated: int = Field(0, ge=0)


class ClaimOut(Schema):
    id: int
    person_id: int
    role: ServiceRole
    status: Claim.Status
    rejection_reason: str
    date_from: datetime.date
    date_to: datetime.date
    summary: str


class RejectIn(Schema):
    reason: str = Field(max_length=300)


class RankOut(Schema):
    person_id: int = Field(alias="person")
    name: str = Field(alias="person__name")
    staff_no: str = Field(alias="person__staff_no")
    unit: str = Field(alias="person__unit__name")
    points: Decimal
    entries: int
    frontline: bool


class RecommendationQuery(Schema):
    kind: RecommendationKind
    campaign_id: int
    unit_id: int


@router.get("/ledger/entries", response=list[EntryOut])
@paginate(BoundedPageNumberPagination)
def list_entries(request, person_id: int | None = None):
    entries = selectors.entries_visible_to(request.user).select_related("corrects")
    if person_id is not None:
        entries = entries.filter(person_id=person_id)
    return entries.order_by("seq")


@router.post("/ledger/claims", response={201: ClaimOut})
def submit_claim(request, payload: ClaimIn):
    person_id = payload.person_id or access_for(request.user).person_id
    person = (
        org_selectors.people_visible_to(request.user)
        .filter(pk=person_id)
        .select_related("unit")
        .first()
    )
    if person is None:
        raise ValidationError({"person_id": _("人员不存在或不在您的可见范围内。")})
    campaign = campaign_of_payload(payload.campaign_id)
    values = payload.dict(exclude={"person_id", "campaign_id"})
    return Status(
        201,
        services.claim_submit(person=person, campaign=campaign, acting_user=request.user, **values),
    )


@router.post("/ledger/claims/{claim_id}/verify", response=EntryOut)
def verify_claim(request, claim_id: int):
    claim = selectors.get_claim_for_user(request.user, claim_id)
    return services.claim_verify(claim=claim, acting_user=request.user)


@router.post("/ledger/claims/{claim_id}/reject", response=ClaimOut)
def reject_claim(request, claim_id: int, payload: RejectIn):
    claim = selectors.get_claim_for_user(request.user, claim_id)
    return services.claim_reject(claim=claim, acting_user=request.user, reason=payload.reason)


@router.get("/ledger/recommendations", response=list[RankOut])
def recommendations(request, query: Query[RecommendationQuery]):
    restrict(request.user, Action.READ_UNIT_REPORTS)
    unit = get_object_or_404(org_selectors.units_administered_by(request.user), pk=query.unit_id)
    campaign = get_object_or_404(Campaign, pk=query.campaign_id)
    return selectors.recommendation_list(kind=query.kind, campaign=campaign, unit=unit)


class RuleOut(Schema):
    role: ServiceRole
    base_points: Decimal
    per_hour: Decimal
    per_person_served: Decimal
    per_item_donated: Decimal


class RuleSetOut(Schema):
    id: int
    effective_from: datetime.datetime
    frontline_multiplier: Decimal
    monthly_cap: Decimal
    note: str
    role_rules: list[RuleOut]


class FrontlineIn(Schema):
    person_id: int
    campaign_id: int
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    description: str = Field(min_length=1, max_length=200)


class FrontlineOut(Schema):
    id: int
    person_id: int
    campaign_id: int
    starts_on: datetime.date
    ends_on: datetime.date | None
    description: str


class CommendationIn(Schema):
    person_id: int | None = None
    team_name: str = Field("", max_length=100)
    campaign_id: int
    title: str = Field(min_length=1, max_length=100)
    citation: str = Field(min_length=1, max_length=5000)
    awarded_on: datetime.date
    awarding_body: str = Field(min_length=1, max_length=100)
    entry_seqs: list[int] = []


class CommendationOut(Schema):
    id: int
    honoree: str
    person_id: int | None
    team_name: str
    title: str
    citation: str
    awarded_on: datetime.date
    awarding_body: str
    status: str
    entry_seqs: list[int]

    @staticmethod
    def resolve_entry_seqs(commendation):
        return [entry.seq for entry in commendation.entries.all()]


class DecisionIn(Schema):
    approve: bool


def _visible_person(user, person_id):
    person = (
        org_selectors.people_visible_to(user).filter(pk=person_id).select_related("unit").first()
    )
    if person is None:
        raise ValidationError({"person_id": _("人员不存在或不在您的可见范围内。")})
    return person


@router.get("/ledger/rules", response=RuleSetOut)
def rules_in_force(request):
    return selectors.ruleset_in_force()


@router.get("/ledger/frontline", response=list[FrontlineOut])
@paginate(BoundedPageNumberPagination)
def list_frontline(request):
    return selectors.frontline_visible_to(request.user).order_by("-starts_on")


@router.post("/ledger/frontline", response={201: FrontlineOut})
def record_frontline(request, payload: FrontlineIn):
    values = payload.dict(exclude={"person_id", "campaign_id"})
    return Status(
        201,
        services.frontline_record(
            person=_visible_person(request.user, payload.person_id),
            campaign=campaign_of_payload(payload.campaign_id),
            acting_user=request.user,
            **values,
        ),
    )


@router.get("/ledger/commendations", response=list[CommendationOut])
@paginate(BoundedPageNumberPagination)
def list_commendations(request):
    return (
        selectors.commendations_visible_to(request.user)
        .select_related("person")
        .prefetch_related("entries")
        .order_by("-awarded_on")
    )


@router.post("/ledger/commendations", response={201: CommendationOut})
def propose_commendation(request, payload: CommendationIn):
    person = _visible_person(request.user, payload.person_id) if payload.person_id else None
    entries = list(selectors.entries_visible_to(request.user).filter(seq__in=payload.entry_seqs))
    if len(entries) != len(set(payload.entry_seqs)):
        raise ValidationError({"entry_seqs": _("有台账记录不存在或不在您的可见范围内。")})
    values = payload.dict(exclude={"person_id", "campaign_id", "entry_seqs"})
    return Status(
        201,
        services.commendation_propose(
            acting_user=request.user,
            person=person,
            campaign=campaign_of_payload(payload.campaign_id),
            entries=entries,
            **values,
        ),
    )


@router.post("/ledger/commendations/{commendation_id}/decide", response=CommendationOut)
def decide_commendation(request, commendation_id: int, payload: DecisionIn):
    commendation = get_object_or_404(
        selectors.commendations_visible_to(request.user), pk=commendation_id
    )
    return services.commendation_decide(
        commendation=commendation, acting_user=request.user, approve=payload.approve
    )


class CorrectionIn(Schema):
    reason: str = Field(min_length=1, max_length=300)
    role: ServiceRole = None
    date_from: datetime.date = None
    date_to: datetime.date = None
    hours: Decimal = Field(None, ge=0, max_digits=7, decimal_places=1)
    people_served: int = Field(None, ge=0)
    items_donated: int = Field(None, ge=0)


@router.post("/ledger/entries/{seq}/correct", response={201: EntryOut})
def correct_entry(request, seq: int, payload: CorrectionIn):
    """A correction is a new entry naming the one it replaces; the old entry stays as it was."""
    entry = get_object_or_404(selectors.entries_visible_to(request.user), seq=seq)
    changes = payload.dict(exclude_unset=True, exclude={"reason"})
    return Status(
        201,
        services.ledger_correct(
            entry=entry, acting_user=request.user, reason=payload.reason, changes=changes
        ),
    )


class ClaimDetailOut(ClaimOut):
    campaign_id: int
    hours: Decimal
    people_served: int
    items_donated: int
    submitted_at: datetime.datetime
    evidence: list[str]

    @staticmethod
    def resolve_evidence(claim):
        return [item.original_name for item in claim.evidence.all()]


class RuleSetIn(Schema):
    frontline_multiplier: Decimal = Field(ge=1, max_digits=4, decimal_places=2)
    monthly_cap: Decimal = Field(ge=0, max_digits=8, decimal_places=2)
    note: str = Field("", max_length=200)
    role_rules: list[RuleOut]


class SnapshotIn(Schema):
    kind: RecommendationKind
    campaign_id: int
    unit_id: int


class SnapshotOut(Schema):
    id: int
    kind: RecommendationKind
    campaign_id: int
    unit_id: int
    finalized_at: datetime.datetime
    sha256: str
    rows: list[dict]


@router.get("/ledger/claims", response=list[ClaimDetailOut])
@paginate(BoundedPageNumberPagination)
def list_claims(request, status: Claim.Status | None = None):
    claims = selectors.claims_visible_to(request.user).prefetch_related("evidence")
    return claims.filter(status=status) if status else claims


@router.get("/ledger/claims/{claim_id}", response=ClaimDetailOut)
def get_claim(request, claim_id: int):
    return selectors.get_claim_for_user(request.user, claim_id)


@router.post("/ledger/claims/{claim_id}/evidence", response={201: ClaimDetailOut})
def add_evidence(request, claim_id: int, file: File[UploadedFile]):
    """Evidence for a claim still awaiting review, checked as on the page."""
    claim = selectors.get_claim_for_user(request.user, claim_id)
    services.claim_add_evidence(claim=claim, acting_user=request.user, files=[file])
    return Status(201, claim)


@router.post("/ledger/rules", response={201: RuleSetOut})
def publish_rules(request, payload: RuleSetIn):
    role_rules = {rule.role.value: rule.dict(exclude={"role"}) for rule in payload.role_rules}
    return Status(
        201,
        services.ruleset_create(
            acting_user=request.user,
            frontline_multiplier=payload.frontline_multiplier,
            monthly_cap=payload.monthly_cap,
            note=payload.note,
            role_rules=role_rules,
        ),
    )


@router.post("/ledger/snapshots", response={201: SnapshotOut})
def finalize_list(request, payload: SnapshotIn):
    unit = get_object_or_404(org_selectors.units_administered_by(request.user), pk=payload.unit_id)
    return Status(
        201,
        services.recommendation_finalize(
            kind=payload.kind,
            campaign=campaign_of_payload(payload.campaign_id),
            unit=unit,
            acting_user=request.user,
        ),
    )


@router.get("/ledger/snapshots", response=list[SnapshotOut])
@paginate(BoundedPageNumberPagination)
def list_snapshots(request):
    return selectors.snapshots_visible_to(request.user)


@router.get("/ledger/snapshots/{snapshot_id}", response=SnapshotOut)
def get_snapshot(request, snapshot_id: int):
    return selectors.get_snapshot_for_user(request.user, snapshot_id)
