"""The answers a check-in carries, read and checked: the same rule for the page's form, the API and
the fast path."""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qunce.codes.models import Region
from qunce.codes.selectors import region_by_code

from ..models import (
    HIGHEST_TEMPERATURE,
    LOWEST_TEMPERATURE,
    CheckinPolicy,
    Contact,
    Field,
    HealthCode,
    Isolation,
    Symptom,
    Vaccination,
)

# The questions that tell where a person is or has been: asked only with the person's consent
# to whereabouts, apart from the health check-in's own.
WHEREABOUTS_FIELDS = frozenset({Field.LOCATION, Field.RISK_AREA})


class AnswerRefused(Exception):
    """An answer that cannot be taken, with the message the person reads."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _region(value, today):
    if isinstance(value, Region):
        return value
    code = str(value or "").strip()
    if not code:
        raise AnswerRefused(_("请选择当前所在地。"))
    region = region_by_code(code)
    if region is None:
        raise AnswerRefused(_("行政区划代码 %(code)s 不存在（GB/T 2260）。") % {"code": code[:12]})
    return region


def _yes_no(value, today):
    if value is None or value == "":
        raise AnswerRefused(_("请选择“是”或“否”。"))
    if isinstance(value, bool):
        return value
    raise AnswerRefused(_("应为“是”或“否”。"))


def _temperature(value, today):
    if value is None or value == "":
        raise AnswerRefused(_("请填写体温。"))
    try:
        temperature = Decimal(str(value).strip())
    except InvalidOperation:
        temperature = None
    if temperature is None or not temperature.is_finite():
        raise AnswerRefused(_("体温应为数字，如 36.5。"))
    if not LOWEST_TEMPERATURE <= temperature <= HIGHEST_TEMPERATURE:
        raise AnswerRefused(
            _("体温应在 %(low)s–%(high)s °C 之间，请重新测量。")
            % {"low": LOWEST_TEMPERATURE, "high": HIGHEST_TEMPERATURE}
        )
    return temperature.quantize(Decimal("0.1"))


# An enum's `values` builds its choices anew on every read; the morning's check-ins read them
# for every answer.
SYMPTOMS = tuple(Symptom.values)


def _symptoms(value, today):
    if not isinstance(value, list | tuple) or not value:
        raise AnswerRefused(_("请选择症状；没有症状请选“无”。"))
    unknown = [item for item in value if item not in SYMPTOMS]
    if unknown:
        raise AnswerRefused(_("没有这一症状选项：%(item)s。") % {"item": str(unknown[0])[:20]})
    chosen = [symptom for symptom in SYMPTOMS if symptom in value]
    if Symptom.NONE in chosen and len(chosen) > 1:
        raise AnswerRefused(_("选了“无”就不能再选其他症状。"))
    return chosen


def _one_of(choices):
    values = tuple(choices.values)  # not a set: a bad answer may be a list, which has no hash

    def choice(value, today):
        if value in values:
            return value
        raise AnswerRefused(_("请选择一项。") if not value else _("没有这一选项。"))

    return choice


def _past_date(value, today):
    if isinstance(value, str) and value:
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            raise AnswerRefused(_("日期格式应为 YYYY-MM-DD。")) from None
    if not isinstance(value, datetime.date):
        raise AnswerRefused(_("请填写日期。"))
    if value > today:
        raise AnswerRefused(_("日期不能晚于今天。"))
    return value


def _note(value, today):
    note = (value or "").strip()
    if len(note) > 500:
        raise AnswerRefused(_("备注最多 500 字。"))
    return note


@dataclass(frozen=True)
class Answer:
    """One answer a check-in carries: the question it belongs to, how it is read (a function of
    the value sent and today that returns the typed value or raises AnswerRefused), what it is
    when the campaign does not ask it, and, for a follow-up question, when it is asked given
    the answers read before it."""

    name: str
    question: Field
    read: Callable[[object, datetime.date], object]
    empty: object = None
    asked_after: Callable[[dict], bool] | None = None


# What a submission carries, in the order it is read; the person, the campaign and the day
# come from the server.
ANSWERS = (
    Answer("region", Field.LOCATION, _region),
    Answer("on_campus", Field.LOCATION, _yes_no),
    Answer("temperature", Field.TEMPERATURE, _temperature),
    Answer("symptoms", Field.SYMPTOMS, _symptoms, empty=[]),
    Answer("visited_risk_area", Field.RISK_AREA, _yes_no),
    Answer("contact", Field.CONTACT, _one_of(Contact), empty=""),
    Answer(
        "contact_on",
        Field.CONTACT,
        _past_date,
        asked_after=lambda cleaned: cleaned["contact"] not in ("", Contact.NONE),
    ),
    Answer("isolation", Field.ISOLATION, _one_of(Isolation), empty=""),
    Answer(
        "isolation_since",
        Field.ISOLATION,
        _past_date,
        asked_after=lambda cleaned: cleaned["isolation"] not in ("", Isolation.NONE),
    ),
    Answer("health_code", Field.HEALTH_CODE, _one_of(HealthCode), empty=""),
    Answer("vaccination", Field.VACCINATION, _one_of(Vaccination), empty=""),
    Answer("note", Field.NOTE, _note, empty=""),
)
ANSWER_FIELDS = {
    question: tuple(answer.name for answer in ANSWERS if answer.question == question)
    for question in Field
}
EMPTY_ANSWERS = {answer.name: answer.empty for answer in ANSWERS}


def checkin_answers_clean(
    *,
    policy: CheckinPolicy,
    answers: Mapping[str, Any],
    today: datetime.date,
    withheld: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The answers a campaign asks for, typed and checked; the rest emptied. Questions the
    person has not allowed (`withheld`) must come unanswered. Raises one ValidationError naming
    every bad field."""
    errors = {}
    cleaned = dict(EMPTY_ANSWERS)
    if not answers.get("pledged"):
        errors["pledged"] = [_("请确认本人承诺：以上信息真实准确。")]
    for answer in ANSWERS:
        if not policy.asks(answer.question):
            continue
        value = answers.get(answer.name)
        if answer.question in withheld:
            if value not in (None, ""):
                errors[answer.name] = [
                    _(
                        "您未同意收集行程与所在地信息，请不要填写此项；如需填写，请先在“我的授权”中同意。"
                    )
                ]
            continue
        if answer.asked_after is not None and not answer.asked_after(cleaned):
            continue
        try:
            cleaned[answer.name] = answer.read(value, today)
        except AnswerRefused as refused:
            errors[answer.name] = [refused.message]
    if errors:
        raise ValidationError(errors)
    return cleaned
