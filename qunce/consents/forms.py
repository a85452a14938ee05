from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ConsentNotice, Purpose


class NoticeForm(forms.ModelForm):
    class Meta:
        model = ConsentNotice
        fields = ["purpose", "title", "body", "changes"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}
        help_texts = {
            "body": _(
                "用通俗的中文写明：收集什么、为什么、谁能看到、保存多久、如何撤回。每段一行。"
            ),
            "changes": _("与上一版相比改了什么，会显示给需要重新同意的人。"),
        }


class AgreeForm(forms.Form):
    """Agreeing to one or more notices at once; each carries the version the person read."""

    purposes = forms.MultipleChoiceField(choices=Purpose.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for purpose in Purpose.values:
            self.fields[f"version_{purpose}"] = forms.IntegerField(
                required=False, min_value=1, max_value=1_000_000
            )

    def chosen(self):
        """[(purpose, version read)] for the boxes ticked."""
        return [
            (purpose, self.cleaned_data.get(f"version_{purpose}"))
            for purpose in self.cleaned_data["purposes"]
        ]
