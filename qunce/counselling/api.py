import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Field, Router, Schema, Status

from qunce.accounts.models import User
from qunce.core.ratelimit import PUBLIC_FORM_GROUP, RateLimited, client_address, public_link_limited
from qunce.org.access import Action, restrict

from . import selectors, services
from .models import CounsellingCase

router = Router(tags=["counselling"])


class RequestIn(Schema):
    anonymous: bool = False
    category: CounsellingCase.Category
    channel: CounsellingCase.Channel
    time_window: str = Field(min_length=1, max_length=100)
    contact_name: str = Field("", max_length=50)
    contact: str = Field("", max_length=50)
    description: str = Field(min_length=1, max_length=3000)
    # The version of the counselling notice (GET /consents) the requester read and agreed to.
    consent_version: int = Field(ge=1, le=1_000_000)


class Hotline(Schema):
    name: str
    number: str


class SubmittedOut(Schema):
    status_token: str
    crisis: bool
    hotlines: list[Hotline]


class RoutingOut(Schema):
    id: int
    category: CounsellingCase.Category
    urgency: CounsellingCase.Urgency
    channel: CounsellingCase.Channel
    time_window: str
    crisis: bool
    status: CounsellingCase.Status
    requested_at: datetime.datetime


class CaseOut(RoutingOut):
    anonymous: bool
    contact_name: str
    contact: str
    description: str


class AssignIn(Schema):
    counsellor_id: int


class SessionIn(Schema):
    held_on: datetime.date
    minutes: int = Field(ge=1, le=600)
    content: str = Field(min_length=1, max_length=10000)


class CloseIn(Schema):
    referred: bool = False


def _hotlines():
    return [{"name": name, "number": number} for name, number in settings.CRISIS_HOTLINES]


@router.post("/counselling/requests", response={201: SubmittedOut}, auth=None)
def ask(request, payload: RequestIn):
    if is_ratelimited(
        request,
        group=PUBLIC_FORM_GROUP,
        key=client_address,
        rate=settings.PUBLIC_FORM_RATE,
        method="POST",
        increment=True,
    ):
        raise RateLimited(_("提交过于频繁，请稍后再试。"), rate=settings.PUBLIC_FORM_RATE)
    case, token = services.counselling_request(requester=request.user, **payload.dict())
    return Status(201, {"status_token": token, "crisis": case.crisis, "hotlines": _hotlines()})


@router.get("/counselling/status/{token}", response=RoutingOut, auth=None)
def status(request, token: str):
    if public_link_limited(request):
        raise RateLimited(_("访问过于频繁，请稍后再试。"), rate=settings.PUBLIC_LINK_RATE)
    return selectors.get_case_by_token(token)


@router.get("/counselling/queue", response=list[RoutingOut])
def queue(request):
    if not selectors.is_coordinator(request.user):
        raise PermissionDenied
    return list(selectors.routing_queue(request.user)[:500])


@router.post("/counselling/cases/{case_id}/assign", response=RoutingOut)
def assign(request, case_id: int, payload: AssignIn):
    case = selectors.get_case_for_routing(request.user, case_id)
    counsellor = User.objects.filter(pk=payload.counsellor_id).first()
    if counsellor is None:
        raise ValidationError({"counsellor_id": _("所选人员不是心理咨询师。")})
    return services.case_assign(case=case, counsellor=counsellor, acting_user=request.user)


@router.get("/counselling/cases", response=list[RoutingOut])
def my_cases(request):
    return list(selectors.cases_of_counsellor(request.user).only(*selectors.ROUTING_FIELDS))


@router.get("/counselling/cases/{case_id}", response=CaseOut)
def get_case(request, case_id: int):
    return selectors.get_case_for_counsellor(request.user, case_id)


@router.post("/counselling/cases/{case_id}/sessions", response={201: RoutingOut})
def log_session(request, case_id: int, payload: SessionIn):
    case = selectors.get_case_for_counsellor(request.user, case_id)
    services.case_session_log(case=case, acting_user=request.user, **payload.dict())
    case.refresh_from_db()
    return Status(201, case)


@router.post("/counselling/cases/{case_id}/close", response=RoutingOut)
def close(request, case_id: int, payload: CloseIn):
    case = selectors.get_case_for_counsellor(request.user, case_id)
    return services.case_close(case=case, acting_user=request.user, referred=payload.referred)


@router.get("/counselling/counts", response=dict)
def counts(request):
    restrict(request.user, Action.READ_COUNSELLING_COUNTS)
    return selectors.counts()
