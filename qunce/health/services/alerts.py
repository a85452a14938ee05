"""Alerts a check-in raises, and their follow-up."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.accounts.models import User
from qunce.codes.models import Region
from qunce.core.notify import notify_users
from qunce.core.services import transition
from qunce.org.access import access_for
from qunce.org.selectors import unit_admins_of

from ..models import (
    Checkin,
    CheckinPolicy,
    Contact,
    HealthAlert,
    HealthCode,
    Isolation,
    Symptom,
)


def city_of(region: Region | None) -> str | None:
    if region is None:
        return None
    return region.parent_id if region.level == Region.Level.COUNTY else region.pk


def alert_reasons(
    policy: CheckinPolicy, cleaned: Mapping[str, Any], previous: Checkin | None
) -> list[str]:
    reason = HealthAlert.Reason
    reasons = []
    temperature = cleaned["temperature"]
    if (
        temperature is not None and temperature >= policy.fever_threshold
    ) or Symptom.FEVER in cleaned["symptoms"]:
        reasons.append(reason.FEVER)
    if any(symptom != Symptom.NONE for symptom in cleaned["symptoms"]):
        reasons.append(reason.SYMPTOMS)
    if cleaned["visited_risk_area"]:
        reasons.append(reason.RISK_AREA)
    if cleaned["contact"] not in ("", Contact.NONE):
        reasons.append(reason.CONTACT)
    if cleaned["isolation"] not in ("", Isolation.NONE):
        reasons.append(reason.ISOLATION)
    if cleaned["health_code"] in (HealthCode.YELLOW, HealthCode.RED):
        reasons.append(reason.HEALTH_CODE)
    if (
        previous is not None
        and previous.region_id
        and cleaned["region"] is not None
        and city_of(previous.region) != city_of(cleaned["region"])
    ):
        reasons.append(reason.LOCATION)
    return [str(item) for item in reasons]


def alert_raise(*, checkin: Checkin, reasons: list[str]) -> HealthAlert | None:
    """An open alert that nobody has followed up yet takes the new reasons; a reason the unit has
    not yet seen on an alert it already followed up (or closed) opens a new alert, so that a
    fever reported after a sore throat was acknowledged is not missed."""
    alerts = list(checkin.alerts.all())
    seen = {reason for alert in alerts for reason in alert.reasons}
    fresh = [reason for reason in reasons if reason not in seen]
    if not fresh:
        return None
    waiting = next((a for a in alerts if a.status == HealthAlert.Status.OPEN), None)
    if waiting is not None:
        waiting.reasons = waiting.reasons + fresh
        waiting.save(update_fields=["reasons"])
        return waiting
    alert = HealthAlert.objects.create(
        campaign_id=checkin.campaign_id,
        person=checkin.person,
        unit_id=checkin.unit_id,
        checkin=checkin,
        day=checkin.day,
        reasons=reasons,
    )
    # The message names neither the person nor the reasons: inbox rows outlive the purge of the
    # health records, so they carry only the link.
    notify_users(
        dedupe_key=f"health-alert:{alert.pk}",
        recipients=unit_admins_of(checkin.person.unit),
        subject=_("新的健康预警（%(unit)s）") % {"unit": checkin.person.unit.name},
        body=_("%(day)s 有人健康打卡出现异常，请打开链接查看并记录跟进情况。")
        % {"day": checkin.day},
        link=f"/health/alerts/{alert.pk}/",
        email=False,
    )
    return alert


ALERT_STEPS = {
    HealthAlert.Status.ACKNOWLEDGED: ("acknowledged_at", "acknowledged_by"),
    HealthAlert.Status.CLOSED: ("closed_at", "closed_by"),
}


@transaction.atomic
def alert_advance(
    *, alert: HealthAlert, to_state: str, acting_user: User, note: str = ""
) -> HealthAlert:
    """Acknowledge (with the follow-up so far) or close an alert; each step timed and signed."""
    alert = HealthAlert.objects.select_for_update().get(pk=alert.pk)
    if access_for(acting_user).person_id == alert.person_id:
        raise ValidationError(_("不能跟进本人的健康预警。"))
    note = note.strip()
    if to_state == HealthAlert.Status.ACKNOWLEDGED and not note:
        raise ValidationError({"note": _("请写下跟进情况，如已电话联系本人、建议就医。")})
    transition(record=alert, to_state=to_state, actor=acting_user, note=note)
    at_field, by_field = ALERT_STEPS[HealthAlert.Status(to_state)]
    setattr(alert, at_field, timezone.now())
    setattr(alert, by_field, acting_user)
    if note:
        alert.follow_up = f"{alert.follow_up}\n{note}".strip()[:1000]
    alert.save(update_fields=[at_field, by_field, "follow_up"])
    return alert
