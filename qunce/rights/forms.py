from django import forms
from django.utils.translation import gettext_lazy as _

from qunce.core.forms import DateInput

from .audit import KINDS
from .models import RightsRequest


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("申请"), choices=RightsRequest.Kind.choices)
    section = forms.ChoiceField(label=_("涉及的信息"))
    detail = forms.CharField(
        label=_("说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("更正：哪里有误，应当是什么。删除：希望删除哪些信息。"),
    )

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = list(sections.items())


class HandleForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("办理结果"),
        choices=[
            (RightsRequest.Status.DONE, _("已办理")),
            (RightsRequest.Status.REFUSED, _("不予办理")),
        ],
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(
        label=_("答复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AuditSearchForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("类别"),
        choices=[(key, label) for key, label in KINDS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    who = forms.CharField(label=_("操作人/查看人"), max_length=50, required=False)
    whom = forms.CharField(label=_("涉及人员（姓名或工号）"), max_length=50, required=False)
    since = forms.DateField(label=_("从"), required=False, widget=DateInput)
    until = forms.DateField(label=_("到"), required=False, widget=DateInput)

    def __init__(self, *args, kinds=tuple(KINDS), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_kinds = list(kinds)
        self.fields["kinds"].choices = [(key, KINDS[key]) for key in self.allowed_kinds]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", _("结束日期不能早于开始日期。"))
        return cleaned

    def defaults(self):
        return {"kinds": self.allowed_kinds, "who": "", "whom": "", "since": None, "until": None}

    def filters(self):
        data = self.cleaned_data
        return {
            "kinds": data.get("kinds") or self.allowed_kinds,
            "who": data.get("who", "").strip(),
            "whom": data.get("whom", "").strip(),
            "since": data.get("since"),
            "until": data.get("until"),
        }
