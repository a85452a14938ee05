"""Family care (后顾之忧): needs nobody has taken, and needs that have stalled."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, provider

from .models import FamilyNeed
from .selectors import needs_visible_to

Status = FamilyNeed.Status


@provider
def care_items(user, access):
    if not access.is_admin:
        return
    needs = needs_visible_to(user)
    url = reverse("care:needs")
    yield Item("care", _("待接手的家属需求"), needs.filter(status=Status.OPEN).count(), url, True)
    stalled_since = timezone.now() - timedelta(days=FamilyNeed.STALLED_AFTER_DAYS)
    yield Item(
        "care",
        _("停滞超过 %(days)s 天的家属需求") % {"days": FamilyNeed.STALLED_AFTER_DAYS},
        needs.filter(status=Status.IN_PROGRESS, last_activity_at__lt=stalled_since).count(),
        url,
    )
