"""Health check-ins on the workbench: today's check-in for everyone expected, alerts for the
units that follow them up."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, provider

from .models import Checkin, HealthAlert
from .selectors import alerts_visible_to, policy_for


@provider
def health_items(user, access):
    if access.is_admin:
        yield Item(
            "roles",
            _("待跟进的健康预警（自律员）"),
            alerts_visible_to(user).filter(status=HealthAlert.Status.OPEN).count(),
            reverse("health:alerts"),
            urgent=True,
        )
    policy = policy_for()
    if access.person_id and policy is not None:
        done = Checkin.objects.filter(
            person_id=access.person_id, campaign_id=policy.campaign_id, day=timezone.localdate()
        ).exists()
        yield Item("mine", _("今日健康打卡未完成"), 0 if done else 1, reverse("health:home"), True)
