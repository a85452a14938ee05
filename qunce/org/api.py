from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from qunce.core.pagination import BoundedPageNumberPagination

from . import selectors, services
from .access import access_for
from .models import Gender, PersonRead, PoliticalStatus, TitleLevel, Unit

router = Router(tags=["org"])


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    kind: Unit.Kind
    depth: int
    parent_id: int | None


class UnitIn(Schema):
    parent_id: int
    name: str = Field(min_length=1, max_length=100)
    short_name: str = Field("", max_length=50)
    code: str = Field(min_length=1, max_length=32)
    kind: Unit.Kind


class UnitPatch(Schema):
    """Every field optional; an explicit null is refused (422)."""

    name: str = Field(None, min_length=1, max_length=100)
    short_name: str = Field(None, max_length=50)
    code: str = Field(None, min_length=1, max_length=32)
    kind: Unit.Kind = None


class PersonOut(Schema):
    id: int
    staff_no: str
    name: str
    gender: Gender
    unit_id: int
    unit_name: str = Field(alias="unit.name")
    title_level: TitleLevel
    title: str
    post: str
    political_status: PoliticalStatus
    mobile: str
    wechat_id: str
    qq: str
    email: str
    has_account: bool

    @staticmethod
    def resolve_has_account(person):
        return person.user_id is not None


class PersonIn(Schema):
    staff_no: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=50)
    gender: Gender
    unit_id: int
    title_level: TitleLevel = TitleLevel.NONE
    title: str = Field("", max_length=50)
    post: str = Field("", max_length=100)
    political_status: PoliticalStatus
    mobile: str = Field("", max_length=11)
    wechat_id: str = Field("", max_length=20)
    qq: str = Field("", max_length=12)
    email: str = Field("", max_length=254)


class PersonPatch(Schema):
    """Every field optional; an explicit null is refused (422)."""

    staff_no: str = Field(None, min_length=1, max_length=20)
    name: str = Field(None, min_length=1, max_length=50)
    gender: Gender = None
    unit_id: int = None
    title_level: TitleLevel = None
    title: str = Field(None, max_length=50)
    post: str = Field(None, max_length=100)
    political_status: PoliticalStatus = None
    mobile: str = Field(None, max_length=11)
    wechat_id: str = Field(None, max_length=20)
    qq: str = Field(None, max_length=12)
    email: str = Field(None, max_length=254)


class PeopleFilter(FilterSchema):
    q: str | None = None
    unit_id: int | None = None
    title_level: TitleLevel | None = None
    political_status: PoliticalStatus | None = None


def _visible_unit_or_422(user, unit_id, field):
    """A unit named in a request body: unknown or invisible is a field error, not a 404."""
    unit = selectors.units_visible_to(user).filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({field: _("单位不存在或不在您的可见范围内。")})
    return unit


def _unit_with_parent(unit):
    return selectors.with_parent_id(Unit.objects.filter(pk=unit.pk)).get()


@router.get("/units", response=list[UnitOut])
@paginate(BoundedPageNumberPagination)
def list_units(request):
    return selectors.with_parent_id(selectors.units_visible_to(request.user)).order_by("path")


@router.get("/units/{unit_id}", response=UnitOut)
def get_unit(request, unit_id: int):
    return _unit_with_parent(selectors.get_unit_for_user(request.user, unit_id))


@router.post("/units", response={201: UnitOut})
def create_unit(request, payload: UnitIn):
    parent = _visible_unit_or_422(request.user, payload.parent_id, "parent_id")
    values = payload.dict(exclude={"parent_id"})
    unit = services.unit_create(parent=parent, acting_user=request.user, **values)
    return Status(201, _unit_with_parent(unit))


@router.patch("/units/{unit_id}", response=UnitOut)
def update_unit(request, unit_id: int, payload: UnitPatch):
    unit = selectors.get_unit_for_user(request.user, unit_id, action="change")
    unit = services.unit_update(
        unit=unit, acting_user=request.user, changes=payload.dict(exclude_unset=True)
    )
    return _unit_with_parent(unit)


@router.get("/people", response=list[PersonOut])
@paginate(BoundedPageNumberPagination)
def list_people(request, filters: Query[PeopleFilter]):
    unit = None
    if filters.unit_id is not None:
        unit = get_object_or_404(selectors.units_visible_to(request.user), pk=filters.unit_id)
    return selectors.people_search(
        selectors.people_visible_to(request.user),
        q=filters.q or "",
        unit=unit,
        title_level=filters.title_level or "",
        political_status=filters.political_status or "",
    )


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request, person_id: int):
    person = selectors.get_person_for_user(request.user, person_id)
    services.person_read_log(viewer=request.user, person=person, via=PersonRead.Via.API)
    return person


@router.post("/people", response={201: PersonOut})
def create_person(request, payload: PersonIn):
    unit = _visible_unit_or_422(request.user, payload.unit_id, "unit_id")
    details = payload.dict(exclude={"unit_id"})
    return Status(201, services.person_create(acting_user=request.user, unit=unit, details=details))


@router.patch("/people/{person_id}", response=PersonOut)
def update_person(request, person_id: int, payload: PersonPatch):
    person = selectors.get_person_for_user(request.user, person_id, action="change")
    values = payload.dict(exclude_unset=True, exclude={"unit_id"})
    if "unit_id" in payload.model_fields_set:
        values["unit"] = _visible_unit_or_422(request.user, payload.unit_id, "unit_id")
    return services.person_update(person=person, acting_user=request.user, changes=values)


class MeOut(Schema):
    username: str
    roles: list[str]
    person_id: int | None


@router.get("/me", response=MeOut)
def me(request):
    access = access_for(request.user)
    return {
        "username": request.user.username,
        "roles": sorted(access.roles),
        "person_id": access.person_id,
    }
