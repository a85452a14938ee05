"""A person's check-in of the day: the submission, its receipt and its replay, the single statement
of the first check-in and the general path for the rest."""

import contextlib
import datetime
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.consents.models import Purpose
from qunce.consents.selectors import purposes_in_force
from qunce.consents.services import consent_required
from qunce.core.prepared import prepared_cursor
from qunce.org.models import Person

from ..models import Checkin, CheckinPolicy, CheckinReceipt, CheckinRevision, HealthAlert
from .alerts import alert_raise, alert_reasons, city_of
from .answers import EMPTY_ANSWERS, WHEREABOUTS_FIELDS, checkin_answers_clean

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")


@dataclass(frozen=True)
class Submission:
    checkin: Checkin
    status_code: int  # 201 for the day's first record, 200 for a replacement or a replay
    document: dict


def checkin_window(policy: CheckinPolicy) -> str:
    return _("每日填报时间为 %(opens)s–%(deadline)s（北京时间）") % {
        "opens": f"{policy.opens_at:%H:%M}",
        "deadline": f"{policy.deadline:%H:%M}",
    }


def checkin_window_message(policy: CheckinPolicy) -> str:
    return _("%(window)s，现在不在填报时间内。") % {"window": checkin_window(policy)}


def checkin_submit(
    *,
    person: Person,
    policy: CheckinPolicy,
    answers: Mapping[str, Any],
    idempotency_key: str = "",
    now: datetime.datetime | None = None,
) -> Submission:
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
    if alert_reasons(policy, cleaned, previous=None):
        return None
    purposes = [Purpose.HEALTH.value]
    if any(policy.asks(field) for field in WHEREABOUTS_FIELDS):
        purposes.append(Purpose.WHEREABOUTS.value)
    return _first_checkin_insert(
        person, policy, cleaned, today, idempotency_key, _fingerprint(policy, cleaned), purposes
    )


def checkin_fields_withheld(person: Person) -> frozenset[str]:
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
        "city": city_of(cleaned["region"]),
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
    reasons = alert_reasons(policy, cleaned, previous)
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
        alert_raise(checkin=checkin, reasons=reasons)
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


def _jsonable_answers(cleaned):
    values = dict(cleaned)
    values["region"] = cleaned["region"].pk if cleaned["region"] is not None else None
    for name in ("contact_on", "isolation_since"):
        values[name] = cleaned[name].isoformat() if cleaned[name] else None
    values["temperature"] = str(cleaned["temperature"]) if cleaned["temperature"] else None
    return values


def checkin_answers(checkin: Checkin) -> dict[str, Any]:
    """The answers of a record, as stored in revisions and compared on resubmission."""
    return _jsonable_answers({name: getattr(checkin, name) for name in EMPTY_ANSWERS})


def checkin_document(checkin: Checkin) -> dict[str, Any]:
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
