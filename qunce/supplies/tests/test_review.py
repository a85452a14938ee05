"""A purchase a colleague made for a unit's supply need passes the review workflow's suite
(qunce/core/tests/reviewed.py): the receiving unit's admin confirms it was made."""

import pytest

from qunce.core.tests.reviewed import ReviewedRecordContract
from qunce.supplies import services


class TestProcurementReview(ReviewedRecordContract):
    review = services.PROCUREMENT_REVIEW
    refusable = False

    def decide(self, record, user, *, approve=True, reason=""):
        return services.procurement_confirm(help_=record, acting_user=user)

    @pytest.fixture
    def need(self, world, campaign):
        return services.need_post(
            acting_user=world.users.unit_admin_a,
            receiving_unit=world.unit_a,
            item="医用口罩",
            quantity=100,
            unit_of_measure="piece",
            needed_by=campaign.starts_on.replace(year=2099),
        )

    @pytest.fixture
    def record(self, world, need):
        return services.procurement_take(need=need, acting_user=world.users.talent)

    @pytest.fixture
    def about_reviewer(self, world, need):
        return services.procurement_take(need=need, acting_user=world.users.unit_admin_a)

    @pytest.fixture
    def filed_by_reviewer(self):
        return None
