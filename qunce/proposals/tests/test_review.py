"""Proposals pass the review workflow's suite (qunce/core/tests/reviewed.py): adopting one is
its verdict, noting it (阅存) its refusal, each with feedback to the author."""

import pytest

from qunce.core.tests.reviewed import DecidedByTheDepartment, ReviewedRecordContract
from qunce.proposals import services
from qunce.proposals.models import Proposal

from .test_proposals import proposal


class TestProposalReview(DecidedByTheDepartment, ReviewedRecordContract):
    review = services.PROPOSAL_REVIEW

    def decide(self, record, user, *, approve=True, reason=""):
        return services.proposal_decide(
            proposal=record,
            acting_user=user,
            decision=Proposal.Status.ADOPTED if approve else Proposal.Status.NOTED,
            feedback=reason or "已纳入学校返校工作方案。",
        )

    @pytest.fixture
    def record(self, world, campaign):
        return proposal(world, campaign)

    @pytest.fixture
    def about_reviewer(self, world, campaign):
        return proposal(world, campaign, acting_user=world.users.org_admin)

    @pytest.fixture
    def filed_by_reviewer(self):
        return None
