import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.pagination import paginate

from qunce.core.pagination import LAST_PAGE, BoundedPageNumberPagination
from qunce.org.access import Action, restrict

from . import selectors, services
from .models import CheckinAccess, HealthAlert

router = Router(tags=["health"])


class CheckinIn(Schema):
    """Loose types on purpose: the service gives each bad value a message of its own."""

    campaign_id: int | None = None
    person_id: int | None = Field(None, description="可省略；若给出，必须是本人。")
    region: str | None = Field(None, description="GB/T 2260 代码，如 210302")
    on_campus: bool | None = None
    temperature: Decimal | str | None = None
    symptoms: list[str] | None = None
    visited_risk_area: bool | None = None
    contact: str = ""
    contact_on: str | None = None
    isolation: str = ""
    isolation_since: str | None = None
    health_code: str = ""
    vaccination: str = ""
    note: str = Field("", max_length=2000)
    pledged: bool = False


class AlertOut(Schema):
    id: int
    person_id: int
    unit_id: int
    day: datetime.date
    reasons: list[str]
    status: HealthAlert.Status
    opened_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    follow_up: str
    closed_at: datetime.datetime | None


class FollowUpIn(Schema):
    note: str = Field("", max_length=1000)


class UnitStatsOut(Schema):
    unit_id: int
    unit: str
    expected: int
    reported: int
    missing: int
    fever: int
    open_alerts: int


class StatsOut(Schema):
    campaign_id: int
    day: datetime.date
    unit_id: int
    total: UnitStatsOut
    units: list[UnitStatsOut]
    trend: list[dict]


def _own_person(request):
    person = selectors.person_of(request.user)
    if person is None:
        raise PermissionDenied(_("账号没有关联人员信息，无需健康打卡。"))
    return person


@router.post("/health/checkins", response={200: dict, 201: dict})
def submit_checkin(
    request,
    payload: CheckinIn,
    idempotency_key: str = Header("", alias="Idempotency-Key"),
):
    """Today's check-in of the signed-in person. Send the same Idempotency-Key when retrying:
    the first answer comes back and nothing is written twice."""
    person = _own_person(request)
    if payload.person_id is not None and payload.person_id != person.pk:
        raise ValidationError({"person_id": _("只能为本人打卡。")})
    policy = selectors.policy_for(payload.campaign_id)
    if policy is None:
        raise ValidationError({"campaign_id": _("目前没有开放的健康打卡。")})
    answers = payload.dict(exclude={"campaign_id", "person_id"})
    submission = services.checkin_submit(
        person=person, policy=policy, answers=answers, idempotency_key=idempotency_key
    )
    return Status(submission.status_code, submission.document)


@router.get("/health/checkins", response=list[dict])
@paginate(BoundedPageNumberPagination)
def my_checkins(request):
    """The signed-in person's own check-ins, newest first."""
    person = _own_person(request)
    checkins = (
        selectors.checkins_visible_to(request.user)
        .filter(person=person)
        .select_related("region")
        .order_by("-day")
    )
    return [services.checkin_document(checkin) for checkin in checkins]


@router.get("/health/stats", response=StatsOut)
def unit_stats(request, unit_id: int | None = None, day: datetime.date | None = None):
    """Reported / expected per unit for one day, and the 14-day trend: unit and org admins."""
    restrict(request.user, Action.READ_UNIT_REPORTS)
    policy = selectors.policy_for()
    if policy is None:
        raise Http404
    if day is not None and day > timezone.localdate():
        raise ValidationError({"day": _("日期不能晚于今天。")})
    scope = selectors.dashboard_unit(request.user, unit_id)
    board = selectors.dashboard(policy=policy, scope=scope, day=day)

    def row(item):
        return {
            "unit_id": item.unit.pk,
            "unit": item.unit.name,
            "expected": item.expected,
            "reported": item.reported,
            "missing": item.missing,
            "fever": item.fever,
            "open_alerts": item.open_alerts,
        }

    return {
        "campaign_id": policy.campaign_id,
        "day": board.day,
        "unit_id": scope.pk,
        "total": row(board.total),
        "units": [row(item) for item in board.rows],
        "trend": board.trend,
    }


class AlertPage(Schema):
    items: list[AlertOut]
    count: int


@router.get("/health/alerts", response=AlertPage)
def list_alerts(
    request, status: HealthAlert.Status | None = None, page: int = Query(1, ge=1, le=LAST_PAGE)
):
    """Alerts the caller may see, newest first, 50 a page. Reading other people's alerts is
    logged per person, as on the pages."""
    alerts = selectors.alerts_visible_to(request.user).order_by("-opened_at", "-pk")
    if status:
        alerts = alerts.filter(status=status)
    size = settings.NINJA_PAGINATION_PER_PAGE
    items = list(alerts[(page - 1) * size : page * size])
    services.checkin_reads_log(
        viewer=request.user,
        people=[alert.person_id for alert in items],
        what=CheckinAccess.What.API,
        detail=_("接口：预警列表第 %(page)s 页") % {"page": page},
    )
    return {"items": items, "count": alerts.count()}


def _advance(request, alert_id, to_state, note):
    alert = selectors.get_alert_for_user(request.user, alert_id)
    if not selectors.may_follow_up(request.user, alert):
        raise PermissionDenied
    services.checkin_reads_log(
        viewer=request.user,
        people=[alert.person_id],
        what=CheckinAccess.What.API,
        detail=_("接口：预警 #%(pk)s") % {"pk": alert.pk},
    )
    return services.alert_advance(
        alert=alert, to_state=to_state, acting_user=request.user, note=note
    )


@router.post("/health/alerts/{alert_id}/acknowledge", response=AlertOut)
def acknowledge_alert(request, alert_id: int, payload: FollowUpIn):
    return _advance(request, alert_id, HealthAlert.Status.ACKNOWLEDGED, payload.note)


@router.post("/health/alerts/{alert_id}/close", response=AlertOut)
def close_alert(request, alert_id: int, payload: FollowUpIn):
    return _advance(request, alert_id, HealthAlert.Status.CLOSED, payload.note)
