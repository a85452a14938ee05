"""Writes of counselling cases. Content never leaves the case: not in events, audit rows,
messages or ledger entries, which carry only counts, times and categories."""

import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.accounts.models import User
from qunce.consents import selectors as consent_selectors
from qunce.consents import services as consent_services
from qunce.consents.models import Purpose
from qunce.core.services import audit_record, inbox_send, transition
from qunce.ledger import services as ledger_services
from qunce.org.access import access_for
from qunce.org.models import Campaign, Role, RoleGrant

from .models import CaseAccess, CaseMessage, CaseTally, CounsellingCase, SessionNote, token_digest

Status = CounsellingCase.Status
# Words that signal danger: the request goes to the top at once and the person sees hotlines.
CRISIS_WORDS = re.compile(r"自杀|轻生|不想活|活不下去|结束生命|活着没意思|割腕|跳楼|寻死|想死")


def signals_crisis(text: str) -> bool:
    return bool(CRISIS_WORDS.search(text or ""))


def coordinators() -> list[User]:
    """The active counselling coordinators: whoever routes cases (and requests about them)."""
    grants = RoleGrant.objects.filter(role=Role.COUNSELLING_COORDINATOR).select_related("user")
    return [grant.user for grant in grants if grant.user.is_active]


def log_access(*, case: CounsellingCase, user: User | None, action: str) -> None:
    reader = user if user is not None and user.is_authenticated else None
    CaseAccess.objects.create(case=case, case_number=case.pk, user=reader, action=action)


def log_list_access(*, cases: Iterable[CounsellingCase], user: User, action: str) -> None:
    """A list of cases is a read of each of them."""
    CaseAccess.objects.bulk_create(
        CaseAccess(case=case, case_number=case.pk, user=user, action=action) for case in cases
    )


@transaction.atomic
def counselling_request(
    *,
    requester: User | AnonymousUser,
    anonymous: bool,
    category: str,
    channel: str,
    time_window: str,
    description: str,
    consent_version: int,
    contact_name: str = "",
    contact: str = "",
    urgency: str = CounsellingCase.Urgency.NORMAL,
) -> tuple[CounsellingCase, str]:
    """Anyone asks for help, named or not, having agreed to the counselling notice's current
    version (`consent_version`, the one they read). Returns (case, raw status token)."""
    notice = consent_services.notice_read(
        purpose=Purpose.COUNSELLING, version=consent_version, field="consent_version"
    )
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("请简单说说想聊的事。")})
    if channel != CounsellingCase.Channel.ANONYMOUS_MESSAGE and not contact.strip():
        raise ValidationError({"contact": _("请留下联系方式（电话或微信），或选择“匿名留言”。")})
    crisis = signals_crisis(description) or signals_crisis(time_window)
    raw_token = secrets.token_urlsafe(24)
    case = CounsellingCase(
        token_digest=token_digest(raw_token),
        campaign=Campaign.objects.filter(status=Campaign.Status.ACTIVE)
        .order_by("-starts_on")
        .first(),
        requester=None if anonymous or not requester.is_authenticated else requester,
        anonymous=anonymous,
        category=category,
        urgency=CounsellingCase.Urgency.URGENT if crisis else urgency,
        channel=channel,
        time_window=time_window.strip(),
        crisis=crisis,
        contact_name="" if anonymous else contact_name.strip(),
        contact=contact.strip(),
        description=description,
        consent_notice=notice,
    )
    case.full_clean(exclude=["token_digest"])
    case.save()
    if case.requester is not None:
        consent_services.consent_give(
            user=case.requester, purpose=Purpose.COUNSELLING, version=notice.version
        )
    # Routing facts only: free text (even the time window) may identify the person.
    recipients = coordinators()
    if not recipients and crisis:
        # Nobody coordinates yet: a crisis must still reach someone who can act.
        recipients = [
            grant.user
            for grant in RoleGrant.objects.filter(role=Role.ORG_ADMIN).select_related("user")
        ]
    inbox_send(
        recipients=recipients,
        subject=(_("【危机】有心理求助需要立即处理") if crisis else _("新的心理咨询申请")),
        body=f"{case.get_category_display()} · {case.get_channel_display()}",
        link=reverse("counselling:home"),
    )
    return case, raw_token


def _require_coordinator(user):
    if Role.COUNSELLING_COORDINATOR not in access_for(user).roles:
        raise PermissionDenied(_("只有心理咨询协调员可以分派个案。"))


@transaction.atomic
def case_assign(*, case: CounsellingCase, counsellor: User, acting_user: User) -> CounsellingCase:
    _require_coordinator(acting_user)
    if not RoleGrant.objects.filter(user=counsellor, role=Role.COUNSELLOR).exists():
        raise ValidationError({"counsellor": _("所选人员不是心理咨询师。")})
    case = CounsellingCase.objects.select_for_update().get(pk=case.pk)
    case.counsellor = counsellor
    case.save(update_fields=["counsellor"])
    transition(record=case, to_state=Status.ASSIGNED, actor=acting_user)
    inbox_send(
        recipients=[counsellor],
        subject=_("【危机】新的心理咨询个案") if case.crisis else _("新的心理咨询个案"),
        body=f"{case.get_category_display()} · {case.get_channel_display()}",
        link=reverse("counselling:case", args=[case.pk]),
    )
    return case


def _require_counsellor(case, user):
    if case.counsellor_id != user.pk:
        raise PermissionDenied(_("只有被分派的咨询师可以办理此个案。"))


@transaction.atomic
def case_session_log(
    *, case: CounsellingCase, acting_user: User, held_on: date, minutes: int, content: str
) -> SessionNote:
    case = CounsellingCase.objects.select_for_update().get(pk=case.pk)
    _require_counsellor(case, acting_user)
    if case.status not in (Status.ASSIGNED, Status.IN_SESSIONS):
        raise ValidationError({"status": _("此个案已结束。")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("日期不能晚于今天。")})
    note = SessionNote(case=case, held_on=held_on, minutes=minutes, content=content.strip())
    note.full_clean()
    note.save()
    if case.status == Status.ASSIGNED:
        transition(record=case, to_state=Status.IN_SESSIONS, actor=acting_user)
    return note


@transaction.atomic
def case_close(
    *, case: CounsellingCase, acting_user: User, referred: bool = False
) -> CounsellingCase:
    """Close the case (or record its referral to a hospital). The counsellor's ledger entry
    records the hours and the case, never its content."""
    case = CounsellingCase.objects.select_for_update().get(pk=case.pk)
    _require_counsellor(case, acting_user)
    transition(
        record=case, to_state=Status.REFERRED if referred else Status.CLOSED, actor=acting_user
    )
    totals = case.sessions.aggregate(
        minutes=Sum("minutes"), count=Count("pk"), first=Min("held_on"), last=Max("held_on")
    )
    person = getattr(acting_user, "person", None)
    if case.campaign is None or person is None or not totals["count"]:
        return case
    try:
        with transaction.atomic():
            ledger_services.ledger_record(
                person=person,
                role="counsellor",
                campaign=case.campaign,
                date_from=totals["first"],
                date_to=totals["last"],
                summary=_("心理疏导个案，%(count)s 次咨询") % {"count": totals["count"]},
                hours=(Decimal(totals["minutes"]) / 60).quantize(Decimal("0.1")),
                people_served=1,
                source=case,
                acting_user=acting_user,
            )
    except ValidationError as refused:
        # Outside the campaign's window: the case still closes; the audit trail says why no
        # ledger entry was written.
        audit_record(
            actor=acting_user,
            action="ledger_entry_skipped",
            target=case,
            changes={"reason": refused.messages},
        )
    return case


@transaction.atomic
def message_from_requester(*, case: CounsellingCase, text: str) -> CaseMessage:
    """The holder of the status link writes to their counsellor (the anonymous channel)."""
    if case.status in (Status.CLOSED, Status.REFERRED):
        raise ValidationError({"text": _("此个案已结束。如需帮助，请重新申请或拨打热线。")})
    if not text.strip():
        raise ValidationError({"text": _("请填写留言。")})
    # Only a withdrawal stops the conversation; a newer notice is asked with the next request.
    if case.requester_id is not None and consent_selectors.purpose_withdrawn(
        case.requester, Purpose.COUNSELLING
    ):
        raise ValidationError(
            {"text": _("您已撤回心理咨询授权，不再接收新的留言。如需帮助，请重新申请或拨打热线。")}
        )
    message = CaseMessage.objects.create(case=case, text=text.strip()[:3000])
    if signals_crisis(text) and not case.crisis:
        case.crisis, case.urgency = True, CounsellingCase.Urgency.URGENT
        case.save(update_fields=["crisis", "urgency"])
    recipients = [case.counsellor] if case.counsellor else coordinators()
    inbox_send(
        recipients=recipients,
        subject=_("个案有新留言"),
        link=reverse(
            "counselling:case" if case.counsellor else "counselling:home",
            args=[case.pk] if case.counsellor else None,
        ),
    )
    return message


@transaction.atomic
def message_from_counsellor(*, case: CounsellingCase, acting_user: User, text: str) -> CaseMessage:
    _require_counsellor(case, acting_user)
    if not text.strip():
        raise ValidationError({"text": _("请填写留言。")})
    return CaseMessage.objects.create(case=case, from_counsellor=True, text=text.strip()[:3000])


# Closed cases that belong to no campaign are kept this long after closing.
UNCAMPAIGNED_RETENTION = timedelta(days=180)


def purge_due(today: date | None = None) -> QuerySet[CounsellingCase]:
    """Cases whose campaign ended more than its retention period ago."""
    today = today or timezone.localdate()
    due = []
    for campaign in Campaign.objects.filter(ends_on__isnull=False):
        ends_on = campaign.ends_on  # never None here: the filter above
        if ends_on and ends_on + timedelta(days=campaign.retention_days) < today:
            due.append(campaign.pk)
    closed_before = timezone.make_aware(datetime.combine(today, time.min)) - UNCAMPAIGNED_RETENTION
    return CounsellingCase.objects.filter(campaign_id__in=due) | CounsellingCase.objects.filter(
        campaign__isnull=True,
        status__in=(Status.CLOSED, Status.REFERRED),
        status_changed_at__lt=closed_before,
    )


@transaction.atomic
def counselling_purge(*, today: date | None = None) -> int:
    """Replace expired cases by monthly counts per category; delete them and their notes."""
    purged = 0
    for case in purge_due(today).prefetch_related("sessions"):
        _case_replace_by_tally(case)
        purged += 1
    return purged


def _case_replace_by_tally(case):
    """Delete a case and its notes, counting it in its month's tally."""
    month = date(case.requested_at.year, case.requested_at.month, 1)
    tally, _created = CaseTally.objects.select_for_update().get_or_create(
        campaign_id=case.campaign_id, category=case.category, month=month
    )
    sessions = list(case.sessions.all())
    tally.cases += 1
    tally.sessions += len(sessions)
    tally.minutes += sum(note.minutes for note in sessions)
    tally.referred += case.status == Status.REFERRED
    tally.save()
    case.delete()


@transaction.atomic
def cases_erase_for_requester(*, user: User, acting_user: User) -> int:
    """A person's deletion request: their ended named cases go now (counted in the tallies,
    as the retention purge does); a case still open stays with its counsellor."""
    ended = CounsellingCase.objects.filter(
        requester=user, status__in=[Status.CLOSED, Status.REFERRED]
    ).prefetch_related("sessions")
    erased = 0
    for case in ended:
        _case_replace_by_tally(case)
        erased += 1
    audit_record(
        actor=acting_user, action="counselling.erase", target=user, changes={"deleted": erased}
    )
    return erased


def crisis_hotlines() -> list[tuple[str, str]]:
    return settings.CRISIS_HOTLINES
