"""One review workflow for every record that someone files and someone else verifies, rejects or
decides: a claim, a vanguard act, a teaching record, an article, a proposal, a commendation.

Who may review a kind of record is its app's rule (its unit's admins, or the organization
department). What every kind shares lives here: nobody reviews a record about themselves or one
they filed; a refusal says why; the verdict is a transition of the record's state machine, with
its event row; the reviewer and the reason are kept on the record."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise

from .services import transition


@dataclass(frozen=True)
class Review:
    """How one kind of record is reviewed.

    `subject_field` names the person the record is about and `filer_field` the account that
    filed it (either may be None); `reviewer_field` and `reason_field` where the reviewer and
    the reason are kept (None where the model keeps neither); `reason_required` the verdicts
    that need a reason, and `reason_message` what to say when it is missing: at `reason`, the
    name every reviewing service, page and API body gives it."""

    own_message: str | Promise
    subject_field: str | None = None
    filer_field: str | None = None
    reviewer_field: str | None = None
    reason_field: str | None = None
    reason_required: frozenset[str] = frozenset()
    reason_message: str | Promise = ""


def review_refuse_own(*, review, record, acting_user, acting_person_id):
    """Nobody reviews a record about themselves or one they filed: raises ValidationError."""
    subject_id = getattr(record, f"{review.subject_field}_id") if review.subject_field else None
    filer_id = getattr(record, f"{review.filer_field}_id") if review.filer_field else None
    if (acting_person_id is not None and subject_id == acting_person_id) or (
        filer_id is not None and filer_id == acting_user.pk
    ):
        raise ValidationError({"status": review.own_message})


def review_decide(*, review, record, to_state, acting_user, acting_person_id, reason=""):
    """Move `record` (locked by the caller, who has checked that `acting_user` may review it)
    to the verdict `to_state`: refuse its own reviewer, ask for a reason where the verdict needs
    one, write the transition's event and keep the reviewer and the reason."""
    review_refuse_own(
        review=review, record=record, acting_user=acting_user, acting_person_id=acting_person_id
    )
    reason = (reason or "").strip()
    if to_state in review.reason_required and not reason:
        raise ValidationError({"reason": review.reason_message})
    transition(record=record, to_state=to_state, actor=acting_user, note=reason)
    kept = []
    if review.reviewer_field:
        setattr(record, review.reviewer_field, acting_user)
        kept.append(review.reviewer_field)
    if review.reason_field:
        longest = record._meta.get_field(review.reason_field).max_length
        setattr(record, review.reason_field, reason[:longest])
        kept.append(review.reason_field)
    if kept:
        record.save(update_fields=kept)
    return record
