"""Articles (宣传员) waiting for review by someone other than their author."""

from django.urls import reverse
from django.utils.translation import gettext as _

from qunce.core.workbench import Item, others_to_review, provider

from .models import Article
from .selectors import articles_visible_to


@provider
def article_items(user, access):
    if access.is_admin:
        yield Item(
            "roles",
            _("待审核的宣传文章（宣传员）"),
            others_to_review(
                articles_visible_to(user).filter(status=Article.Status.SUBMITTED),
                user=user,
                access=access,
                person_field="author_id",
                recorded_by_field="written_by",
            ),
            reverse("articles:manage"),
        )
