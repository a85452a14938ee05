"""Supply needs are not secret: every signed-in member of staff sees them (to pledge, to help
procure); donors' contacts are shown only to the receiving unit's admins."""

from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery, Sum
from django.http import Http404

from qunce.org.access import access_for

from .models import Pledge, StockMovement, Supplier, SupplyNeed, UnitOfMeasure


def needs_visible_to(user):
    return SupplyNeed.objects.all() if user.is_authenticated else SupplyNeed.objects.none()


def get_need_for_user(user, pk):
    need = needs_visible_to(user).select_related("receiving_unit").filter(pk=pk).first()
    if need is None:
        raise Http404
    return need


def open_needs():
    return SupplyNeed.objects.filter(status=SupplyNeed.Status.OPEN).select_related("receiving_unit")


def _sum(model, **filters):
    rows = model.objects.filter(need=OuterRef("pk"), **filters).order_by().values("need")
    return Subquery(rows.annotate(total=Sum("quantity")).values("total"))


def with_totals(needs):
    """Pledged, received and dispatched per need, one query (subqueries: no join fan-out)."""
    return needs.annotate(
        pledged=_sum(Pledge),
        received=_sum(StockMovement, kind=StockMovement.Kind.RECEIVED),
        dispatched=_sum(StockMovement, kind=StockMovement.Kind.DISPATCHED),
    )


def manages(user, need):
    return access_for(user).administers_unit(need.receiving_unit)


def get_pledge_to_receive(user, pk):
    """A pledge whose goods the user may book in: one to a unit they administer."""
    access = access_for(user)
    pledges = Pledge.objects.select_related("need__receiving_unit")
    if not access.is_org_admin:
        pledges = pledges.filter(access.unit_path_filter("need__receiving_unit__path"))
    pledge = pledges.filter(pk=pk).first()
    if pledge is None:
        raise Http404
    return pledge


def suppliers_visible_to(user):
    return Supplier.objects.all() if user.is_authenticated else Supplier.objects.none()


def get_receipt_for_user(user, pk):
    """A received donation, for its certificate: the receiving unit's admins and the donor."""
    movement = (
        StockMovement.objects.select_related("need__receiving_unit", "pledge__donor_person")
        .filter(pk=pk, kind=StockMovement.Kind.RECEIVED)
        .first()
    )
    if movement is None:
        raise Http404
    donor = movement.pledge.donor_person if movement.pledge else None
    if not (manages(user, movement.need) or (donor and donor.user_id == user.pk)):
        raise Http404
    return movement


def public_thanks():
    """Donors who agreed to be thanked by name, with what they gave."""
    rows = (
        Pledge.objects.filter(named_publicly=True, receipts__isnull=False)
        .values("donor_name", "need__item", "need__unit_of_measure")
        .annotate(received=Sum("receipts__quantity"))
        .order_by("donor_name")
    )
    labels = dict(UnitOfMeasure.choices)
    return [dict(row, unit_label=labels.get(row["need__unit_of_measure"], "")) for row in rows]


def totals(need: SupplyNeed) -> dict[str, Decimal]:
    """Pledged, received and dispatched quantities of a need."""
    moved = need.movements.aggregate(
        received=Sum("quantity", filter=Q(kind=StockMovement.Kind.RECEIVED)),
        dispatched=Sum("quantity", filter=Q(kind=StockMovement.Kind.DISPATCHED)),
    )
    pledged = need.pledges.aggregate(q=Sum("quantity"))["q"]
    return {
        "pledged": pledged or Decimal(0),
        "received": moved["received"] or Decimal(0),
        "dispatched": moved["dispatched"] or Decimal(0),
    }
