import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from qunce.codes.models import Industry, Region
from qunce.core.pagination import BoundedPageNumberPagination
from qunce.core.ratelimit import PUBLIC_FORM_GROUP, RateLimited, client_address, public_link_limited
from qunce.org.access import Action, restrict
from qunce.org.models import Unit

from . import selectors, services
from .matching import experts_for
from .models import HelpRequest

router = Router(tags=["assistance"])


class RequestIn(Schema):
    requester_type: HelpRequest.RequesterType
    organization: str = Field(min_length=1, max_length=100)
    contact_name: str = Field(min_length=1, max_length=50)
    mobile: str = Field(max_length=11)
    region_code: str
    industry_code: str
    category: HelpRequest.Category
    description: str = Field(min_length=1, max_length=5000)
    urgency: HelpRequest.Urgency = HelpRequest.Urgency.NORMAL
    preferred_channel: HelpRequest.Channel
    consent: bool
    # In a province's installation: the 单位代码 of the university hoped for.
    university_code: str | None = None


class SubmittedOut(Schema):
    id: int
    status: str
    tracking_token: str


class TrackOut(Schema):
    organization: str
    category: HelpRequest.Category
    status: HelpRequest.Status
    submitted_at: datetime.datetime
    rejection_reason: str
    expert_name: str | None = Field(None, alias="expert.name")
    resolution_summary: str
    requester_rating: int | None


class RequestOut(TrackOut):
    id: int
    requester_type: HelpRequest.RequesterType
    region_code: str = Field(alias="region_id")
    industry_code: str = Field(alias="industry_id")
    urgency: HelpRequest.Urgency
    preferred_channel: HelpRequest.Channel
    description: str
    expert_id: int | None
    university_code: str | None = Field(None, alias="university.code")


class MatchOut(Schema):
    person_id: int
    score: float
    matched_terms: list[str]
    reasons: list[str]


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=2000)


class RatingIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=500)


class ActionIn(Schema):
    """One workflow step; the fields it needs depend on the action."""

    action: str
    category: HelpRequest.Category | None = None
    industry_code: str | None = None
    reject_reason: str = Field("", max_length=300)
    reason: str = Field("", max_length=300)
    expert_ids: list[int] = []
    held_on: datetime.date | None = None
    channel: HelpRequest.Channel | None = None
    minutes: int | None = Field(None, ge=1, le=1440)
    advice: str = Field("", max_length=3000)
    summary: str = Field("", max_length=3000)
    satisfaction: int | None = Field(None, ge=1, le=5)
    solved: bool = False
    note: str = Field("", max_length=1000)
    university_code: str | None = None  # route: the university it goes to


def _code(model, code, field, **filters):
    entry = model.objects.filter(code=code, **filters).first()
    if entry is None:
        raise ValidationError({field: _("代码不存在：%(code)s") % {"code": code}})
    return entry


@router.post("/help/requests", response={201: SubmittedOut}, auth=None)
def submit_request(request, payload: RequestIn):
    """The public form's API: no account; rate-limited per address like the page."""
    if is_ratelimited(
        request,
        group=PUBLIC_FORM_GROUP,
        key=client_address,
        rate=settings.PUBLIC_FORM_RATE,
        method="POST",  # the page's decorator counts POSTs: the same counter
        increment=True,
    ):
        raise RateLimited(_("提交过于频繁，请稍后再试。"), rate=settings.PUBLIC_FORM_RATE)
    values = payload.dict(exclude={"region_code", "industry_code", "university_code"})
    values["region"] = _code(Region, payload.region_code, "region_code")
    values["industry"] = _code(
        Industry, payload.industry_code, "industry_code", level=Industry.Level.DIVISION
    )
    if payload.university_code:
        values["university"] = _code(
            Unit, payload.university_code, "university_code", kind=Unit.Kind.UNIVERSITY
        )
    help_request, token = services.help_request_submit(**values)
    return Status(
        201, {"id": help_request.pk, "status": help_request.status, "tracking_token": token}
    )


def _requester_link(request, token):
    """The request behind a requester's link, counted against the address's link budget."""
    if public_link_limited(request):
        raise RateLimited(_("访问过于频繁，请稍后再试。"), rate=settings.PUBLIC_LINK_RATE)
    return selectors.get_request_by_token(token)


@router.get("/help/requests/track/{token}", response=TrackOut, auth=None)
def track(request, token: str):
    return _requester_link(request, token)


@router.post("/help/requests/track/{token}/notes", response={201: TrackOut}, auth=None)
def add_information(request, token: str, payload: NoteIn):
    help_request = _requester_link(request, token)
    services.requester_add_information(help_request=help_request, text=payload.text)
    return Status(201, help_request)


@router.post("/help/requests/track/{token}/rating", response=TrackOut, auth=None)
def rate(request, token: str, payload: RatingIn):
    help_request = _requester_link(request, token)
    return services.requester_rate(
        help_request=help_request, rating=payload.rating, comment=payload.comment
    )


@router.get("/assistance/requests", response=list[RequestOut])
@paginate(BoundedPageNumberPagination)
def list_requests(request, status: HelpRequest.Status | None = None):
    requests = selectors.requests_visible_to(request.user).select_related("expert", "university")
    return requests.filter(status=status) if status else requests.order_by("-submitted_at")


@router.get("/assistance/requests/{request_id}", response=RequestOut)
def get_request(request, request_id: int):
    return selectors.get_request_for_user(request.user, request_id)


@router.get("/assistance/requests/{request_id}/experts", response=list[MatchOut])
def ranked_experts(request, request_id: int):
    help_request = selectors.get_request_for_user(request.user, request_id)
    if not selectors.coordinates(request.user, help_request):
        raise PermissionDenied
    return [
        {
            "person_id": int(m.expert_id),
            "score": m.score,
            "matched_terms": m.matched_terms,
            "reasons": m.reasons,
        }
        for m in experts_for(help_request)
    ]


@router.post("/assistance/requests/{request_id}/actions", response=RequestOut)
def act(request, request_id: int, payload: ActionIn):
    help_request = selectors.get_request_for_user(request.user, request_id)
    user, data = request.user, payload
    experts = list(
        selectors.invitable_people(user, help_request)
        .filter(pk__in=data.expert_ids)
        .select_related("user")
    )
    steps = {
        "triage": lambda: services.help_request_triage(
            help_request=help_request,
            acting_user=user,
            category=data.category,
            industry=_code(
                Industry, data.industry_code, "industry_code", level=Industry.Level.DIVISION
            )
            if data.industry_code
            else None,
            reject_reason=data.reject_reason,
        ),
        "invite": lambda: services.help_request_invite(
            help_request=help_request, experts=experts, acting_user=user
        ),
        "accept": lambda: services.invitation_accept(help_request=help_request, acting_user=user),
        "decline": lambda: services.invitation_decline(
            help_request=help_request, acting_user=user, reason=data.reason
        ),
        "consult": lambda: services.consultation_log(
            help_request=help_request,
            acting_user=user,
            held_on=data.held_on,
            channel=data.channel,
            minutes=data.minutes,
            advice=data.advice,
        ),
        "resolve": lambda: services.help_request_resolve(
            help_request=help_request, acting_user=user, summary=data.summary
        ),
        "follow_up": lambda: services.help_request_follow_up(
            help_request=help_request,
            acting_user=user,
            satisfaction=data.satisfaction or 0,
            solved=data.solved,
            note=data.note,
        ),
        "close": lambda: services.help_request_close(help_request=help_request, acting_user=user),
        "reopen": lambda: services.help_request_reopen(
            help_request=help_request, acting_user=user, reason=data.reason
        ),
        "reassign": lambda: services.help_request_reassign(
            help_request=help_request, acting_user=user, experts=experts, reason=data.reason
        ),
        "route": lambda: services.help_request_route(
            help_request=help_request,
            acting_user=user,
            university=_code(
                Unit, data.university_code or "", "university_code", kind=Unit.Kind.UNIVERSITY
            ),
            reason=data.reason,
        ),
    }
    if data.action not in steps:
        raise ValidationError({"action": _("未知的操作：%(action)s") % {"action": data.action}})
    if data.action == "consult" and (
        data.held_on is None or data.channel is None or data.minutes is None
    ):
        raise ValidationError({"held_on": _("请填写咨询日期、方式和时长。")})
    steps[data.action]()
    return selectors.get_request_for_user(user, request_id)


@router.get("/assistance/report", response=dict)
def request_report(request):
    """The report page's figures, over the requests the user may see."""
    restrict(request.user, Action.READ_REQUEST_REPORT)
    return selectors.report(selectors.requests_visible_to(request.user))
