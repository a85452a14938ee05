from decimal import Decimal

from django import forms
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy as _

from qunce.codes.forms import RegionCascadeForm
from qunce.codes.models import Region
from qunce.core.forms import DateInput

from .models import (
    Contact,
    Field,
    HealthCode,
    Isolation,
    Symptom,
    Vaccination,
)
from .services import ANSWER_FIELDS

YES_NO = [("yes", _("是")), ("no", _("否"))]
DATE_INPUT = DateInput()
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _yes_no_field(label):
    return forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, required=False)


class CheckinForm(RegionCascadeForm):
    """Types only: the service decides what is missing or out of range, for page and API."""

    # Its widgets through Django's Jinja2 widget templates: a radio group through the Django
    # template engine costs about four times as much, on a page everyone opens every morning.
    # This form only: the admin site's widgets exist as Django templates alone. An instance,
    # kept: given the class, every form would build a Jinja2 environment of its own.
    default_renderer = Jinja2()

    on_campus = _yes_no_field(_("是否在校"))
    temperature = forms.CharField(
        label=_("体温（°C）"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "36.5"}),
    )
    symptoms = forms.MultipleChoiceField(
        label=_("今日症状（可多选）"),
        choices=Symptom.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    visited_risk_area = _yes_no_field(_("14 天内是否到过中高风险地区"))
    contact = forms.ChoiceField(
        label=_("是否接触确诊/疑似/无症状感染者"),
        choices=Contact.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    contact_on = forms.DateField(label=_("接触日期"), required=False, widget=DATE_INPUT)
    isolation = forms.ChoiceField(
        label=_("是否处于隔离观察"),
        choices=Isolation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    isolation_since = forms.DateField(label=_("隔离开始日期"), required=False, widget=DATE_INPUT)
    health_code = forms.ChoiceField(
        label=_("健康码颜色"), choices=HealthCode.choices, widget=forms.RadioSelect, required=False
    )
    vaccination = forms.ChoiceField(
        label=_("疫苗接种情况"),
        choices=[("", "—"), *Vaccination.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("备注"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    pledged = forms.BooleanField(
        label=_("本人承诺：以上信息真实准确，如有变化及时报告。"), required=False
    )

    def __init__(self, *args, policy, withheld=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        fields = [field for field in policy.fields if field not in withheld]
        asked = {name for field in fields for name in ANSWER_FIELDS[field]}
        if Field.LOCATION in fields:
            asked |= {"province", "city", "county"}
        asked.discard("region")
        for name in list(self.fields):
            if name != "pledged" and name not in asked:
                del self.fields[name]

    def answers(self):
        """The cleaned form in the service's terms."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("province", "city", "county")
        }
        for name in ("on_campus", "visited_risk_area"):
            if name in data:
                data[name] = {"yes": True, "no": False}.get(data[name])
        return data

    @staticmethod
    def initial_from(checkin):
        """Yesterday's (or today's) answers, to prefill the form."""
        if checkin is None:
            return {}
        region = checkin.region
        levels = {}
        while region is not None:
            levels[region.level] = region.pk
            region = region.parent
        yes_no = {True: "yes", False: "no", None: ""}
        return {
            "province": levels.get(Region.Level.PROVINCE),
            "city": levels.get(Region.Level.CITY),
            "county": levels.get(Region.Level.COUNTY),
            "on_campus": yes_no[checkin.on_campus],
            "temperature": checkin.temperature,
            "symptoms": checkin.symptoms,
            "visited_risk_area": yes_no[checkin.visited_risk_area],
            "contact": checkin.contact,
            "contact_on": checkin.contact_on,
            "isolation": checkin.isolation,
            "isolation_since": checkin.isolation_since,
            "health_code": checkin.health_code,
            "vaccination": checkin.vaccination,
            "note": checkin.note,
        }


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("跟进情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PolicyForm(forms.Form):
    enabled = forms.BooleanField(label=_("开启每日健康打卡"), required=False)
    fields = forms.MultipleChoiceField(
        label=_("收集的项目（只收集需要的）"),
        choices=Field.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fever_threshold = forms.DecimalField(
        label=_("发热阈值（°C）"),
        max_digits=3,
        decimal_places=1,
        min_value=Decimal("36.0"),
        max_value=Decimal("39.0"),
    )
    opens_at = forms.TimeField(label=_("每日开放时间"), widget=TIME_INPUT)
    deadline = forms.TimeField(label=_("每日截止时间"), widget=TIME_INPUT)
    reminder_times = forms.CharField(
        label=_("提醒时间"),
        required=False,
        help_text=_("北京时间，用逗号分隔，如 09:00, 10:30。"),
    )

    @staticmethod
    def initial_from(policy):
        return {
            "enabled": policy.enabled,
            "fields": policy.fields,
            "fever_threshold": policy.fever_threshold,
            "opens_at": policy.opens_at,
            "deadline": policy.deadline,
            "reminder_times": ", ".join(policy.reminder_times),
        }

    def clean_reminder_times(self):
        text = self.cleaned_data["reminder_times"].replace("，", ",")
        return [item.strip() for item in text.split(",") if item.strip()]
