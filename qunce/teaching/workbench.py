"""Online teaching records (教育员) waiting for the unit's verification."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, provider

from .models import TeachingRecord
from .selectors import records_visible_to


@provider
def teaching_items(user, access):
    if access.is_admin:
        yield Item(
            "roles",
            _("待核实的线上教学记录（教育员）"),
            records_visible_to(user)
            .filter(status=TeachingRecord.Status.RECORDED)
            .exclude(person_id=access.person_id)
            .exclude(recorded_by=user)
            .count(),
            reverse("teaching:records"),
        )
