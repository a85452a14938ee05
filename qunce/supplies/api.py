import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Field, Router, Schema, Status

from qunce.core.ratelimit import PUBLIC_FORM_GROUP, RateLimited, client_address
from qunce.org import selectors as org_selectors

from . import selectors, services
from .models import UnitOfMeasure

router = Router(tags=["supplies"])


class NeedIn(Schema):
    item: str = Field(min_length=1, max_length=100)
    specification: str = Field("", max_length=200)
    quantity: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    unit_of_measure: UnitOfMeasure
    needed_by: datetime.date
    receiving_unit_id: int


class NeedOut(Schema):
    id: int
    item: str
    specification: str
    quantity: Decimal
    unit_of_measure: UnitOfMeasure
    needed_by: datetime.date
    receiving_unit_id: int
    status: str
    pledged: Decimal | None = None
    received: Decimal | None = None
    dispatched: Decimal | None = None


class PledgeIn(Schema):
    donor_name: str = Field(min_length=1, max_length=100)
    donor_contact: str = Field(min_length=1, max_length=50)
    quantity: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    expected_on: datetime.date
    named_publicly: bool = False


class PledgeOut(Schema):
    id: int
    need_id: int
    quantity: Decimal


class ReceiptIn(Schema):
    quantity: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=300)


class DispatchIn(Schema):
    quantity: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    destination: str = Field(min_length=1, max_length=200)


class MovementOut(Schema):
    id: int
    kind: str
    quantity: Decimal
    moved_on: datetime.date


class SupplierIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    contact: str = Field(max_length=100)
    items: str = Field(min_length=1, max_length=300)
    price: str = Field("", max_length=100)
    capacity: str = Field("", max_length=100)
    qualification: str = Field("", max_length=200)


class SupplierOut(Schema):
    id: int
    name: str
    contact: str
    items: str
    verified: bool

    @staticmethod
    def resolve_verified(supplier):
        return supplier.verified_at is not None


@router.get("/supplies/needs", response=list[NeedOut])
def list_needs(request):
    return list(selectors.with_totals(selectors.needs_visible_to(request.user))[:500])


@router.post("/supplies/needs", response={201: NeedOut})
def post_need(request, payload: NeedIn):
    unit = (
        org_selectors.units_administered_by(request.user)
        .filter(pk=payload.receiving_unit_id)
        .first()
    )
    if unit is None:
        raise ValidationError({"receiving_unit_id": _("只能为本单位发布物资需求。")})
    values = payload.dict(exclude={"receiving_unit_id"})
    return Status(201, services.need_post(acting_user=request.user, receiving_unit=unit, **values))


@router.post("/supplies/needs/{need_id}/pledges", response={201: PledgeOut}, auth=None)
def pledge(request, need_id: int, payload: PledgeIn):
    """Donors outside the university pledge without an account (rate-limited per address)."""
    if is_ratelimited(
        request,
        group=PUBLIC_FORM_GROUP,
        key=client_address,
        rate=settings.PUBLIC_FORM_RATE,
        method="POST",
        increment=True,
    ):
        raise RateLimited(_("提交过于频繁，请稍后再试。"), rate=settings.PUBLIC_FORM_RATE)
    need = get_object_or_404(selectors.open_needs(), pk=need_id)
    return Status(201, services.pledge_record(need=need, **payload.dict()))


@router.post("/supplies/pledges/{pledge_id}/receipts", response={201: MovementOut})
def receive(request, pledge_id: int, payload: ReceiptIn):
    pledge_ = selectors.get_pledge_to_receive(request.user, pledge_id)
    return Status(
        201, services.receipt_record(pledge=pledge_, acting_user=request.user, **payload.dict())
    )


@router.post("/supplies/needs/{need_id}/dispatches", response={201: MovementOut})
def dispatch(request, need_id: int, payload: DispatchIn):
    need = selectors.get_need_for_user(request.user, need_id)
    return Status(
        201, services.dispatch_record(need=need, acting_user=request.user, **payload.dict())
    )


@router.get("/supplies/suppliers", response=list[SupplierOut])
def list_suppliers(request):
    return list(selectors.suppliers_visible_to(request.user))


@router.post("/supplies/suppliers", response={201: SupplierOut})
def add_supplier(request, payload: SupplierIn):
    return Status(201, services.supplier_add(acting_user=request.user, **payload.dict()))
