import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from qunce.core.pagination import BoundedPageNumberPagination
from qunce.org.access import Action, restrict
from qunce.org.selectors import campaign_of_payload, people_visible_to

from . import selectors, services
from .models import VanguardAct

router = Router(tags=["pledges"])


class TemplateIn(Schema):
    campaign_id: int
    title: str = Field(..., max_length=100)
    items: str = Field(..., max_length=3000)


class TemplateOut(Schema):
    id: int
    campaign_id: int
    title: str
    items: str
    active: bool


class CoverageLine(Schema):
    unit_id: int
    unit: str
    members: int
    signed: int
    rate: float


class ActIn(Schema):
    person_id: int
    campaign_id: int
    done_on: datetime.date
    description: str = Field(..., max_length=2000)
    hours: Decimal = Decimal(0)


class ActOut(Schema):
    id: int
    person_id: int
    unit_id: int
    campaign_id: int
    done_on: datetime.date
    description: str
    hours: Decimal
    status: VanguardAct.Status
    reason: str


class ReviewIn(Schema):
    verify: bool
    reason: str = Field("", max_length=300)


@router.get("/pledges", response=list[TemplateOut])
@paginate(BoundedPageNumberPagination)
def list_pledges(request):
    return selectors.templates_visible_to(request.user)


@router.post("/pledges", response={201: TemplateOut})
def publish_pledge(request, payload: TemplateIn):
    template = services.pledge_template_publish(
        acting_user=request.user,
        campaign=campaign_of_payload(payload.campaign_id),
        title=payload.title,
        items=payload.items,
    )
    return Status(201, template)


@router.post("/pledges/{template_id}/sign", response={201: dict})
def sign_pledge(request, template_id: int):
    template = selectors.get_template_for_user(request.user, template_id)
    signature = services.pledge_sign(template=template, acting_user=request.user)
    return Status(201, {"template_id": template.pk, "signed_at": signature.signed_at})


@router.get("/pledges/{template_id}/coverage", response=list[CoverageLine])
def pledge_coverage(request, template_id: int):
    """Members and signatures per unit, among the units the caller administers."""
    restrict(request.user, Action.READ_UNIT_REPORTS)
    template = selectors.get_template_for_user(request.user, template_id)
    return [
        {**line, "unit_id": line["unit"].pk, "unit": line["unit"].name}
        for line in selectors.coverage(request.user, template)
    ]


@router.get("/vanguard-acts", response=list[ActOut])
@paginate(BoundedPageNumberPagination)
def list_vanguard_acts(request):
    return selectors.acts_visible_to(request.user)


@router.post("/vanguard-acts", response={201: ActOut})
def record_vanguard_act(request, payload: ActIn):
    person = people_visible_to(request.user).filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError({"person_id": _("只能登记本人或本单位党员的先锋事迹。")})
    act = services.vanguard_act_record(
        acting_user=request.user,
        person=person,
        campaign=campaign_of_payload(payload.campaign_id),
        done_on=payload.done_on,
        description=payload.description,
        hours=payload.hours,
    )
    return Status(201, act)


@router.post("/vanguard-acts/{act_id}/review", response=ActOut)
def review_vanguard_act(request, act_id: int, payload: ReviewIn):
    act = selectors.get_act_for_user(request.user, act_id)
    return services.vanguard_act_review(
        act=act, acting_user=request.user, verify=payload.verify, reason=payload.reason
    )
