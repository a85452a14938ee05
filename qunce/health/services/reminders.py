"""Reminders to those who have not reported, and the laggard lists sent to their unit admins."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.core.models import GroupRobot
from qunce.core.notify import notify_robot, notify_users
from qunce.org.models import Role, RoleGrant

from .. import selectors


def _due_reminder(policy, local_now):
    """The latest reminder time that has passed today, before the deadline; a job that was down
    for a while sends only the latest, not a burst."""
    if not policy.opens_at <= local_now.time() < policy.deadline:
        return None
    passed = [t for t in policy.reminder_times if t <= f"{local_now:%H:%M}"]
    return max(passed) if passed else None


def checkin_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind today's non-reporters at the configured times, and after the deadline give each
    unit admin their list of non-reporters with phone numbers. Safe to run every few minutes:
    each message is sent once. Returns how many messages went out."""
    local_now = timezone.localtime(now or timezone.now())
    today = local_now.date()
    sent = 0
    for policy in selectors.open_policies():
        slot = _due_reminder(policy, local_now)
        if slot:
            sent += _remind_missing(policy, today, slot)
        if local_now.time() >= policy.deadline:
            sent += _laggard_lists_send(policy, today)
    return sent


def _remind_missing(policy, today, slot):
    missing = selectors.non_reporters(campaign=policy.campaign, day=today).select_related(
        "user", "unit"
    )
    key = f"checkin-reminder:{policy.campaign_id}:{today}:{slot}"
    sent = notify_users(
        dedupe_key=key,
        recipients=[person.user for person in missing],
        subject=_("请完成今日健康打卡"),
        body=_("%(campaign)s：今天的健康打卡还没有填报，请在 %(deadline)s 前完成。")
        % {"campaign": policy.campaign.name, "deadline": f"{policy.deadline:%H:%M}"},
        link="/health/",
    )
    for robot in GroupRobot.objects.filter(active=True).select_related("unit"):
        in_group = [p for p in missing if p.unit.path.startswith(robot.unit.path)]
        if not in_group:
            continue
        names = "、".join(person.name for person in in_group[:50])
        more = _("等 %(count)s 人") % {"count": len(in_group)} if len(in_group) > 50 else ""
        delivery = notify_robot(
            dedupe_key=key,
            robot=robot,
            text=_(
                "【健康打卡提醒】%(unit)s 尚未填报今日健康打卡：%(names)s%(more)s。截止 %(deadline)s。"
            )
            % {
                "unit": robot.unit.name,
                "names": names,
                "more": more,
                "deadline": f"{policy.deadline:%H:%M}",
            },
            mention_mobiles=[person.mobile for person in in_group if person.mobile],
        )
        sent += delivery is not None
    return sent


def _laggard_lists_send(policy, today):
    sent = 0
    grants = RoleGrant.objects.filter(role=Role.UNIT_ADMIN, user__is_active=True).select_related(
        "unit", "user"
    )
    for grant in grants:
        assert grant.unit is not None  # the database's rolegrant_unit_admin_has_unit
        in_scope = selectors.non_reporters(campaign=policy.campaign, day=today).filter(
            unit__path__startswith=grant.unit.path
        )
        missing = list(in_scope.select_related("unit")[:500])
        if not missing:
            continue
        total = in_scope.count() if len(missing) == 500 else len(missing)
        lines = [
            f"{p.name}（{p.staff_no}，{p.unit.name}）{p.mobile or _('无手机号')}" for p in missing
        ]
        sent += notify_users(
            dedupe_key=f"checkin-laggards:{policy.campaign_id}:{today}:{grant.unit_id}",
            recipients=[grant.user],
            subject=_("%(unit)s 今日有 %(count)s 人未完成健康打卡")
            % {"unit": grant.unit.name, "count": total},
            body="\n".join(lines),
            link=f"/health/dashboard/?unit={grant.unit_id}",
            email=False,  # phone numbers stay inside the platform
        )
    return sent
