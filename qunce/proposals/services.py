"""Writes of proposals and key problems. An adopted proposal enters its author's 参谋员 service in
the ledger."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qunce.accounts.models import User
from qunce.core.notify import notify_users
from qunce.core.review import Review, review_decide, review_refuse_own
from qunce.core.services import audit_record, transition
from qunce.core.uploads import checked_uploads, stored_files_create
from qunce.ledger import services as ledger_services
from qunce.org.access import Action, access_for, restrict
from qunce.org.models import Campaign

from .models import KeyProblem, ProgressNote, Proposal, ProposalAttachment, Volunteer

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def _running(campaign, errors):
    today = timezone.localdate()
    if campaign.starts_on > today or (campaign.ends_on and campaign.ends_on < today):
        errors["campaign"] = _("请选择进行中的专项行动。")


def proposal_submit(
    *,
    acting_user: User,
    campaign: Campaign,
    topic: str,
    problem: str,
    suggestion: str,
    files: Sequence[UploadedFile] = (),
) -> Proposal:
    """A talent's proposal (建言献策); every field is checked before anything is written."""
    access = access_for(acting_user)
    if access.person_id is None:
        raise PermissionDenied
    errors: dict[str, str | list[str]] = {}
    for name, value, message in (
        ("topic", topic, _("请填写主题。")),
        ("problem", problem, _("请写明存在的问题。")),
        ("suggestion", suggestion, _("请写明对策建议。")),
    ):
        if not (value or "").strip():
            errors[name] = message
    _running(campaign, errors)
    try:
        checked = checked_uploads(files, field="attachments", max_bytes=MAX_ATTACHMENT_BYTES)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        author = acting_user.person
        proposal = Proposal.objects.create(
            author=author,
            unit=author.unit,
            campaign=campaign,
            topic=topic.strip(),
            problem=problem.strip(),
            suggestion=suggestion.strip(),
        )
        stored_files_create(ProposalAttachment, checked, proposal=proposal)
        audit_record(actor=acting_user, action="proposal.submit", target=proposal)
    return proposal


# Every decision is sent to the author with feedback, which proposal_decide asks for together
# with the decision's other fields.
PROPOSAL_REVIEW = Review(
    own_message=gettext_lazy("不能处理本人的建言。"),
    subject_field="author",
    reviewer_field="decided_by",
    reason_field="feedback",
)


@transaction.atomic
def proposal_decide(
    *, proposal: Proposal, acting_user: User, decision: str, feedback: str, referred_to: str = ""
) -> Proposal:
    """The org admin adopts a proposal, refers it to a department, or notes it, always with
    feedback to the author."""
    access = restrict(acting_user, Action.DECIDE_PROPOSALS)
    review_refuse_own(
        review=PROPOSAL_REVIEW,
        record=proposal,
        acting_user=acting_user,
        acting_person_id=access.person_id,
    )
    errors = {}
    if not (feedback or "").strip():
        errors["feedback"] = _("请写下给建言人的反馈意见。")
    if decision == Proposal.Status.REFERRED and not (referred_to or "").strip():
        errors["referred_to"] = _("请写明转交的部门。")
    if decision not in (Proposal.Status.ADOPTED, Proposal.Status.REFERRED, Proposal.Status.NOTED):
        errors["decision"] = _("请选择采纳、转有关部门或阅存。")
    if errors:
        raise ValidationError(errors)
    proposal = Proposal.objects.select_for_update().select_related("author").get(pk=proposal.pk)
    review_decide(
        review=PROPOSAL_REVIEW,
        record=proposal,
        to_state=decision,
        acting_user=acting_user,
        acting_person_id=access.person_id,
        reason=feedback,
    )
    if decision == Proposal.Status.REFERRED:
        proposal.referred_to = referred_to.strip()
        proposal.save(update_fields=["referred_to"])
    if decision == Proposal.Status.ADOPTED:
        day = timezone.localdate(proposal.submitted_at)
        ledger_services.ledger_record(
            person=proposal.author,
            role="advisor",
            campaign=proposal.campaign,
            date_from=day,
            date_to=day,
            summary=_("建言献策被采纳：%(topic)s") % {"topic": proposal.topic},
            source=proposal,
            acting_user=acting_user,
        )
    if proposal.author.user_id:
        notify_users(
            dedupe_key=f"proposal-decided:{proposal.pk}:{decision}",
            recipients=[proposal.author.user],
            subject=_("您的建言“%(topic)s”：%(decision)s")
            % {"topic": proposal.topic, "decision": proposal.get_status_display()},
            body=proposal.feedback,
            link=f"/proposals/{proposal.pk}/",
        )
    return proposal


def key_problem_publish(
    *, acting_user: User, campaign: Campaign, title: str, description: str
) -> KeyProblem:
    restrict(acting_user, Action.MANAGE_KEY_PROBLEMS)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("请填写问题。")
    if not (description or "").strip():
        errors["description"] = _("请写明问题的说明和需要的专业。")
    _running(campaign, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        problem = KeyProblem.objects.create(
            campaign=campaign,
            title=title.strip(),
            description=description.strip(),
            published_by=acting_user,
        )
        audit_record(actor=acting_user, action="key_problem.publish", target=problem)
    return problem


def key_problem_volunteer(*, problem: KeyProblem, acting_user: User) -> Volunteer:
    """A talent takes on an open key problem, once."""
    access = access_for(acting_user)
    if access.person_id is None:
        raise PermissionDenied
    if problem.status != KeyProblem.Status.OPEN:
        raise ValidationError(_("这个问题已不再征集。"))
    try:
        with transaction.atomic():
            return Volunteer.objects.create(problem=problem, person_id=access.person_id)
    except IntegrityError as exc:
        raise ValidationError(_("您已认领这个问题。")) from exc


def key_problem_progress(*, problem: KeyProblem, acting_user: User, text: str) -> ProgressNote:
    volunteer = Volunteer.objects.filter(
        problem=problem, person_id=access_for(acting_user).person_id
    ).first()
    if volunteer is None:
        raise PermissionDenied
    if not (text or "").strip():
        raise ValidationError({"text": _("请写下进展。")})
    return ProgressNote.objects.create(volunteer=volunteer, text=text.strip())


@transaction.atomic
def key_problem_close(
    *, problem: KeyProblem, acting_user: User, solved: bool, note: str = ""
) -> KeyProblem:
    restrict(acting_user, Action.MANAGE_KEY_PROBLEMS)
    problem = KeyProblem.objects.select_for_update().get(pk=problem.pk)
    to_state = KeyProblem.Status.SOLVED if solved else KeyProblem.Status.CLOSED
    transition(record=problem, to_state=to_state, actor=acting_user, note=note)
    return problem
