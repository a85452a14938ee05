"""Counselling (疏导员) on the workbench: counts only, never content. The coordinator assigns new
requests; each counsellor sees their own open cases."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, provider

from .models import CounsellingCase
from .selectors import cases_of_counsellor, routing_queue

Status = CounsellingCase.Status


@provider
def counselling_items(user, access):
    url = reverse("counselling:home")
    if access.is_counselling_coordinator:
        yield Item(
            "roles",
            _("待分派的心理咨询（疏导员）"),
            routing_queue(user).filter(status=Status.REQUESTED).count(),
            url,
            urgent=True,
        )
    if access.is_counsellor:
        yield Item(
            "mine",
            _("您负责的咨询个案"),
            cases_of_counsellor(user)
            .filter(status__in=(Status.ASSIGNED, Status.IN_SESSIONS))
            .count(),
            url,
        )
