"""Writes of supply drives. Quantities are checked against the unit of measure, receipts against
pledges, dispatches against stock; a need is fulfilled when what was received covers it."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qunce.accounts.models import User
from qunce.core.review import Review, review_decide, review_refuse_own
from qunce.core.services import audit_record, transition
from qunce.ledger import services as ledger_services
from qunce.org.access import Action, access_for, restrict
from qunce.org.models import Campaign, Person, Unit

from . import selectors
from .models import COUNTED_UNITS, Pledge, ProcurementHelp, StockMovement, Supplier, SupplyNeed


def check_quantity(
    quantity: Decimal | int | str, unit_of_measure: str, field: str = "quantity"
) -> Decimal:
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise ValidationError({field: _("数量必须大于 0。")})
    if unit_of_measure in COUNTED_UNITS and quantity != quantity.to_integral_value():
        raise ValidationError({field: _("按件计数的物资数量必须是整数。")})
    return quantity


def _require_receiver(need, user):
    if not access_for(user).administers_unit(need.receiving_unit):
        raise PermissionDenied(_("只有接收单位的管理员可以办理。"))


@transaction.atomic
def need_post(
    *,
    acting_user: User,
    receiving_unit: Unit,
    item: str,
    quantity: Decimal,
    unit_of_measure: str,
    needed_by: datetime.date,
    specification: str = "",
) -> SupplyNeed:
    if not access_for(acting_user).administers_unit(receiving_unit):
        raise ValidationError({"receiving_unit": _("只能为本单位发布物资需求。")})
    if needed_by < timezone.localdate():
        raise ValidationError({"needed_by": _("需要日期不能早于今天。")})
    need = SupplyNeed(
        campaign=Campaign.objects.filter(status=Campaign.Status.ACTIVE)
        .order_by("-starts_on")
        .first(),
        item=item.strip(),
        specification=specification.strip(),
        quantity=check_quantity(quantity, unit_of_measure),
        unit_of_measure=unit_of_measure,
        needed_by=needed_by,
        receiving_unit=receiving_unit,
        posted_by=acting_user,
    )
    need.full_clean()
    need.save()
    audit_record(actor=acting_user, action="supply_need_post", target=need)
    return need


@transaction.atomic
def pledge_record(
    *,
    need: SupplyNeed,
    donor_name: str,
    donor_contact: str,
    quantity: Decimal,
    expected_on: datetime.date,
    named_publicly: bool = False,
    donor_person: Person | None = None,
) -> Pledge:
    """A donor, inside or outside the university, promises part of a need."""
    need = SupplyNeed.objects.select_for_update().get(pk=need.pk)
    if need.status != SupplyNeed.Status.OPEN:
        raise ValidationError({"need": _("此需求已不再筹集。")})
    if not donor_contact.strip():
        raise ValidationError({"donor_contact": _("请留下联系方式，便于接收单位联系送达。")})
    if expected_on < timezone.localdate():
        raise ValidationError({"expected_on": _("预计送达日期不能早于今天。")})
    pledge = Pledge(
        need=need,
        donor_name=donor_name.strip(),
        donor_contact=donor_contact.strip(),
        donor_person=donor_person,
        quantity=check_quantity(quantity, need.unit_of_measure),
        expected_on=expected_on,
        named_publicly=named_publicly,
    )
    pledge.full_clean()
    pledge.save()
    audit_record(actor=None, action="supply_pledge", target=pledge)
    return pledge


@transaction.atomic
def receipt_record(
    *,
    pledge: Pledge,
    quantity: Decimal,
    acting_user: User,
    moved_on: datetime.date | None = None,
    note: str = "",
) -> StockMovement:
    """Book what a donor delivered. More than pledged must be explained in the note."""
    pledge = (
        Pledge.objects.select_for_update().select_related("need__receiving_unit").get(pk=pledge.pk)
    )
    need = SupplyNeed.objects.select_for_update().get(pk=pledge.need_id)
    _require_receiver(need, acting_user)
    quantity = check_quantity(quantity, need.unit_of_measure)
    already = pledge.receipts.aggregate(q=Sum("quantity"))["q"] or Decimal(0)
    if already + quantity > pledge.quantity and not note.strip():
        raise ValidationError(
            {
                "note": _(
                    "收货数量超过认捐数量（认捐 %(pledged)s，已收 %(already)s），请在说明中写明原因。"
                )
                % {"pledged": pledge.quantity, "already": already}
            }
        )
    movement = StockMovement.objects.create(
        need=need,
        kind=StockMovement.Kind.RECEIVED,
        quantity=quantity,
        pledge=pledge,
        note=note.strip(),
        moved_on=moved_on or timezone.localdate(),
        recorded_by=acting_user,
    )
    if (
        need.status == SupplyNeed.Status.OPEN
        and selectors.totals(need)["received"] >= need.quantity
    ):
        transition(record=need, to_state=SupplyNeed.Status.FULFILLED, actor=acting_user)
    audit_record(
        actor=acting_user,
        action="supply_receipt",
        target=movement,
        changes={"quantity": str(quantity)},
    )
    if pledge.donor_person is not None and need.campaign is not None:
        _record_donation(movement, pledge, need, acting_user)
    return movement


def quantity_text(quantity: Decimal) -> str:
    """10.00 reads 10 and 2.50 reads 2.5, never 1E+1 (what Decimal.normalize alone gives)."""
    return f"{quantity.normalize():f}"


def _record_donation(movement, pledge, need, acting_user):
    try:
        with transaction.atomic():
            ledger_services.ledger_record(
                person=pledge.donor_person,
                role="caring",
                campaign=need.campaign,
                date_from=movement.moved_on,
                date_to=movement.moved_on,
                summary=_("捐赠%(item)s %(quantity)s%(unit)s")
                % {
                    "item": need.item,
                    "quantity": quantity_text(movement.quantity),
                    "unit": need.get_unit_of_measure_display(),
                },
                items_donated=int(movement.quantity)
                if need.unit_of_measure in COUNTED_UNITS
                else 0,
                source=movement,
                acting_user=acting_user,
            )
    except ValidationError as refused:
        # Outside the campaign window: the receipt stands; the audit trail says why no entry.
        audit_record(
            actor=acting_user,
            action="ledger_entry_skipped",
            target=movement,
            changes={"reason": refused.messages},
        )


@transaction.atomic
def dispatch_record(
    *,
    need: SupplyNeed,
    quantity: Decimal,
    destination: str,
    acting_user: User,
    moved_on: datetime.date | None = None,
) -> StockMovement:
    need = SupplyNeed.objects.select_for_update().get(pk=need.pk)
    _require_receiver(need, acting_user)
    quantity = check_quantity(quantity, need.unit_of_measure)
    if not destination.strip():
        raise ValidationError({"destination": _("请写明去向。")})
    figures = selectors.totals(need)
    if figures["dispatched"] + quantity > figures["received"]:
        raise ValidationError(
            {
                "quantity": _("出库数量超过库存（库存 %(stock)s）。")
                % {"stock": figures["received"] - figures["dispatched"]}
            }
        )
    movement = StockMovement.objects.create(
        need=need,
        kind=StockMovement.Kind.DISPATCHED,
        quantity=quantity,
        destination=destination.strip(),
        moved_on=moved_on or timezone.localdate(),
        recorded_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action="supply_dispatch",
        target=movement,
        changes={"quantity": str(quantity), "destination": movement.destination},
    )
    return movement


@transaction.atomic
def supplier_add(
    *,
    acting_user: User,
    name: str,
    contact: str,
    items: str,
    price: str = "",
    capacity: str = "",
    qualification: str = "",
) -> Supplier:
    """A talent (or an admin) contributes a sourcing channel from their network."""
    if not contact.strip():
        raise ValidationError({"contact": _("请填写供应商的联系人和电话。")})
    supplier = Supplier(
        name=name.strip(),
        contact=contact.strip(),
        items=items.strip(),
        price=price,
        capacity=capacity,
        qualification=qualification,
        contributed_by=getattr(acting_user, "person", None),
    )
    supplier.full_clean()
    supplier.save()
    audit_record(actor=acting_user, action="supplier_add", target=supplier)
    return supplier


# A supplier names the person (not the account) who registered it.
SUPPLIER_VERIFICATION = Review(
    own_message=gettext_lazy("不能核实本人登记的供应渠道，请由其他管理员核实。"),
    subject_field="contributed_by",
)


@transaction.atomic
def supplier_verify(*, supplier: Supplier, acting_user: User) -> Supplier:
    access = restrict(acting_user, Action.VERIFY_SUPPLIERS)
    review_refuse_own(
        review=SUPPLIER_VERIFICATION,
        record=supplier,
        acting_user=acting_user,
        acting_person_id=access.person_id,
    )
    supplier.verified_by, supplier.verified_at = acting_user, timezone.now()
    supplier.save(update_fields=["verified_by", "verified_at"])
    audit_record(actor=acting_user, action="supplier_verify", target=supplier)
    return supplier


@transaction.atomic
def procurement_take(*, need: SupplyNeed, acting_user: User) -> ProcurementHelp:
    person = getattr(acting_user, "person", None)
    if person is None:
        raise PermissionDenied(_("只有学校教职工可以承担采购协助。"))
    if need.status != SupplyNeed.Status.OPEN:
        raise ValidationError({"need": _("此需求已不再筹集。")})
    help_, _created = ProcurementHelp.objects.get_or_create(need=need, helper=person)
    return help_


@transaction.atomic
def procurement_report(*, help_: ProcurementHelp, acting_user: User, text: str) -> ProcurementHelp:
    """The helper notes their progress."""
    help_ = ProcurementHelp.objects.select_for_update().get(pk=help_.pk)
    if getattr(acting_user, "person", None) != help_.helper:
        raise PermissionDenied(_("只能汇报本人承担的采购。"))
    if not text.strip():
        raise ValidationError({"text": _("请填写进展。")})
    stamp = timezone.localtime().strftime("%m-%d %H:%M")
    help_.progress = f"{help_.progress}\n{stamp} {text.strip()}".strip()
    help_.save(update_fields=["progress"])
    return help_


PROCUREMENT_REVIEW = Review(
    own_message=gettext_lazy("不能确认本人承担的采购。"), subject_field="helper"
)


@transaction.atomic
def procurement_confirm(*, help_: ProcurementHelp, acting_user: User) -> ProcurementHelp:
    """The receiving unit confirms the purchase was made: the helper's 爱心员 entry is written."""
    help_ = (
        ProcurementHelp.objects.select_for_update()
        .select_related("need__receiving_unit", "helper")
        .get(pk=help_.pk)
    )
    _require_receiver(help_.need, acting_user)
    review_decide(
        review=PROCUREMENT_REVIEW,
        record=help_,
        to_state=ProcurementHelp.Status.DONE,
        acting_user=acting_user,
        acting_person_id=access_for(acting_user).person_id,
    )
    if help_.need.campaign is not None:
        try:
            with transaction.atomic():
                today = timezone.localdate()
                ledger_services.ledger_record(
                    person=help_.helper,
                    role="caring",
                    campaign=help_.need.campaign,
                    date_from=today,
                    date_to=today,
                    summary=_("协助采购%(item)s") % {"item": help_.need.item},
                    source=help_,
                    acting_user=acting_user,
                )
        except ValidationError as refused:
            audit_record(
                actor=acting_user,
                action="ledger_entry_skipped",
                target=help_,
                changes={"reason": refused.messages},
            )
    return help_
