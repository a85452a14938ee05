from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qunce.core.forms import DateInput
from qunce.org.models import Campaign

from .selectors import ADDRESSABLE_KINDS, addressable_units


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class NoticeForm(forms.Form):
    document_number = forms.CharField(
        label=_("发文字号"),
        max_length=40,
        help_text=_("如：科大组织部〔2020〕6号"),
    )
    issuer = forms.CharField(
        label=_("发文机关"), max_length=100, initial="中共辽宁科技大学委员会组织部"
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    addressee = forms.CharField(
        label=_("主送机关"), max_length=200, initial="各分党委、党总支、直属党支部"
    )
    body = forms.CharField(
        label=_("正文"), max_length=50000, widget=forms.Textarea(attrs={"rows": 14})
    )
    unit_kinds = forms.MultipleChoiceField(
        label=_("按类型全选主送单位"),
        choices=[(kind.value, kind.label) for kind in ADDRESSABLE_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("如勾选“分党委”，即主送全部分党委；可再在下方逐个补选。"),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("主送单位（需签收并报告落实情况）"),
        queryset=addressable_units(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    report_deadline = forms.DateField(label=_("落实情况报告截止日期"), widget=DateInput())
    campaign = forms.ModelChoiceField(
        label=_("专项行动"), queryset=Campaign.objects.all(), required=False
    )
    attachments = MultipleFileField(
        label=_("附件（PDF、DOCX、XLSX、JPG、PNG，每个不超过 20 MB）"), required=False
    )
    publish = forms.BooleanField(label=_("立即印发"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = addressable_units()
        if not self.is_bound:
            self.initial.setdefault(
                "report_deadline", timezone.localdate() + timezone.timedelta(days=7)
            )

    def clean(self):
        """The units ticked one by one plus every unit of the kinds ticked; at least one."""
        cleaned = super().clean()
        kinds = cleaned.pop("unit_kinds", [])
        units = set(cleaned.get("units") or [])
        if kinds:
            units |= set(addressable_units().filter(kind__in=kinds))
        if not units and "units" not in self.errors:
            self.add_error("units", _("请选择主送单位：按类型全选，或逐个勾选。"))
        cleaned["units"] = sorted(units, key=lambda unit: unit.path)
        return cleaned


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("落实情况"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachments = MultipleFileField(
        label=_("附件（PDF、DOCX、XLSX、JPG、PNG，每个不超过 20 MB）"), required=False
    )
