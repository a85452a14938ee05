"""Vanguard acts pass the review workflow's suite (qunce/core/tests/reviewed.py)."""

import pytest
from django.utils import timezone

from qunce.core.tests.reviewed import ReviewedRecordContract
from qunce.pledges import services


def act(campaign, *, recorded_by, about):
    return services.vanguard_act_record(
        acting_user=recorded_by,
        person=about,
        campaign=campaign,
        done_on=timezone.localdate(),
        description="带头在校门卡口值守，测温登记 200 余人次",
    )


class TestVanguardActReview(ReviewedRecordContract):
    review = services.VANGUARD_ACT_REVIEW

    def decide(self, record, user, *, approve=True, reason=""):
        return services.vanguard_act_review(
            act=record, acting_user=user, verify=approve, reason=reason
        )

    @pytest.fixture
    def record(self, world, campaign):
        return act(campaign, recorded_by=world.users.talent, about=world.users.talent.person)

    @pytest.fixture
    def about_reviewer(self, world, campaign):
        return act(
            campaign, recorded_by=world.users.org_admin, about=world.users.unit_admin_a.person
        )

    @pytest.fixture
    def filed_by_reviewer(self, world, campaign):
        return act(campaign, recorded_by=world.users.unit_admin_a, about=world.users.talent.person)
