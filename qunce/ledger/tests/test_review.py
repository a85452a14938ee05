"""Claims and commendations pass the review workflow's suite (qunce/core/tests/reviewed.py)."""

from datetime import date

import pytest

from qunce.core.tests.reviewed import DecidedByTheDepartment, ReviewedRecordContract
from qunce.ledger import services


def claim(campaign, *, filed_by, about):
    return services.claim_submit(
        person=about,
        acting_user=filed_by,
        campaign=campaign,
        role="technician",
        date_from=date(2020, 2, 10),
        date_to=date(2020, 2, 11),
        summary="电话指导海城某企业恢复生产线",
    )


class TestClaimReview(ReviewedRecordContract):
    review = services.CLAIM_REVIEW

    def decide(self, record, user, *, approve=True, reason=""):
        if approve:
            return services.claim_verify(claim=record, acting_user=user)
        return services.claim_reject(claim=record, acting_user=user, reason=reason)

    @pytest.fixture
    def record(self, world, campaign):
        talent = world.users.talent
        return claim(campaign, filed_by=talent, about=talent.person)

    @pytest.fixture
    def about_reviewer(self, world, campaign):
        return claim(
            campaign, filed_by=world.users.org_admin, about=world.users.unit_admin_a.person
        )

    @pytest.fixture
    def filed_by_reviewer(self, world, campaign):
        return claim(campaign, filed_by=world.users.unit_admin_a, about=world.users.talent.person)


def commendation(campaign, *, proposed_by, about):
    return services.commendation_propose(
        acting_user=proposed_by,
        person=about,
        campaign=campaign,
        title="疫情防控先进个人",
        citation="远程指导企业复产",
        awarded_on=date(2020, 7, 1),
        awarding_body="校党委",
    )


class TestCommendationReview(DecidedByTheDepartment, ReviewedRecordContract):
    review = services.COMMENDATION_REVIEW

    def decide(self, record, user, *, approve=True, reason=""):
        return services.commendation_decide(commendation=record, acting_user=user, approve=approve)

    @pytest.fixture
    def record(self, world, campaign):
        return commendation(
            campaign, proposed_by=world.users.unit_admin_a, about=world.users.talent.person
        )

    @pytest.fixture
    def about_reviewer(self, world, campaign):
        # Nobody proposes themselves: the org admin, a member of unit A, is proposed by its admin.
        member = world.users.org_admin.person
        member.unit = world.branch_a
        member.save()
        return commendation(campaign, proposed_by=world.users.unit_admin_a, about=member)

    @pytest.fixture
    def filed_by_reviewer(self):
        return None
