"""Proposals (参谋员) waiting for the department's decision."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, provider

from .models import Proposal
from .selectors import proposals_visible_to


@provider
def proposal_items(user, access):
    if access.is_org_admin:
        yield Item(
            "roles",
            _("待处理的建言献策（参谋员）"),
            proposals_visible_to(user)
            .filter(status=Proposal.Status.SUBMITTED)
            .exclude(author_id=access.person_id)
            .count(),
            reverse("proposals:list"),
        )
