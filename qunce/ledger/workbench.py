"""The contribution ledger on the workbench: claims and commendations waiting for a decision,
and the person's own claims under review."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qunce.core.workbench import Item, provider, review_queue

from .models import Claim, Commendation
from .selectors import claims_visible_to, commendations_visible_to

review_queue(
    section="care",
    label=gettext_lazy("待审核的贡献申报"),
    records=claims_visible_to,
    status=Claim.Status.SUBMITTED,
    person_field="person_id",
    recorded_by_field="submitted_by",
    url_name="ledger:home",
)


@provider
def ledger_items(user, access):
    if access.is_org_admin:
        yield Item(
            "care",
            _("待审批的表彰推荐"),
            commendations_visible_to(user).filter(status=Commendation.Status.PROPOSED).count(),
            reverse("ledger:commendations"),
        )
    if access.person_id:
        yield Item(
            "mine",
            _("您待审核的贡献申报"),
            Claim.objects.filter(person_id=access.person_id, status=Claim.Status.SUBMITTED).count(),
            reverse("ledger:home"),
        )
