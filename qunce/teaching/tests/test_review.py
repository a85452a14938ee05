"""Teaching records pass the review workflow's suite (qunce/core/tests/reviewed.py)."""

import pytest

from qunce.core.tests.reviewed import ReviewedRecordContract
from qunce.teaching import services

from .test_teaching import course


class TestTeachingReview(ReviewedRecordContract):
    review = services.TEACHING_REVIEW
    refusable = False

    def decide(self, record, user, *, approve=True, reason=""):
        return services.teaching_verify(record=record, acting_user=user)

    @pytest.fixture
    def record(self, world, campaign):
        return course(world, campaign)

    @pytest.fixture
    def about_reviewer(self, world, campaign):
        return course(
            world,
            campaign,
            acting_user=world.users.org_admin,
            person=world.users.unit_admin_a.person,
        )

    @pytest.fixture
    def filed_by_reviewer(self, world, campaign):
        return course(world, campaign, acting_user=world.users.unit_admin_a)
