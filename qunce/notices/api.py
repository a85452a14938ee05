import datetime
from typing import Annotated

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from qunce.core.pagination import BoundedPageNumberPagination
from qunce.org.access import Action, restrict
from qunce.org.models import Campaign

from . import selectors, services
from .models import Notice, UnitReport

router = Router(tags=["notices"])


class NoticeIn(Schema):
    document_number: str = Field(..., max_length=40, examples=["科大组织部〔2020〕6号"])
    issuer: str = Field(..., max_length=100)
    title: str = Field(..., max_length=200)
    addressee: str = Field(..., max_length=200)
    body: str = Field(..., max_length=50000)
    unit_ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]]
    report_deadline: datetime.date
    campaign_id: int | None = None
    publish: bool = True


class NoticeOut(Schema):
    id: int
    document_number: str
    title: str
    issuer: str
    addressee: str
    status: Notice.Status
    report_deadline: datetime.date
    published_at: datetime.datetime | None


class ReportOut(Schema):
    unit_id: int
    status: UnitReport.Status
    received_at: datetime.datetime | None
    reported_at: datetime.datetime | None
    text: str


class NoticeDetailOut(NoticeOut):
    body: str
    reports: list[ReportOut]


class ReportIn(Schema):
    text: str = Field(..., max_length=20000)


def _detail(request, notice):
    reports = selectors.reports_visible_to(request.user).filter(notice=notice)
    return {**NoticeOut.from_orm(notice).dict(), "body": notice.body, "reports": list(reports)}


@router.get("/notices", response=list[NoticeOut])
@paginate(BoundedPageNumberPagination)
def list_notices(request):
    return selectors.notices_visible_to(request.user)


@router.post("/notices", response={201: NoticeDetailOut})
def draft_notice(request, payload: NoticeIn):
    """Org admins. Attachments are added on the page; the API carries text only."""
    restrict(request.user, Action.PUBLISH_NOTICES)
    units = selectors.addressable_units().filter(pk__in=payload.unit_ids)
    campaign = Campaign.objects.filter(pk=payload.campaign_id).first()
    notice = services.notice_draft(
        acting_user=request.user,
        document_number=payload.document_number,
        issuer=payload.issuer,
        title=payload.title,
        addressee=payload.addressee,
        body=payload.body,
        units=units,
        report_deadline=payload.report_deadline,
        campaign=campaign,
        publish=payload.publish,
    )
    return Status(201, _detail(request, notice))


@router.get("/notices/{notice_id}", response=NoticeDetailOut)
def get_notice(request, notice_id: int):
    return _detail(request, selectors.get_notice_for_user(request.user, notice_id))


@router.post("/notices/{notice_id}/publish", response=NoticeDetailOut)
def publish_notice(request, notice_id: int):
    notice = selectors.get_notice_for_user(request.user, notice_id)
    return _detail(request, services.notice_publish(notice=notice, acting_user=request.user))


@router.post("/notices/{notice_id}/units/{unit_id}/receive", response=ReportOut)
def receive_notice(request, notice_id: int, unit_id: int):
    notice = selectors.get_notice_for_user(request.user, notice_id)
    report = selectors.get_report_for_user(request.user, notice, unit_id)
    return services.report_receive(report=report, acting_user=request.user)


@router.post("/notices/{notice_id}/units/{unit_id}/report", response=ReportOut)
def file_report(request, notice_id: int, unit_id: int, payload: ReportIn):
    notice = selectors.get_notice_for_user(request.user, notice_id)
    report = selectors.get_report_for_user(request.user, notice, unit_id)
    return services.report_file(report=report, acting_user=request.user, text=payload.text)
