"""Online teaching records (教育员) waiting for the unit's verification."""

from django.utils.translation import gettext_lazy as _

from qunce.core.workbench import review_queue

from .models import TeachingRecord
from .selectors import records_visible_to

review_queue(
    section="roles",
    label=_("待核实的线上教学记录（教育员）"),
    records=records_visible_to,
    status=TeachingRecord.Status.RECORDED,
    person_field="person_id",
    recorded_by_field="recorded_by",
    url_name="teaching:records",
)
