"""Writes of help requests. Each step is one transaction, one transition from the table, one
event row, and the notifications that step owes."""

import datetime
import secrets
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qunce.accounts.models import User
from qunce.codes.models import Industry, Region
from qunce.core.models import StateEvent
from qunce.core.notify import notify_sms
from qunce.core.services import audit_record, inbox_send, transition
from qunce.ledger import services as ledger_services
from qunce.matching.engine import MatchIndex
from qunce.org.access import access_for
from qunce.org.models import Campaign, Person, Unit

from .models import (
    Consultation,
    HelpRequest,
    Invitation,
    MatchIndexSnapshot,
    RequesterNote,
    RequestReminder,
    token_digest,
)
from .selectors import (
    ROUTABLE_STATES,
    coordinates,
    coordinators_of,
    route_targets,
    routing_province_paths,
)

TRACKING_LINK_LIFETIME = timedelta(days=365)
DUPLICATE_WINDOW = timedelta(minutes=10)
PER_MOBILE_PER_DAY = 5
Status = HelpRequest.Status


def _sms_of_step(event, mobile, text):
    """A text to the requester about the step `event` recorded; it leaves once that commits."""
    notify_sms(dedupe_key=f"state-event:{event.pk}", mobile=mobile, text=text)


def _require_coordinator(user, help_request):
    if not coordinates(user, help_request):
        raise PermissionDenied(_("只有承办高校的组织部管理员可以办理此需求。"))


def _move(help_request, to_state, actor, note="", **stamps):
    for name, value in stamps.items():
        setattr(help_request, name, value)
    if stamps:
        help_request.save(update_fields=list(stamps))
    return transition(record=help_request, to_state=to_state, actor=actor, note=note)


@transaction.atomic
def help_request_submit(
    *,
    requester_type: str,
    organization: str,
    contact_name: str,
    mobile: str,
    region: Region | None,
    industry: Industry | None,
    category: str,
    description: str,
    preferred_channel: str,
    consent: bool,
    urgency: str = HelpRequest.Urgency.NORMAL,
    university: Unit | None = None,
) -> tuple[HelpRequest, str]:
    """A requester without an account asks for help. Returns (request, raw tracking token); the
    token is shown once, in the tracking link."""
    values = {
        key: value.strip() if isinstance(value, str) else value
        for key, value in {
            "requester_type": requester_type,
            "organization": organization,
            "contact_name": contact_name,
            "mobile": mobile,
            "region": region,
            "industry": industry,
            "category": category,
            "description": description,
            "urgency": urgency,
            "preferred_channel": preferred_channel,
            "consent": consent,
            "university": university,
        }.items()
    }
    if not values.get("consent"):
        raise ValidationError({"consent": _("请同意我们使用您的联系方式，以便专家与您联系。")})
    now = timezone.now()
    recent = HelpRequest.objects.filter(mobile=values.get("mobile", ""))
    if recent.filter(
        description=values.get("description"), submitted_at__gte=now - DUPLICATE_WINDOW
    ).exists():
        raise ValidationError({"description": _("您刚刚已提交过相同的需求，请勿重复提交。")})
    if recent.filter(submitted_at__gte=now - timedelta(days=1)).count() >= PER_MOBILE_PER_DAY:
        raise ValidationError(
            {"mobile": _("该手机号今天提交的需求已达上限，请明天再试或致电联系我们。")}
        )
    raw_token = secrets.token_urlsafe(24)
    help_request = HelpRequest(
        token_digest=token_digest(raw_token),
        token_expires_at=now + TRACKING_LINK_LIFETIME,
        campaign=Campaign.objects.filter(status=Campaign.Status.ACTIVE)
        .order_by("-starts_on")
        .first(),
        **values,
    )
    help_request.full_clean(exclude=["token_digest"])
    help_request.save()
    inbox_send(
        recipients=coordinators_of(help_request),
        subject=_("新的技术服务需求：%(org)s") % {"org": help_request.organization},
        body=help_request.get_category_display(),
        link=reverse("assistance:detail", args=[help_request.pk]),
    )
    return help_request, raw_token


@transaction.atomic
def help_request_triage(
    *,
    help_request: HelpRequest,
    acting_user: User,
    category: str | None = None,
    industry: Industry | None = None,
    reject_reason: str = "",
) -> StateEvent:
    """Classify a request, or reject it as out of scope or spam with a reason the requester sees."""
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    _require_coordinator(acting_user, help_request)
    if reject_reason.strip():
        help_request.rejection_reason = reject_reason.strip()[:300]
        help_request.save(update_fields=["rejection_reason"])
        return _move(help_request, Status.REJECTED, acting_user, note=reject_reason)
    if category:
        help_request.category = category
    if industry:
        help_request.industry = industry
    help_request.save(update_fields=["category", "industry"])
    return _move(help_request, Status.TRIAGED, acting_user, triaged_at=timezone.now())


@transaction.atomic
def help_request_route(
    *, help_request: HelpRequest, acting_user: User, university: Unit, reason: str
) -> StateEvent:
    """A province admin hands a request not yet with experts to another university, whose
    office then triages it: the request goes back to 已提交 there, with the reason in its
    history."""
    help_request = (
        HelpRequest.objects.select_for_update(of=("self",))
        .select_related("university")
        .get(pk=help_request.pk)
    )
    if not routing_province_paths(acting_user, help_request):
        raise PermissionDenied(_("只有省级管理员可以转交需求。"))
    if help_request.status not in ROUTABLE_STATES:
        raise ValidationError({"status": _("已邀请专家的需求不能再转交。")})
    targets = route_targets(acting_user, help_request)
    if university is None or not targets.filter(pk=university.pk).exists():
        raise ValidationError({"university": _("请选择本省的另一所高校。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写转交的理由。")})
    before = help_request.university
    help_request.university = university
    help_request.save(update_fields=["university"])
    event = _move(
        help_request,
        Status.SUBMITTED,
        acting_user,
        note=_("转交%(from)s→%(to)s：%(reason)s")
        % {
            "from": before.name if before else _("待分派"),
            "to": university.name,
            "reason": reason.strip()[:200],
        },
    )
    inbox_send(
        recipients=coordinators_of(help_request),
        subject=_("省级转来的技术服务需求：%(org)s") % {"org": help_request.organization},
        body=reason.strip()[:200],
        link=reverse("assistance:detail", args=[help_request.pk]),
    )
    return event


@transaction.atomic
def help_request_invite(
    *,
    help_request: HelpRequest,
    experts: Iterable[Person],
    acting_user: User,
    reasons: dict[int, list[str]] | None = None,
) -> StateEvent:
    """Invite experts (people with a login); the first to accept takes the request."""
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    _require_coordinator(acting_user, help_request)
    experts = [expert for expert in experts if expert.user_id]
    if not experts:
        raise ValidationError({"experts": _("请至少选择一位已开通账号的专家。")})
    for expert in experts:
        Invitation.objects.update_or_create(
            request=help_request,
            expert=expert,
            defaults={
                "status": Invitation.Status.INVITED,
                "decline_reason": "",
                "responded_at": None,
                "match_reasons": (reasons or {}).get(expert.pk, []),
            },
        )
    event = _move(help_request, Status.INVITED, acting_user)
    _tell_invited(help_request, experts)
    return event


def _tell_invited(help_request, experts):
    inbox_send(
        recipients=[expert.user for expert in experts],
        subject=_("技术服务邀请：%(category)s") % {"category": help_request.get_category_display()},
        body=help_request.description[:200],
        link=reverse("assistance:detail", args=[help_request.pk]),
    )


def _own_invitation(help_request, user):
    person_id = access_for(user).person_id
    invitation = (
        Invitation.objects.select_for_update()
        .filter(request=help_request, expert_id=person_id)
        .first()
    )
    if invitation is None:
        raise PermissionDenied(_("此需求没有邀请您。"))
    return invitation


@transaction.atomic
def invitation_accept(*, help_request: HelpRequest, acting_user: User) -> StateEvent:
    """The first invited expert to accept takes the request; the others are released."""
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    invitation = _own_invitation(help_request, acting_user)
    if invitation.status != Invitation.Status.INVITED or help_request.status != Status.INVITED:
        raise ValidationError({"status": _("此需求已由其他专家接单或已撤回邀请。")})
    now = timezone.now()
    invitation.status, invitation.responded_at = Invitation.Status.ACCEPTED, now
    invitation.save(update_fields=["status", "responded_at"])
    help_request.invitations.filter(status=Invitation.Status.INVITED).update(
        status=Invitation.Status.RELEASED, responded_at=now
    )
    help_request.expert = invitation.expert
    event = _move(
        help_request, Status.ACCEPTED, acting_user, expert=invitation.expert, accepted_at=now
    )
    _sms_of_step(
        event,
        help_request.mobile,
        _("【群策】您的需求已由%(name)s老师接单，将通过您选择的方式与您联系。")
        % {"name": invitation.expert.name},
    )
    return event


@transaction.atomic
def invitation_decline(*, help_request: HelpRequest, acting_user: User, reason: str) -> Invitation:
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    invitation = _own_invitation(help_request, acting_user)
    if invitation.status != Invitation.Status.INVITED:
        raise ValidationError({"status": _("您已回复过此邀请。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请说明婉拒的理由，便于重新安排专家。")})
    invitation.status, invitation.decline_reason = Invitation.Status.DECLINED, reason.strip()[:300]
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "decline_reason", "responded_at"])
    if not help_request.invitations.filter(status=Invitation.Status.INVITED).exists():
        # Everyone declined: back to the office to invite others.
        _move(help_request, Status.TRIAGED, acting_user, note=_("受邀专家均已婉拒"))
        inbox_send(
            recipients=coordinators_of(help_request),
            subject=_("受邀专家均已婉拒，请重新邀请"),
            link=reverse("assistance:detail", args=[help_request.pk]),
        )
    return invitation


def _require_expert(help_request, user):
    if help_request.expert_id is None or access_for(user).person_id != help_request.expert_id:
        raise PermissionDenied(_("只有接单专家可以办理此步骤。"))


@transaction.atomic
def consultation_log(
    *,
    help_request: HelpRequest,
    acting_user: User,
    held_on: datetime.date,
    channel: str,
    minutes: int,
    advice: str,
) -> Consultation:
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    _require_expert(help_request, acting_user)
    if help_request.status not in (Status.ACCEPTED, Status.IN_SERVICE):
        raise ValidationError({"status": _("此需求当前不能记录咨询。")})
    if held_on > timezone.localdate() or held_on < timezone.localdate(help_request.submitted_at):
        raise ValidationError({"held_on": _("咨询日期应在需求提交之后、今天之前。")})
    consultation = Consultation(
        request=help_request,
        expert=help_request.expert,
        held_on=held_on,
        channel=channel,
        minutes=minutes,
        advice=advice.strip(),
    )
    consultation.full_clean()
    consultation.save()
    if help_request.status == Status.ACCEPTED:
        _move(help_request, Status.IN_SERVICE, acting_user)
    return consultation


@transaction.atomic
def help_request_resolve(
    *, help_request: HelpRequest, acting_user: User, summary: str
) -> StateEvent:
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    _require_expert(help_request, acting_user)
    if not summary.strip():
        raise ValidationError({"summary": _("请填写解决情况。")})
    if not help_request.consultations.exists():
        raise ValidationError({"summary": _("请先记录至少一次咨询。")})
    help_request.resolution_summary = summary.strip()
    event = _move(
        help_request,
        Status.RESOLVED,
        acting_user,
        resolved_at=timezone.now(),
        resolution_summary=help_request.resolution_summary,
    )
    inbox_send(
        recipients=coordinators_of(help_request),
        subject=_("需求已解决，请安排回访：%(org)s") % {"org": help_request.organization},
        link=reverse("assistance:detail", args=[help_request.pk]),
    )
    _sms_of_step(
        event, help_request.mobile, _("【群策】您的需求已处理完毕，请通过查询链接评价服务。")
    )
    return event


@transaction.atomic
def help_request_follow_up(
    *,
    help_request: HelpRequest,
    acting_user: User,
    satisfaction: int,
    solved: bool,
    note: str = "",
) -> StateEvent:
    """回访: the office records the requester's satisfaction; the expert's service is entered in
    the contribution ledger (技术员, hours from the consultations)."""
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    _require_coordinator(acting_user, help_request)
    if not 1 <= int(satisfaction) <= 5:
        raise ValidationError({"satisfaction": _("满意度为 1 到 5 分。")})
    event = _move(
        help_request,
        Status.FOLLOWED_UP,
        acting_user,
        followup_satisfaction=int(satisfaction),
        followup_solved=bool(solved),
        followup_note=note.strip()[:1000],
    )
    _record_service_in_ledger(help_request, acting_user)
    return event


def _record_service_in_ledger(help_request, acting_user):
    """One verified 技术员 entry per expert for the consultations not yet credited (a reopened
    request credits only the new ones). A round the ledger refuses (e.g. after the campaign
    ended) is noted in the audit trail and does not stop the follow-up."""
    if help_request.campaign is None:
        return
    uncredited = help_request.consultations.filter(credited_at__isnull=True)
    for expert_id in set(uncredited.values_list("expert", flat=True)):
        rounds = uncredited.filter(expert_id=expert_id).order_by("held_on", "pk")
        totals = rounds.aggregate(minutes=Sum("minutes"), first=Min("held_on"), last=Max("held_on"))
        try:
            with transaction.atomic():
                ledger_services.ledger_record(
                    person=rounds[0].expert,
                    role="technician",
                    campaign=help_request.campaign,
                    date_from=totals["first"],
                    date_to=totals["last"],
                    # No requester name or detail: ledger entries can end up on public pages.
                    summary=_("技术服务：%(category)s（%(industry)s）")
                    % {
                        "category": help_request.get_category_display(),
                        "industry": help_request.industry.name,
                    },
                    hours=(Decimal(totals["minutes"]) / 60).quantize(Decimal("0.1")),
                    people_served=1,
                    source=rounds.last(),
                    acting_user=acting_user,
                )
        except ValidationError as refused:
            audit_record(
                actor=acting_user,
                action="ledger_entry_skipped",
                target=help_request,
                changes={"expert": expert_id, "reason": refused.messages},
            )
            continue
        rounds.update(credited_at=timezone.now())


@transaction.atomic
def help_request_close(*, help_request: HelpRequest, acting_user: User) -> StateEvent:
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    _require_coordinator(acting_user, help_request)
    return _move(help_request, Status.CLOSED, acting_user)


@transaction.atomic
def help_request_reopen(*, help_request: HelpRequest, acting_user: User, reason: str) -> StateEvent:
    _require_coordinator(acting_user, help_request)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写重新打开的理由。")})
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    return _move(help_request, Status.IN_SERVICE, acting_user, note=reason)


@transaction.atomic
def help_request_reassign(
    *, help_request: HelpRequest, acting_user: User, experts: Iterable[Person], reason: str
) -> StateEvent:
    """Take the request from its expert, or from invited experts who do not answer, and invite
    others."""
    _require_coordinator(acting_user, help_request)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写改派的理由。")})
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if help_request.status not in (Status.INVITED, Status.ACCEPTED, Status.IN_SERVICE):
        raise ValidationError({"status": _("只有已邀请、已接单或服务中的需求可以改派。")})
    experts = [expert for expert in experts if expert.user_id]
    if not experts:
        raise ValidationError({"experts": _("请至少选择一位已开通账号的专家。")})
    help_request.invitations.filter(
        status__in=(Invitation.Status.INVITED, Invitation.Status.ACCEPTED)
    ).update(status=Invitation.Status.RELEASED, responded_at=timezone.now())
    help_request.expert = None
    help_request.save(update_fields=["expert"])
    for expert in experts:
        Invitation.objects.update_or_create(
            request=help_request,
            expert=expert,
            defaults={
                "status": Invitation.Status.INVITED,
                "decline_reason": "",
                "responded_at": None,
            },
        )
    event = _move(help_request, Status.INVITED, acting_user, note=reason)
    _tell_invited(help_request, experts)
    return event


# -- the requester's side, through the tracking token --------------------------------------


@transaction.atomic
def requester_add_information(*, help_request: HelpRequest, text: str) -> RequesterNote:
    if not text.strip():
        raise ValidationError({"text": _("请填写补充说明。")})
    if help_request.status in (Status.REJECTED, Status.CLOSED):
        raise ValidationError({"text": _("此需求已办结，如有新问题请重新提交。")})
    note = RequesterNote(request=help_request, text=text.strip())
    note.full_clean()
    note.save()
    recipients = (
        [help_request.expert.user]
        if help_request.expert and help_request.expert.user
        else coordinators_of(help_request)
    )
    inbox_send(
        recipients=recipients,
        subject=_("需求方补充了信息：%(org)s") % {"org": help_request.organization},
        body=note.text[:200],
        link=reverse("assistance:detail", args=[help_request.pk]),
    )
    return note


@transaction.atomic
def requester_rate(*, help_request: HelpRequest, rating: int, comment: str = "") -> HelpRequest:
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if help_request.status not in (Status.RESOLVED, Status.FOLLOWED_UP, Status.CLOSED):
        raise ValidationError({"rating": _("需求解决后才能评价。")})
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("评分为 1 到 5 分。")})
    help_request.requester_rating, help_request.requester_comment = (
        int(rating),
        comment.strip()[:500],
    )
    help_request.save(update_fields=["requester_rating", "requester_comment"])
    audit_record(actor=None, action="help_request_rate", target=help_request)
    return help_request


# -- reminders ----------------------------------------------------------------------------

REMINDERS = (
    # kind, state, stamp the wait is counted from, how long, message
    (
        "triage",
        Status.SUBMITTED,
        "submitted_at",
        timedelta(hours=24),
        gettext_lazy("需求提交已超过 24 小时尚未分类"),
    ),
    (
        "accept",
        Status.INVITED,
        "status_changed_at",
        timedelta(hours=48),
        gettext_lazy("邀请专家已超过 48 小时无人接单"),
    ),
    (
        "follow_up",
        Status.RESOLVED,
        "resolved_at",
        timedelta(days=7),
        gettext_lazy("需求解决已超过 7 天尚未回访"),
    ),
)


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the office of requests waiting too long at a step, once per request and step."""
    now = now or timezone.now()
    sent = 0
    for kind, state, stamp, wait, message in REMINDERS:
        for help_request in HelpRequest.objects.filter(
            status=state, **{f"{stamp}__lt": now - wait}
        ):
            try:
                with transaction.atomic():
                    RequestReminder.objects.create(
                        request=help_request, kind=kind, stage_since=getattr(help_request, stamp)
                    )
                    inbox_send(
                        recipients=coordinators_of(help_request),
                        subject=str(message),
                        body=f"{help_request.organization} · {help_request.get_category_display()}",
                        link=reverse("assistance:detail", args=[help_request.pk]),
                    )
            except IntegrityError:
                continue  # this wait was reminded already
            sent += 1
    return sent


@transaction.atomic
def match_index_store(
    *, index: MatchIndex, profiles_as_of: datetime.datetime
) -> MatchIndexSnapshot:
    """Store a freshly built matching index as the one every process loads, dropping older
    ones."""
    snapshot = MatchIndexSnapshot.objects.create(
        profiles_as_of=profiles_as_of,
        profiles=len(index),
        training_queries=index.training_queries,
        data=index.to_bytes(),
    )
    MatchIndexSnapshot.objects.exclude(pk=snapshot.pk).delete()
    return snapshot
