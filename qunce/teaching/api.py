import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from qunce.core.pagination import BoundedPageNumberPagination
from qunce.org.access import Action, restrict
from qunce.org.selectors import campaign_of_payload, people_visible_to

from . import selectors, services
from .models import TeachingRecord

router = Router(tags=["teaching"])


class RecordIn(Schema):
    person_id: int
    campaign_id: int
    kind: TeachingRecord.Kind
    held_on: datetime.date
    course: str = Field("", max_length=100)
    platform: str = ""
    sessions: int = 1
    students_reached: int = 0
    student: str = Field("", max_length=50)
    topic: str = Field("", max_length=200)
    mode: str = ""


class RecordOut(Schema):
    id: int
    person_id: int
    unit_id: int
    campaign_id: int
    kind: TeachingRecord.Kind
    held_on: datetime.date
    course: str
    platform: str
    sessions: int
    students_reached: int
    student: str
    topic: str
    mode: str
    status: TeachingRecord.Status


class CoverageLine(Schema):
    teacher: str
    unit: str
    name: str
    last: datetime.date
    days: int
    lapsed: bool


class CoverageOut(Schema):
    courses: list[CoverageLine]
    students: list[CoverageLine]
    lapsed_courses: int
    lapsed_students: int


@router.get("/teaching", response=list[RecordOut])
@paginate(BoundedPageNumberPagination)
def list_teaching(request):
    return selectors.records_visible_to(request.user)


@router.post("/teaching", response={201: RecordOut})
def record_teaching(request, payload: RecordIn):
    person = people_visible_to(request.user).filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError({"person_id": _("只能登记本人或本单位教师的教学记录。")})
    campaign = campaign_of_payload(payload.campaign_id)
    values = payload.dict(exclude={"person_id", "campaign_id"})
    record = services.teaching_record(
        acting_user=request.user, person=person, campaign=campaign, **values
    )
    return Status(201, record)


@router.post("/teaching/{record_id}/verify", response=RecordOut)
def verify_teaching(request, record_id: int):
    record = selectors.get_record_for_user(request.user, record_id)
    return services.teaching_verify(record=record, acting_user=request.user)


@router.get("/teaching/coverage", response=CoverageOut)
def teaching_coverage(request):
    restrict(request.user, Action.READ_UNIT_REPORTS)
    return selectors.coverage(selectors.records_visible_to(request.user), timezone.localdate())
