"""The review workflow's one test suite, inherited by every kind of reviewed record (NetBox's
pattern of inherited test cases): each app's `test_review.py` subclasses ReviewedRecordContract
with its records, its reviewer and its service, and runs every test below against them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qunce.core.models import StateEvent
from qunce.core.review import Review
from qunce.org.models import Campaign


class ReviewedRecordContract:
    """A subclass names its `review` (the app's Review), says whether the kind can be refused
    (`refusable`), implements `decide(record, user, approve, reason)` with the app's service, and
    gives fixtures: `record` (filed, waiting, about someone else than the reviewer),
    `about_reviewer` (a waiting record about the reviewer's own person), `filed_by_reviewer` (one
    the reviewer filed about someone else; None where the kind names no filer apart from whom it
    is about) and, where they are not unit A's and unit B's admins, `reviewer` and `outsider`
    (signed in, without the right to review it)."""

    review: Review
    refusable = True

    def decide(self, record, user, *, approve=True, reason=""):
        raise NotImplementedError

    @pytest.fixture
    def reviewer(self, world):
        """Most kinds are reviewed by the admins of their person's unit: unit A's."""
        return world.users.unit_admin_a

    @pytest.fixture
    def outsider(self, world):
        return world.users.unit_admin_b

    @pytest.fixture
    def campaign(self, world):
        return Campaign.objects.create(
            name="2020 新冠肺炎疫情防控", starts_on=date(2020, 1, 25), status=Campaign.Status.ACTIVE
        )

    @staticmethod
    def stored(record):
        return type(record).objects.get(pk=record.pk)

    @staticmethod
    def events_of(record):
        return StateEvent.objects.filter(
            target_type=record._meta.label_lower, target_id=str(record.pk)
        )

    def assert_unchanged(self, record, status, events):
        assert self.stored(record).status == status
        assert self.events_of(record).count() == events

    def test_the_verdict_moves_the_record_and_an_event_names_the_reviewer(self, record, reviewer):
        before = self.stored(record).status
        self.decide(record, reviewer)
        after = self.stored(record)
        assert after.status != before
        event = self.events_of(record).get(to_state=after.status)
        assert (event.actor, event.from_state) == (reviewer, before)
        if self.review.reviewer_field:
            assert getattr(after, f"{self.review.reviewer_field}_id") == reviewer.pk

    def test_nobody_reviews_a_record_about_themselves(self, about_reviewer, reviewer):
        self.assert_refused_as_own(about_reviewer, reviewer)

    def test_nobody_reviews_a_record_they_filed(self, filed_by_reviewer, reviewer):
        if filed_by_reviewer is None:
            pytest.skip("this kind is filed by the person it is about")
        self.assert_refused_as_own(filed_by_reviewer, reviewer)

    def assert_refused_as_own(self, record, reviewer):
        status, events = self.stored(record).status, self.events_of(record).count()
        with pytest.raises(ValidationError) as refused:
            self.decide(record, reviewer)
        assert refused.value.message_dict["status"] == [str(self.review.own_message)]
        self.assert_unchanged(record, status, events)

    def test_a_refusal_without_a_reason_is_named_and_changes_nothing(self, record, reviewer):
        if not self.review.reason_required:
            pytest.skip("this kind's refusals need no reason")
        status, events = self.stored(record).status, self.events_of(record).count()
        with pytest.raises(ValidationError) as refused:
            self.decide(record, reviewer, approve=False, reason="  ")
        assert refused.value.message_dict["reason"] == [str(self.review.reason_message)]
        self.assert_unchanged(record, status, events)

    def test_a_refusal_keeps_its_reason_for_the_filer(self, record, reviewer):
        if not (self.refusable and self.review.reason_field):
            pytest.skip("this kind keeps no reason for a refusal")
        self.decide(record, reviewer, approve=False, reason=" 请补充证明材料 ")
        after = self.stored(record)
        assert getattr(after, self.review.reason_field) == "请补充证明材料"
        assert self.events_of(record).get(to_state=after.status).note == "请补充证明材料"

    def test_someone_without_the_right_is_refused(self, record, outsider):
        status, events = self.stored(record).status, self.events_of(record).count()
        with pytest.raises(PermissionDenied):
            self.decide(record, outsider)
        self.assert_unchanged(record, status, events)

    def test_a_decided_record_is_not_decided_again(self, record, reviewer):
        self.decide(record, reviewer)
        decided, events = self.stored(record), self.events_of(record).count()
        with pytest.raises(ValidationError):
            self.decide(decided, reviewer, approve=False, reason="改变主意")
        self.assert_unchanged(record, decided.status, events)


class DecidedByTheDepartment:
    """Mixed in before ReviewedRecordContract by the kinds the organization department decides
    (commendations, proposals): its admin reviews, and unit A's admin may not."""

    @pytest.fixture
    def reviewer(self, world):
        return world.users.org_admin

    @pytest.fixture
    def outsider(self, world):
        return world.users.unit_admin_a
