from django import forms
from django.utils.translation import gettext_lazy as _

from qunce.core.forms import DateInput
from qunce.org.models import Campaign, ServiceRole

from .models import Claim, Commendation, FrontlineService, RecommendationKind, RoleRule, RuleSet

DATE = DateInput()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ClaimForm(forms.ModelForm):
    evidence = MultipleFileField(
        label=_("证明材料（PDF、图片、Word、Excel，单个不超过 10 MB）"), required=False
    )

    class Meta:
        model = Claim
        fields = [
            "role",
            "campaign",
            "date_from",
            "date_to",
            "summary",
            "hours",
            "people_served",
            "items_donated",
        ]
        widgets = {"date_from": DATE, "date_to": DATE, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.exclude(status=Campaign.Status.PLANNED)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", _("核实")), ("reject", _("退回"))])
    reason = forms.CharField(label=_("退回理由"), required=False, max_length=300)


class FrontlineForm(forms.ModelForm):
    staff_no = forms.CharField(label=_("工号"), max_length=20)

    class Meta:
        model = FrontlineService
        fields = ["campaign", "starts_on", "ends_on", "description"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class RecommendationFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("名单"), choices=RecommendationKind.choices)
    campaign = forms.ModelChoiceField(label=_("专项行动"), queryset=Campaign.objects.all())
    unit = forms.ModelChoiceField(label=_("范围"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = _("所选单位不在您的管理范围内。")


class RuleSetForm(forms.ModelForm):
    """The rule set's own fields plus four rates for each of the eight roles."""

    class Meta:
        model = RuleSet
        fields = ["frontline_multiplier", "monthly_cap", "note"]

    RATE_FIELDS = ("base_points", "per_hour", "per_person_served", "per_item_donated")

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        rules = {rule.role: rule for rule in current.role_rules.all()} if current else {}
        if current:
            self.initial.setdefault("frontline_multiplier", current.frontline_multiplier)
            self.initial.setdefault("monthly_cap", current.monthly_cap)
        for role in ServiceRole:
            for rate in self.RATE_FIELDS:
                model_field = RoleRule._meta.get_field(rate)
                self.fields[f"{role.value}__{rate}"] = forms.DecimalField(
                    label=f"{role.label} · {model_field.verbose_name}",
                    min_value=0,
                    max_digits=model_field.max_digits,
                    decimal_places=model_field.decimal_places,
                    initial=getattr(rules.get(role.value), rate, 0),
                )

    def role_rules(self):
        return {
            role.value: {
                rate: self.cleaned_data[f"{role.value}__{rate}"] for rate in self.RATE_FIELDS
            }
            for role in ServiceRole
        }

    def role_rows(self):
        """The rate fields grouped by role, for the template's table."""
        return [
            (role.label, [self[f"{role.value}__{rate}"] for rate in self.RATE_FIELDS])
            for role in ServiceRole
        ]


class CommendationForm(forms.ModelForm):
    staff_no = forms.CharField(label=_("工号（个人表彰）"), max_length=20, required=False)

    class Meta:
        model = Commendation
        fields = ["team_name", "campaign", "title", "citation", "awarded_on", "awarding_body"]
        widgets = {"awarded_on": DATE, "citation": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"team_name": _("团队表彰时填写；个人表彰填工号。")}
