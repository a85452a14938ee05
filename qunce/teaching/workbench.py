"""Online teaching records (教育员) waiting for the unit's verification."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, others_to_review, provider

from .models import TeachingRecord
from .selectors import records_visible_to


@provider
def teaching_items(user, access):
    if access.is_admin:
        yield Item(
            "roles",
            _("待核实的线上教学记录（教育员）"),
            others_to_review(
                records_visible_to(user).filter(status=TeachingRecord.Status.RECORDED),
                user=user,
                access=access,
                person_field="person_id",
                recorded_by_field="recorded_by",
            ),
            reverse("teaching:records"),
        )
