"""Supply drives (爱心员): needs still being raised, for the units that posted them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, provider

from .models import SupplyNeed
from .selectors import needs_visible_to


@provider
def supply_items(user, access):
    if access.is_admin:
        needs = needs_visible_to(user).filter(status=SupplyNeed.Status.OPEN)
        if not access.is_org_admin:
            needs = needs.filter(access.unit_path_filter("receiving_unit__path"))
        yield Item(
            "roles", _("筹集中的物资需求（爱心员）"), needs.count(), reverse("supplies:needs")
        )
