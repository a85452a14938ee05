"""A campaign's check-in policy: its questions, window, reminders and thresholds."""

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qunce.accounts.models import User
from qunce.core.services import audit_record

from ..models import CheckinPolicy, Field

REMINDER_TIME = re.compile(r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})$")


def checkin_policy_save(
    *, policy: CheckinPolicy, acting_user: User, values: Mapping[str, Any]
) -> CheckinPolicy:
    """A campaign admin's settings: which questions, the window, reminders, the threshold."""
    errors = {}
    unknown = [name for name in values.get("fields", []) if name not in Field.values]
    if unknown:
        errors["fields"] = _("没有这一项目：%(name)s。") % {"name": unknown[0]}
    opens_at, deadline = values.get("opens_at"), values.get("deadline")
    if opens_at and deadline and opens_at >= deadline:
        errors["deadline"] = _("截止时间应晚于开放时间。")
    times = []
    for time_text in values.get("reminder_times", []):
        match = REMINDER_TIME.match(str(time_text).strip())
        if match is None or int(match["hour"]) > 23 or int(match["minute"]) > 59:
            errors["reminder_times"] = _("提醒时间格式应为 HH:MM，如 09:00。")
            break
        moment = datetime.time(int(match["hour"]), int(match["minute"]))
        if opens_at and deadline and not opens_at <= moment < deadline:
            errors["reminder_times"] = _("提醒时间应在开放时间与截止时间之间。")
            break
        times.append(f"{moment:%H:%M}")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = {name: str(getattr(policy, name)) for name in values}
        for name, value in values.items():
            setattr(policy, name, value)
        policy.reminder_times = sorted(set(times))  # "HH:MM", so they compare as strings
        policy.full_clean()
        policy.save()
        audit_record(
            actor=acting_user,
            action="health.policy_save",
            target=policy,
            changes={"before": before, "after": {n: str(getattr(policy, n)) for n in values}},
        )
    return policy
