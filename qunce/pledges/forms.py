from django import forms
from django.utils.translation import gettext_lazy as _

from qunce.core.forms import DateInput
from qunce.proposals.forms import CampaignForm


class TemplateForm(CampaignForm):
    title = forms.CharField(label=_("承诺书名称"), max_length=100)
    items = forms.CharField(
        label=_("承诺事项（每行一条）"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        initial="不组织、不参加聚集性活动\n减少外出，非必要不离开本市\n做好个人安全防护，如实报告健康状况\n服从学校和社区防控安排",
    )


class ActForm(CampaignForm):
    person = forms.ModelChoiceField(label=_("党员"), queryset=None)
    done_on = forms.DateField(label=_("日期"), widget=DateInput())
    description = forms.CharField(
        label=_("先锋事迹"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    hours = forms.DecimalField(label=_("时长（小时）"), max_digits=5, decimal_places=1, initial=0)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = members


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("未通过理由"), max_length=300, required=False)
