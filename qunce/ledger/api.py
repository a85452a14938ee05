import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from qunce.org import selectors as org_selectors
from qunce.org.access import access_for
from qunce.org.models import Campaign
from qunce.talents.models import ServiceRole

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
@paginate(PageNumberPagination)
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
    campaign = Campaign.objects.filter(pk=payload.campaign_id).first()
    if campaign is None:
        raise ValidationError({"campaign_id": _("专项行动不存在。")})
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
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    unit = get_object_or_404(org_selectors.units_administered_by(request.user), pk=query.unit_id)
    campaign = get_object_or_404(Campaign, pk=query.campaign_id)
    return selectors.recommendation_list(kind=query.kind, campaign=campaign, unit=unit)
