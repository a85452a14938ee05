"""Articles (宣传员) waiting for review by someone other than their author."""

from django.utils.translation import gettext_lazy as _

from qunce.core.workbench import review_queue

from .models import Article
from .selectors import articles_visible_to

review_queue(
    section="roles",
    label=_("待审核的宣传文章（宣传员）"),
    records=articles_visible_to,
    status=Article.Status.SUBMITTED,
    person_field="author_id",
    recorded_by_field="written_by",
    url_name="articles:manage",
)
