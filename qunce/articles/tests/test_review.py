"""Articles pass the review workflow's suite (qunce/core/tests/reviewed.py)."""

import pytest

from qunce.articles import services
from qunce.core.tests.reviewed import ReviewedRecordContract

from .test_articles import draft


def submitted(world, campaign, **changes):
    article = draft(world, campaign, **changes)
    return services.article_submit(
        article=article, acting_user=changes.get("acting_user", world.users.talent)
    )


class TestArticleReview(ReviewedRecordContract):
    review = services.ARTICLE_REVIEW

    def decide(self, record, user, *, approve=True, reason=""):
        return services.article_review(
            article=record, acting_user=user, publish=approve, reason=reason
        )

    @pytest.fixture
    def record(self, world, campaign):
        return submitted(world, campaign)

    @pytest.fixture
    def about_reviewer(self, world, campaign):
        return submitted(
            world,
            campaign,
            acting_user=world.users.org_admin,
            author=world.users.unit_admin_a.person,
        )

    @pytest.fixture
    def filed_by_reviewer(self, world, campaign):
        return submitted(world, campaign, acting_user=world.users.unit_admin_a)
