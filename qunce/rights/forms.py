from django import forms
from django.utils.translation import gettext_lazy as _

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
