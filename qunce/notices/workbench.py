"""Notices on the workbench: units sign for and report on what came down to them; the
department issues its drafts."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, provider

from .models import Notice, UnitReport
from .selectors import notices_visible_to, reports_visible_to


@provider
def notice_items(user, access):
    url = reverse("notices:list")
    if access.is_org_admin:
        yield Item(
            "guide",
            _("未印发的通知草稿"),
            notices_visible_to(user).filter(status=Notice.Status.DRAFT).count(),
            url,
        )
    elif access.is_unit_admin:
        reports = reports_visible_to(user).filter(notice__status=Notice.Status.PUBLISHED)
        yield Item(
            "guide",
            _("待签收的通知"),
            reports.filter(status=UnitReport.Status.PENDING).count(),
            url,
            urgent=True,
        )
        yield Item(
            "guide",
            _("待报告落实情况的通知"),
            reports.filter(status=UnitReport.Status.RECEIVED).count(),
            url,
        )
