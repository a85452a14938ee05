"""Articles (宣传员) waiting for review by someone other than their author."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, provider

from .models import Article
from .selectors import articles_visible_to


@provider
def article_items(user, access):
    if access.is_admin:
        yield Item(
            "roles",
            _("待审核的宣传文章（宣传员）"),
            articles_visible_to(user)
            .filter(status=Article.Status.SUBMITTED)
            .exclude(author_id=access.person_id)
            .exclude(written_by=user)
            .count(),
            reverse("articles:manage"),
        )
