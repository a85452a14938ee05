"""People's requests to correct or delete their information, waiting for their unit's admin."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qunce.core.workbench import Item, provider, review_queue

from .models import RightsRequest
from .selectors import COUNSELLING_SECTIONS, requests_visible_to

LABEL = _("待办理的个人信息更正/删除申请")

review_queue(
    section="care",
    label=LABEL,
    records=requests_visible_to,
    status=RightsRequest.Status.SUBMITTED,
    person_field="person_id",
    recorded_by_field="submitted_by",
    url_name="rights:requests",
)


@provider
def counselling_requests(user, access):
    """Requests about counselling wait for the coordinators (no unit admin sees them)."""
    if access.is_counselling_coordinator and not access.is_admin:
        waiting = (
            requests_visible_to(user)
            .filter(status=RightsRequest.Status.SUBMITTED, section__in=COUNSELLING_SECTIONS)
            .exclude(person_id=access.person_id)
        )
        yield Item("care", str(LABEL), waiting.count(), reverse("rights:requests"))
