from django import forms
from django.utils.translation import gettext_lazy as _

from qunce.notices.forms import MultipleFileField
from qunce.org.models import Campaign
from qunce.org.selectors import active_campaigns

from .models import Proposal

TEXTAREA = forms.Textarea(attrs={"rows": 5})


class CampaignForm(forms.Form):
    campaign = forms.ModelChoiceField(label=_("专项行动"), queryset=Campaign.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("campaign", active_campaigns().first())


class ProposalForm(CampaignForm):
    topic = forms.CharField(label=_("主题"), max_length=120)
    problem = forms.CharField(label=_("存在的问题"), max_length=5000, widget=TEXTAREA)
    suggestion = forms.CharField(label=_("对策建议"), max_length=10000, widget=TEXTAREA)
    files = MultipleFileField(
        label=_("附件（PDF、DOCX、XLSX、JPG、PNG，每个不超过 20 MB）"), required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理意见"),
        choices=[
            (Proposal.Status.ADOPTED, _("采纳")),
            (Proposal.Status.REFERRED, _("转有关部门")),
            (Proposal.Status.NOTED, _("阅存")),
        ],
        widget=forms.RadioSelect,
    )
    referred_to = forms.CharField(label=_("转交部门"), max_length=100, required=False)
    feedback = forms.CharField(label=_("给建言人的反馈"), max_length=2000, widget=TEXTAREA)


class KeyProblemForm(CampaignForm):
    title = forms.CharField(label=_("问题"), max_length=120)
    description = forms.CharField(
        label=_("说明（需要哪些专业、期望成果）"), max_length=5000, widget=TEXTAREA
    )


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("最新进展"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
