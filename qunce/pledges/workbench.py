"""Vanguard acts (先锋员) waiting for the branch's verification."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, provider

from .models import VanguardAct
from .selectors import acts_visible_to


@provider
def pledge_items(user, access):
    if access.is_admin:
        yield Item(
            "roles",
            _("待核实的先锋行动（先锋员）"),
            acts_visible_to(user)
            .filter(status=VanguardAct.Status.SUBMITTED)
            .exclude(person_id=access.person_id)
            .exclude(recorded_by=user)
            .count(),
            reverse("pledges:acts"),
        )
