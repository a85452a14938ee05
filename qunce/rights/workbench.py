"""People's requests to correct or delete their information, waiting for their unit's admin."""

from django.utils.translation import gettext_lazy as _

from qunce.core.workbench import review_queue

from .models import RightsRequest
from .selectors import requests_visible_to

review_queue(
    section="care",
    label=_("待办理的个人信息更正/删除申请"),
    records=requests_visible_to,
    status=RightsRequest.Status.SUBMITTED,
    person_field="person_id",
    recorded_by_field="submitted_by",
    url_name="rights:requests",
)
