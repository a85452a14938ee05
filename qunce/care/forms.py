from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FamilyNeed


class FamilyNeedForm(forms.ModelForm):
    person = forms.ModelChoiceField(label=_("一线人员"), queryset=None)

    class Meta:
        model = FamilyNeed
        fields = ["person", "category", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].error_messages["invalid_choice"] = _(
            "只能为本人或本单位经认定的一线人员登记家庭需求。"
        )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("进展"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    resolve = forms.BooleanField(label=_("问题已解决"), required=False)
