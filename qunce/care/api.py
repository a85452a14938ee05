import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from qunce.core.pagination import BoundedPageNumberPagination

from . import selectors, services
from .models import FamilyNeed

router = Router(tags=["care"])


class NeedIn(Schema):
    person_id: int
    category: FamilyNeed.Category
    description: str = Field(min_length=1, max_length=1000)


class NeedOut(Schema):
    id: int
    person_id: int
    category: FamilyNeed.Category
    description: str
    status: FamilyNeed.Status
    responsible_id: int | None
    recorded_at: datetime.datetime
    last_activity_at: datetime.datetime


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=1000)
    resolve: bool = False


@router.get("/care/needs", response=list[NeedOut])
@paginate(BoundedPageNumberPagination)
def list_needs(request):
    return selectors.needs_visible_to(request.user).order_by("-recorded_at")


@router.post("/care/needs", response={201: NeedOut})
def record_need(request, payload: NeedIn):
    person = selectors.frontline_people_for(request.user).filter(pk=payload.person_id).first()
    if person is None:
        raise ValidationError({"person_id": _("只能为本人或本单位经认定的一线人员登记家庭需求。")})
    return Status(
        201,
        services.family_need_record(
            person=person,
            category=payload.category,
            description=payload.description,
            acting_user=request.user,
        ),
    )


@router.post("/care/needs/{need_id}/take", response=NeedOut)
def take_need(request, need_id: int):
    need = selectors.get_need_for_user(request.user, need_id)
    return services.family_need_take(need=need, acting_user=request.user)


@router.post("/care/needs/{need_id}/notes", response=NeedOut)
def add_note(request, need_id: int, payload: NoteIn):
    need = selectors.get_need_for_user(request.user, need_id)
    return services.family_need_note(
        need=need, acting_user=request.user, text=payload.text, resolve=payload.resolve
    )
