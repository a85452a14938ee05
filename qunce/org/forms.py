from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PoliticalStatus, TitleLevel


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
