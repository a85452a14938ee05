"""Help requests on the workbench: the office triages and follows up; experts answer invitations
and serve."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, provider

from .models import HelpRequest, Invitation
from .selectors import requests_handled_by, requests_visible_to

Status = HelpRequest.Status


@provider
def help_request_items(user, access):
    url = reverse("assistance:list")
    if access.oversees_province:
        yield Item(
            "roles",
            _("待分派给高校的求助"),
            requests_visible_to(user)
            .filter(status=Status.SUBMITTED, university__isnull=True)
            .count(),
            f"{url}?status={Status.SUBMITTED}",
            urgent=True,
        )
    if access.is_admin:
        handled = requests_handled_by(user)
        yield Item(
            "roles",
            _("待分类的求助（技术员）"),
            handled.filter(status=Status.SUBMITTED).count(),
            f"{url}?status={Status.SUBMITTED}",
            urgent=True,
        )
        yield Item(
            "roles",
            _("已解决待回访的求助"),
            handled.filter(status=Status.RESOLVED).count(),
            f"{url}?status={Status.RESOLVED}",
        )
    if access.person_id:
        yield Item(
            "mine",
            _("邀请您服务的求助"),
            Invitation.objects.filter(
                expert_id=access.person_id,
                status=Invitation.Status.INVITED,
                request__status=Status.INVITED,
            ).count(),
            f"{url}?status={Status.INVITED}",
            urgent=True,
        )
        yield Item(
            "mine",
            _("您正在服务的求助"),
            HelpRequest.objects.filter(
                expert_id=access.person_id, status__in=(Status.ACCEPTED, Status.IN_SERVICE)
            ).count(),
            url,
        )
