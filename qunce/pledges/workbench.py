"""Vanguard acts (先锋员) waiting for the branch's verification."""

from django.utils.translation import gettext_lazy as _

from qunce.core.workbench import review_queue

from .models import VanguardAct
from .selectors import acts_visible_to

review_queue(
    section="roles",
    label=_("待核实的先锋行动（先锋员）"),
    records=acts_visible_to,
    status=VanguardAct.Status.SUBMITTED,
    person_field="person_id",
    recorded_by_field="recorded_by",
    url_name="pledges:acts",
)
