from django import forms
from django.utils.translation import gettext_lazy as _

from qunce.accounts.models import User
from qunce.core.forms import DateInput

from .models import CounsellingCase, SessionNote


class RequestForm(forms.Form):
    anonymous = forms.BooleanField(label=_("匿名（不留姓名）"), required=False)
    category = forms.ChoiceField(label=_("想聊的方面"), choices=CounsellingCase.Category.choices)
    channel = forms.ChoiceField(label=_("希望的方式"), choices=CounsellingCase.Channel.choices)
    time_window = forms.CharField(
        label=_("方便的时间"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("例如：工作日晚上 7–9 点")}),
    )
    contact_name = forms.CharField(label=_("称呼（可不填）"), max_length=50, required=False)
    contact = forms.CharField(label=_("联系方式（电话或微信）"), max_length=50, required=False)
    description = forms.CharField(
        label=_("想聊的事"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5})
    )
    consented = forms.BooleanField(
        label=_("我已阅读并同意《心理咨询个人信息处理告知书》"),
        error_messages={"required": _("请阅读并同意告知书后再提交。")},
    )
    consent_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=1_000_000)

    def __init__(self, *args, notice=None, **kwargs):
        super().__init__(*args, **kwargs)
        if notice is not None:
            self.fields["consented"].label = _(
                "我已阅读并同意《%(title)s》（第 %(version)s 版）"
            ) % {
                "title": notice.title,
                "version": notice.version,
            }

    def service_values(self):
        """The cleaned form in the service's terms (the tick itself is not stored: the version
        agreed to is)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "consented"}


class AssignForm(forms.Form):
    counsellor = forms.ModelChoiceField(label=_("咨询师"), queryset=None)

    def __init__(self, *args, counsellors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = User.objects.filter(
            pk__in=[user.pk for user in counsellors]
        )
        self.fields["counsellor"].label_from_instance = lambda user: (
            user.first_name or user.username
        )


class SessionForm(forms.ModelForm):
    class Meta:
        model = SessionNote
        fields = ["held_on", "minutes", "content"]
        widgets = {
            "held_on": DateInput(),
            "content": forms.Textarea(attrs={"rows": 5}),
        }


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("留言"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
