"""The answers a check-in carries, read and checked: the same rule for the page's form, the API and
the fast path."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qunce.codes.models import Region

from ..models import (
    HIGHEST_TEMPERATURE,
    LOWEST_TEMPERATURE,
    Contact,
    Field,
    HealthCode,
    Isolation,
    Symptom,
    Vaccination,
)

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
