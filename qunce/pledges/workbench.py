"""Vanguard acts (先锋员) waiting for the branch's verification."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, others_to_review, provider

from .models import VanguardAct
from .selectors import acts_visible_to


@provider
def pledge_items(user, access):
    if access.is_admin:
        yield Item(
            "roles",
            _("待核实的先锋行动（先锋员）"),
            others_to_review(
                acts_visible_to(user).filter(status=VanguardAct.Status.SUBMITTED),
                user=user,
                access=access,
                person_field="person_id",
                recorded_by_field="recorded_by",
            ),
            reverse("pledges:acts"),
        )
