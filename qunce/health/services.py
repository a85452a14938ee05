"""Writes of the daily check-in: submissions, alerts, reminders, purges."""

import collections
import contextlib
import datetime
import functools
import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.codes.models import Region
from qunce.consents.models import Purpose
from qunce.consents.selectors import purposes_in_force
from qunce.consents.services import consent_required
from qunce.core.models import GroupRobot, InboxMessage, StateEvent
from qunce.core.notify import notify_robot, notify_users
from qunce.core.prepared import prepared_cursor
from qunce.core.services import audit_record, transition
from qunce.org.access import access_for
from qunce.org.models import Campaign, Role, RoleGrant
from qunce.org.selectors import unit_admins_of

from . import partitions, selectors
from .models import (
    HIGHEST_TEMPERATURE,
    LOWEST_TEMPERATURE,
    Checkin,
    CheckinAccess,
    CheckinReceipt,
    CheckinRevision,
    Contact,
    Field,
    HealthAlert,
    HealthCode,
    Isolation,
    Symptom,
    Vaccination,
)

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
REMINDER_TIME = re.compile(r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})$")

# What a submission carries; the person, the campaign and the day come from the server.
ANSWER_FIELDS = {
    Field.LOCATION: ("region", "on_campus"),
    Field.TEMPERATURE: ("temperature",),
    Field.SYMPTOMS: ("symptoms",),
    Field.RISK_AREA: ("visited_risk_area",),
    Field.CONTACT: ("contact", "contact_on"),
    Field.ISOLATION: ("isolation", "isolation_since"),
    Field.HEALTH_CODE: ("health_code",),
    Field.VACCINATION: ("vaccination",),
    Field.NOTE: ("note",),
}
# The questions that tell where a person is or has been: asked only with the person's consent
# to whereabouts, apart from the health check-in's own.
WHEREABOUTS_FIELDS = frozenset({Field.LOCATION, Field.RISK_AREA})
EMPTY_ANSWERS = {
    "region": None,
    "on_campus": None,
    "temperature": None,
    "symptoms": [],
    "visited_risk_area": None,
    "contact": "",
    "contact_on": None,
    "isolation": "",
    "isolation_since": None,
    "health_code": "",
    "vaccination": "",
    "note": "",
}


@dataclass(frozen=True)
class Submission:
    checkin: Checkin
    status_code: int  # 201 for the day's first record, 200 for a replacement or a replay
    document: dict


def checkin_window(policy):
    return _("每日填报时间为 %(opens)s–%(deadline)s（北京时间）") % {
        "opens": f"{policy.opens_at:%H:%M}",
        "deadline": f"{policy.deadline:%H:%M}",
    }


def checkin_window_message(policy):
    return _("%(window)s，现在不在填报时间内。") % {"window": checkin_window(policy)}


def checkin_submit(*, person, policy, answers, idempotency_key="", now=None):
    """Record today's answers of `person` (always the signed-in person, never one named in the
    payload). Validates everything before writing anything."""
    now = now or timezone.now()
    if idempotency_key and not IDEMPOTENCY_KEY.match(idempotency_key):
        raise ValidationError({"idempotency_key": _("幂等键应为 8–64 位字母、数字或 _.:-。")})
    local = timezone.localtime(now)
    today = local.date()
    if not (policy.opens_at <= local.time() <= policy.deadline):
        # A retry of a submission that made it before the deadline still gets its answer.
        replay = idempotency_key and _receipt_replay(person, idempotency_key, today)
        if replay:
            return replay
        raise ValidationError({NON_FIELD_ERRORS: checkin_window_message(policy)})
    if connection.vendor == "postgresql" and person.user_id:
        first = _first_checkin_if_consented(person, policy, answers, today, idempotency_key)
        if first is not None:
            return first
    withheld = checkin_fields_withheld(person)
    cleaned = checkin_answers_clean(policy=policy, answers=answers, today=today, withheld=withheld)
    fingerprint = _fingerprint(policy, cleaned)
    # A retry is not looked up first: its receipt insert collides with the first one's, the
    # transaction rolls back, and the first answer is read. The common case costs no lookup.
    for _attempt in range(2):
        try:
            return _checkin_write(person, policy, cleaned, today, idempotency_key, fingerprint)
        except IntegrityError:
            # The same key was answered, or a concurrent submission of the same person wrote
            # the day's first record between our read and our insert: replay it or replace it.
            replay = idempotency_key and _receipt_replay(
                person, idempotency_key, today, fingerprint
            )
            if replay:
                return replay
    return _checkin_write(person, policy, cleaned, today, idempotency_key, fingerprint)


def _fingerprint(policy, cleaned):
    return hashlib.sha256(
        json.dumps([policy.campaign_id, _jsonable_answers(cleaned)], sort_keys=True).encode()
    ).hexdigest()


def _first_checkin_if_consented(person, policy, answers, today, idempotency_key):
    """The morning's common case in one statement: the answers read as from someone who agreed
    to every purpose the campaign's questions need, and the statement itself checks that they
    did (FIRST_CHECKIN_INSERT). Anything else (bad answers, a consent missing, an alert) is
    None, for the general path to decide and explain."""
    try:
        cleaned = checkin_answers_clean(policy=policy, answers=answers, today=today)
    except ValidationError:
        return None
    if _alert_reasons(policy, cleaned, previous=None):
        return None
    purposes = [Purpose.HEALTH.value]
    if any(policy.asks(field) for field in WHEREABOUTS_FIELDS):
        purposes.append(Purpose.WHEREABOUTS.value)
    return _first_checkin_insert(
        person, policy, cleaned, today, idempotency_key, _fingerprint(policy, cleaned), purposes
    )


def checkin_fields_withheld(person):
    """The questions `person` has not allowed (whereabouts without its consent); refuses the
    whole check-in without consent to its health questions. One statement."""
    user = person.user if person.user_id else None
    allowed = purposes_in_force(user, (Purpose.HEALTH, Purpose.WHEREABOUTS)) if user else set()
    if Purpose.HEALTH not in allowed:
        if user is None:
            raise ValidationError({"consent": _("没有账号的人员不能在线打卡。")})
        consent_required(user=user, purpose=Purpose.HEALTH)
    return frozenset() if Purpose.WHEREABOUTS in allowed else WHEREABOUTS_FIELDS


def _receipt_replay(person, key, today, fingerprint=None):
    """The first answer to `key`, if it was today's; a key used for another day or for other
    answers is refused rather than silently answered with the old record."""
    receipt = (
        CheckinReceipt.objects.filter(person=person, key=key).select_related("checkin").first()
    )
    if receipt is None:
        return None
    if receipt.checkin.day != today or (fingerprint and receipt.fingerprint != fingerprint):
        raise ValidationError(
            {"idempotency_key": _("这个幂等键已用于另一次提交，新的提交请使用新的幂等键。")}
        )
    return Submission(receipt.checkin, receipt.status_code, receipt.response)


# The morning's common case in one statement (PostgreSQL): the day's first record of someone
# healthy who has not changed city and has agreed to the current notices, and its receipt.
# Anything else — a record already there today (a replacement or a retry: ON CONFLICT writes
# nothing), a change of city (an alert to raise), a consent missing, a key used before (the receipt's unique key refuses the whole statement) — writes
# nothing here and takes the general path below, in its transaction.
FIRST_CHECKIN_INSERT = """
WITH latest AS (
    SELECT region_id FROM health_checkin
    WHERE campaign_id = %(campaign)s AND person_id = %(person)s AND day < %(day)s
    ORDER BY day DESC LIMIT 1
), moved AS (
    SELECT COALESCE(bool_or(
        CASE WHEN region.level = 'county' THEN region.parent_id ELSE region.code END
        IS DISTINCT FROM %(city)s::varchar
    ), false) AND %(city)s::varchar IS NOT NULL AS moved
    FROM latest JOIN codes_region region ON region.code = latest.region_id
), consented AS (
    -- The person agreed to the current notice of every purpose the answers need.
    SELECT count(*) = cardinality(%(purposes)s::varchar[]) AS given
    FROM consents_consent c
    WHERE c.user_id = %(user)s AND c.status = 'given' AND c.purpose = ANY(%(purposes)s::varchar[])
        AND c.notice_id = (
            SELECT n.id FROM consents_consentnotice n
            WHERE n.purpose = c.purpose ORDER BY n.version DESC LIMIT 1)
), written AS (
    INSERT INTO health_checkin (
        campaign_id, person_id, unit_id, day, region_id, on_campus, temperature, symptoms,
        visited_risk_area, contact, contact_on, isolation, isolation_since, health_code,
        vaccination, note, pledged, fever, location_changed, alert_reasons, version,
        submitted_at, updated_at)
    SELECT %(campaign)s, %(person)s, %(unit)s, %(day)s::date, %(region)s::varchar,
        %(on_campus)s::boolean, %(temperature)s::numeric, %(symptoms)s::jsonb,
        %(visited_risk_area)s::boolean, %(contact)s::varchar, %(contact_on)s::date,
        %(isolation)s::varchar, %(isolation_since)s::date, %(health_code)s::varchar,
        %(vaccination)s::varchar, %(note)s::varchar, true, false, false, '[]'::jsonb, 1,
        %(now)s::timestamptz, %(now)s::timestamptz
    WHERE NOT (SELECT moved FROM moved) AND (SELECT given FROM consented)
    ON CONFLICT ON CONSTRAINT one_checkin_a_person_a_day DO NOTHING
    RETURNING id
), receipt AS (
    INSERT INTO health_checkinreceipt (
        person_id, key, fingerprint, checkin_id, status_code, response, created_at)
    SELECT %(person)s, %(key)s::varchar, %(fingerprint)s::varchar, written.id, 201,
        jsonb_set(%(document)s::jsonb, '{id}', to_jsonb(written.id)), %(now)s::timestamptz
    FROM written WHERE %(key)s::varchar <> ''
)
SELECT id FROM written
"""


def _first_checkin_insert(person, policy, cleaned, today, idempotency_key, fingerprint, purposes):
    """The day's first record and its receipt in one statement, or None when the general path
    must decide (see FIRST_CHECKIN_INSERT)."""
    now = timezone.now()
    checkin = Checkin(
        campaign_id=policy.campaign_id,
        person=person,
        unit_id=person.unit_id,
        day=today,
        pledged=True,
        alert_reasons=[],
        submitted_at=now,
        updated_at=now,
        **cleaned,
    )
    document = checkin_document(checkin)
    parameters = {
        **cleaned,
        "region": checkin.region_id,
        "symptoms": json.dumps(cleaned["symptoms"]),
        "campaign": policy.campaign_id,
        "person": person.pk,
        "unit": person.unit_id,
        "day": today,
        "city": _city_of(cleaned["region"]),
        "now": now,
        "key": idempotency_key,
        "fingerprint": fingerprint,
        "document": json.dumps(document),
        "user": person.user_id,
        "purposes": purposes,
    }
    # Outside a transaction the statement commits by itself (2xx only after that); inside a
    # caller's, a savepoint keeps a refused statement from aborting it.
    alone = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    try:
        with alone, prepared_cursor() as cursor:
            cursor.execute(FIRST_CHECKIN_INSERT, parameters)
            row = cursor.fetchone()
    except IntegrityError:
        return None
    if row is None:
        return None
    checkin.pk = checkin.id = row[0]
    checkin._state.adding = False
    return Submission(checkin, 201, document | {"id": row[0]})


@transaction.atomic
def _checkin_write(person, policy, cleaned, today, idempotency_key, fingerprint):
    latest = list(
        Checkin.objects.select_for_update(of=("self",))
        .select_related("region")
        .filter(campaign_id=policy.campaign_id, person=person, day__lte=today)
        .order_by("-day")[:2]
    )
    current = latest[0] if latest and latest[0].day == today else None
    previous = next((checkin for checkin in latest if checkin.day < today), None)
    reasons = _alert_reasons(policy, cleaned, previous)
    flags = {
        "fever": HealthAlert.Reason.FEVER in reasons,
        "location_changed": HealthAlert.Reason.LOCATION in reasons,
        "alert_reasons": reasons,
    }
    if current is None:
        checkin = Checkin.objects.create(
            campaign_id=policy.campaign_id,
            person=person,
            unit_id=person.unit_id,
            day=today,
            pledged=True,
            **cleaned,
            **flags,
        )
        status_code = 201
    else:
        checkin = current
        if checkin_answers(checkin) != _jsonable_answers(cleaned):
            CheckinRevision.objects.create(
                checkin=checkin,
                version=checkin.version,
                answers=checkin_answers(checkin),
                submitted_at=checkin.updated_at,
            )
            for name, value in {**cleaned, **flags}.items():
                setattr(checkin, name, value)
            checkin.version += 1
            checkin.save()
        status_code = 200
    if reasons:
        _alert_raise(checkin, reasons)
    document = checkin_document(checkin)
    if idempotency_key:
        CheckinReceipt.objects.create(
            person=person,
            key=idempotency_key,
            fingerprint=fingerprint,
            checkin=checkin,
            status_code=status_code,
            response=document,
        )
    return Submission(checkin, status_code, document)


def checkin_answers_clean(*, policy, answers, today, withheld=frozenset()):
    """The answers a campaign asks for, typed and checked; the rest emptied. Questions the
    person has not allowed (`withheld`) must come unanswered. Raises one ValidationError naming
    every bad field."""
    errors = {}
    cleaned = dict(EMPTY_ANSWERS)

    def field_error(name, message):
        errors.setdefault(name, []).append(message)

    if not answers.get("pledged"):
        field_error("pledged", _("请确认本人承诺：以上信息真实准确。"))
    for field in withheld:
        for name in ANSWER_FIELDS[field]:
            if policy.asks(field) and answers.get(name) not in (None, ""):
                field_error(
                    name,
                    _(
                        "您未同意收集行程与所在地信息，请不要填写此项；如需填写，请先在“我的授权”中同意。"
                    ),
                )

    def asks(field):
        return policy.asks(field) and field not in withheld

    if asks(Field.LOCATION):
        cleaned["region"] = _region(answers.get("region"), field_error)
        cleaned["on_campus"] = _yes_no(answers.get("on_campus"), "on_campus", field_error)
    if asks(Field.TEMPERATURE):
        cleaned["temperature"] = _temperature(answers.get("temperature"), field_error)
    if asks(Field.SYMPTOMS):
        cleaned["symptoms"] = _symptoms(answers.get("symptoms"), field_error)
    if asks(Field.RISK_AREA):
        cleaned["visited_risk_area"] = _yes_no(
            answers.get("visited_risk_area"), "visited_risk_area", field_error
        )
    if asks(Field.CONTACT):
        cleaned["contact"] = _choice(answers.get("contact"), Contact, "contact", field_error)
        if cleaned["contact"] and cleaned["contact"] != Contact.NONE:
            cleaned["contact_on"] = _past_date(
                answers.get("contact_on"), "contact_on", today, field_error
            )
    if asks(Field.ISOLATION):
        cleaned["isolation"] = _choice(
            answers.get("isolation"), Isolation, "isolation", field_error
        )
        if cleaned["isolation"] and cleaned["isolation"] != Isolation.NONE:
            cleaned["isolation_since"] = _past_date(
                answers.get("isolation_since"), "isolation_since", today, field_error
            )
    if asks(Field.HEALTH_CODE):
        cleaned["health_code"] = _choice(
            answers.get("health_code"), HealthCode, "health_code", field_error
        )
    if asks(Field.VACCINATION):
        cleaned["vaccination"] = _choice(
            answers.get("vaccination"), Vaccination, "vaccination", field_error
        )
    if asks(Field.NOTE):
        note = (answers.get("note") or "").strip()
        if len(note) > 500:
            field_error("note", _("备注最多 500 字。"))
        cleaned["note"] = note
    if errors:
        raise ValidationError(errors)
    return cleaned


def _region(value, field_error):
    if isinstance(value, Region):
        return value
    code = str(value or "").strip()
    if not code:
        field_error("region", _("请选择当前所在地。"))
        return None
    region = _region_by_code(code) if code.isdigit() and len(code) == 6 else None
    if region is None:
        field_error(
            "region", _("行政区划代码 %(code)s 不存在（GB/T 2260）。") % {"code": code[:12]}
        )
    return region


_regions_seen = {}


def _region_by_code(code):
    """GB/T 2260 entries are national constants shipped with the code: each is read once per
    process (only found ones are kept, so a reload of the lists is seen)."""
    region = _regions_seen.get(code)
    if region is None:
        region = Region.objects.filter(pk=code).first()
        if region is not None:
            _regions_seen[code] = region
    return region


def _yes_no(value, name, field_error):
    if value is None or value == "":
        field_error(name, _("请选择“是”或“否”。"))
        return None
    if isinstance(value, bool):
        return value
    field_error(name, _("应为“是”或“否”。"))
    return None


def _temperature(value, field_error):
    if value is None or value == "":
        field_error("temperature", _("请填写体温。"))
        return None
    try:
        temperature = Decimal(str(value).strip())
    except InvalidOperation:
        temperature = None
    if temperature is None or not temperature.is_finite():
        field_error("temperature", _("体温应为数字，如 36.5。"))
        return None
    if not LOWEST_TEMPERATURE <= temperature <= HIGHEST_TEMPERATURE:
        field_error(
            "temperature",
            _("体温应在 %(low)s–%(high)s °C 之间，请重新测量。")
            % {"low": LOWEST_TEMPERATURE, "high": HIGHEST_TEMPERATURE},
        )
        return None
    return temperature.quantize(Decimal("0.1"))


def _symptoms(value, field_error):
    if not isinstance(value, list | tuple) or not value:
        field_error("symptoms", _("请选择症状；没有症状请选“无”。"))
        return []
    unknown = [item for item in value if item not in Symptom.values]
    if unknown:
        field_error("symptoms", _("没有这一症状选项：%(item)s。") % {"item": str(unknown[0])[:20]})
        return []
    chosen = [symptom for symptom in Symptom.values if symptom in value]
    if Symptom.NONE in chosen and len(chosen) > 1:
        field_error("symptoms", _("选了“无”就不能再选其他症状。"))
        return []
    return chosen


def _choice(value, choices, name, field_error):
    if value in choices.values:
        return value
    field_error(name, _("请选择一项。") if not value else _("没有这一选项。"))
    return ""


def _past_date(value, name, today, field_error):
    if isinstance(value, str) and value:
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            field_error(name, _("日期格式应为 YYYY-MM-DD。"))
            return None
    if not isinstance(value, datetime.date):
        field_error(name, _("请填写日期。"))
        return None
    if value > today:
        field_error(name, _("日期不能晚于今天。"))
        return None
    return value


def _city_of(region):
    if region is None:
        return None
    return region.parent_id if region.level == Region.Level.COUNTY else region.pk


def _alert_reasons(policy, cleaned, previous):
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
        and _city_of(previous.region) != _city_of(cleaned["region"])
    ):
        reasons.append(reason.LOCATION)
    return [str(item) for item in reasons]


def _alert_raise(checkin, reasons):
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


def _jsonable_answers(cleaned):
    values = dict(cleaned)
    values["region"] = cleaned["region"].pk if cleaned["region"] is not None else None
    for name in ("contact_on", "isolation_since"):
        values[name] = cleaned[name].isoformat() if cleaned[name] else None
    values["temperature"] = str(cleaned["temperature"]) if cleaned["temperature"] else None
    return values


def checkin_answers(checkin):
    """The answers of a record, as stored in revisions and compared on resubmission."""
    return _jsonable_answers({name: getattr(checkin, name) for name in EMPTY_ANSWERS})


def checkin_document(checkin):
    """A record as the API gives it and as a receipt keeps it."""
    return {
        "id": checkin.pk,
        "campaign_id": checkin.campaign_id,
        "day": checkin.day.isoformat(),
        "version": checkin.version,
        **checkin_answers(checkin),
        "pledged": checkin.pledged,
        "alert_reasons": checkin.alert_reasons,
        "submitted_at": checkin.submitted_at.isoformat(),
        "updated_at": checkin.updated_at.isoformat(),
    }


ALERT_STEPS = {
    HealthAlert.Status.ACKNOWLEDGED: ("acknowledged_at", "acknowledged_by"),
    HealthAlert.Status.CLOSED: ("closed_at", "closed_by"),
}


@transaction.atomic
def alert_advance(*, alert, to_state, acting_user, note=""):
    """Acknowledge (with the follow-up so far) or close an alert; each step timed and signed."""
    alert = HealthAlert.objects.select_for_update().get(pk=alert.pk)
    if access_for(acting_user).person_id == alert.person_id:
        raise ValidationError(_("不能跟进本人的健康预警。"))
    note = note.strip()
    if to_state == HealthAlert.Status.ACKNOWLEDGED and not note:
        raise ValidationError({"note": _("请写下跟进情况，如已电话联系本人、建议就医。")})
    transition(record=alert, to_state=to_state, actor=acting_user, note=note)
    at_field, by_field = ALERT_STEPS[to_state]
    setattr(alert, at_field, timezone.now())
    setattr(alert, by_field, acting_user)
    if note:
        alert.follow_up = f"{alert.follow_up}\n{note}".strip()[:1000]
    alert.save(update_fields=[at_field, by_field, "follow_up"])
    return alert


# The people read, as one parameter: a list PostgreSQL unnests, a JSON array SQLite walks.
PEOPLE_READ = {
    "postgresql": "SELECT %s, %s, %s, %s, person, person FROM unnest(%s::bigint[]) AS person",
    "sqlite": "SELECT %s, %s, %s, %s, value, value FROM json_each(%s)",
}


def checkin_reads_log(*, viewer, people, what, detail=""):
    """Log a read of other people's check-ins: one row per person whose record was shown.

    A dashboard logs up to 250 people on every view, so the rows go in as one statement over one
    list of ids (3 ms for 200 people): model instances through bulk_create cost 19 ms, and one
    bound parameter per value 15 ms, spent in the driver parsing 1,200 parameter markers."""
    own = getattr(getattr(viewer, "person", None), "pk", None)
    shown = sorted({getattr(p, "pk", p) for p in people} - {own})
    if not shown:
        return
    # The log is written where writes go (the primary), whichever database the page reads.
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(CheckinAccess._meta.db_table)
    people_read = shown if connection.vendor == "postgresql" else json.dumps(shown)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (viewer_id, what, detail, at, person_id, person_number) "
            + PEOPLE_READ[connection.vendor],
            [getattr(viewer, "pk", None), what, detail[:200], at, people_read],
        )


def checkin_policy_save(*, policy, acting_user, values):
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


def _due_reminder(policy, local_now):
    """The latest reminder time that has passed today, before the deadline; a job that was down
    for a while sends only the latest, not a burst."""
    if not policy.opens_at <= local_now.time() < policy.deadline:
        return None
    passed = [t for t in policy.reminder_times if t <= f"{local_now:%H:%M}"]
    return max(passed) if passed else None


def checkin_reminders_send(*, now=None):
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


def _checkin_dependents_delete(checkins):
    """Delete the versions, receipts and alerts of `checkins`; who followed each alert up, and
    when, outlives the alert, but what they wrote about someone's health does not."""
    alert_ids = [
        str(pk)
        for pk in HealthAlert.objects.filter(checkin__in=checkins).values_list("pk", flat=True)
    ]
    StateEvent.objects.filter(target_type="health.healthalert", target_id__in=alert_ids).update(
        note=""
    )
    InboxMessage.objects.filter(link__in=[f"/health/alerts/{pk}/" for pk in alert_ids]).delete()
    HealthAlert.objects.filter(checkin__in=checkins).delete()
    CheckinReceipt.objects.filter(checkin__in=checkins).delete()
    CheckinRevision.objects.filter(checkin__in=checkins).delete()


def _checkins_delete(checkins):
    """Delete `checkins` with what depends on them. Returns the number of check-ins deleted."""
    _checkin_dependents_delete(checkins)
    deleted = checkins.count()
    checkins.delete()
    return deleted


def _expired_months_drop(cutoffs):
    """Drop each month partition whose every record is past its campaign's retention (PostgreSQL);
    returns {campaign id: records dropped}. What is left is deleted row by row."""
    dropped = collections.Counter()
    for month in partitions.months():
        expired_campaigns = [pk for pk, cutoff in cutoffs.items() if cutoff >= month.next_first]
        if not expired_campaigns:
            continue
        with transaction.atomic():
            if not partitions.month_lock_if_only(month, expired_campaigns):
                continue
            in_month = Checkin.objects.filter(day__gte=month.first, day__lt=month.next_first)
            dropped.update(
                dict(in_month.values_list("campaign").annotate(count=Count("pk")).order_by())
            )
            _checkin_dependents_delete(in_month)
            partitions.month_drop(month)
    return dropped


@transaction.atomic
def checkins_erase_for_person(*, person, acting_user):
    """A person's deletion request: their check-ins of campaigns no longer running go; those of
    a running campaign stay (the epidemic-control record) until its retention ends."""
    ended = Checkin.objects.filter(person=person).exclude(campaign__status=Campaign.Status.ACTIVE)
    deleted = _checkins_delete(ended)
    audit_record(
        actor=acting_user, action="health.erase", target=person, changes={"deleted": deleted}
    )
    return deleted


def checkin_partitions_prepare(*, today=None):
    """The coming months' check-in partitions (PostgreSQL), made before their first check-in.
    Returns the months made, as YYYY-MM."""
    created = partitions.months_ensure(today or timezone.localdate())
    return [month.first.strftime("%Y-%m") for month in created]


def checkin_statistics_refresh(*, today=None):
    """The planner's statistics of this month's check-ins, brought up to today's (PostgreSQL);
    the partition analyzed, or None."""
    return partitions.month_analyze(today or timezone.localdate())


def checkins_purge(*, today=None):
    """Delete check-ins (with their versions, receipts and alerts) older than their campaign's
    retention period; the access log and the alerts' state events stay (their notes emptied).
    A month past every retention goes whole. Returns {campaign name: records deleted}."""
    today = today or timezone.localdate()
    campaigns = list(Campaign.objects.all())
    cutoffs = {c.pk: today - datetime.timedelta(days=c.retention_days) for c in campaigns}
    dropped = _expired_months_drop(cutoffs)
    counts = {}
    for campaign in campaigns:
        cutoff = cutoffs[campaign.pk]
        expired = Checkin.objects.filter(campaign=campaign, day__lt=cutoff)
        with transaction.atomic():
            deleted = dropped[campaign.pk] + _checkins_delete(expired)
            if deleted:
                # After the commit: a dashboard counting in between would keep the purged rows.
                transaction.on_commit(
                    functools.partial(selectors.forget_reports_before, campaign.pk, cutoff)
                )
                counts[campaign.name] = deleted
                audit_record(
                    actor=None,
                    action="health.purge",
                    target=campaign,
                    changes={"deleted": deleted, "before": cutoff.isoformat()},
                )
    return counts
