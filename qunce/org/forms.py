from django import forms
from django.utils.translation import gettext_lazy as _

from qunce.core.forms import DateInput
from qunce.core.models import GroupRobot

from .models import Campaign, PoliticalStatus, ServiceRole, TitleLevel


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        # Indent by depth so the choice list reads as the tree it is.
        return "\u3000" * max(unit.depth - 2, 0) + unit.name


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或工号"), required=False, max_length=50)
    unit = UnitChoiceField(
        label=_("单位"), queryset=None, required=False, empty_label=_("全部单位")
    )
    title_level = forms.ChoiceField(
        label=_("职称级别"), required=False, choices=[("", _("全部职称")), *TitleLevel.choices]
    )
    political_status = forms.ChoiceField(
        label=_("政治面貌"),
        required=False,
        choices=[("", _("全部政治面貌")), *PoliticalStatus.choices],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "所选单位不存在或不在您的管理范围内。"
        )


class CampaignForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("开启的“八员”角色"),
        choices=ServiceRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("未开启的角色不在菜单中出现。"),
    )

    class Meta:
        model = Campaign
        fields = ["name", "starts_on", "ends_on", "retention_days", "roles"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }


class CampaignCreateForm(CampaignForm):
    copy_from = forms.ModelChoiceField(
        label=_("沿用以往专项行动的设置"),
        queryset=Campaign.objects.order_by("-starts_on"),
        required=False,
        empty_label=_("不沿用，从头设置"),
        help_text=_("沿用其开启的角色、打卡项目与时段、保存天数（积分规则全校通用，无需沿用）。"),
    )

    field_order = ["copy_from", "name", "starts_on", "ends_on", "retention_days", "roles"]

    def __init__(self, *args, source=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled in from the campaign copied from, so the admin sees what is carried over.
        self.fields["roles"].initial = source.roles if source else list(ServiceRole.values)
        if source is not None:
            self.fields["copy_from"].initial = source.pk
            self.fields["retention_days"].initial = source.retention_days
        self.fields["copy_from"].error_messages["invalid_choice"] = _("所选专项行动不存在。")


class RobotForm(forms.ModelForm):
    webhook_url = forms.URLField(label=_("Webhook 地址"), max_length=500, assume_scheme="https")

    class Meta:
        model = GroupRobot
        fields = ["unit", "kind", "name", "webhook_url", "secret"]
        widgets = {"secret": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "所选单位不存在或不在您的管理范围内。"
        )
