from django import forms
from django.utils.translation import gettext_lazy as _

from qunce.codes.forms import RegionCascadeForm
from qunce.codes.models import Industry
from qunce.codes.selectors import LIAONING
from qunce.core.forms import DateInput
from qunce.org.models import Unit

from .models import Consultation, HelpRequest

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class IndustryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, industry):
        return f"{industry.parent_id}{industry.code} {industry.name}"


class UniversityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, university):
        return university.name


class HelpRequestForm(RegionCascadeForm, forms.ModelForm):
    """The public form: phone-first, region as a GB/T 2260 cascade (Liaoning first). In a
    province's installation the requester may name the university they hope will help."""

    university = UniversityChoiceField(
        label=_("希望对接的高校"),
        required=False,
        empty_label=_("不限，由省里统筹分派"),
        queryset=Unit.objects.filter(kind=Unit.Kind.UNIVERSITY).order_by("path"),
    )

    industry = IndustryChoiceField(
        label=_("所属行业（GB/T 4754）"),
        queryset=Industry.objects.filter(level=Industry.Level.DIVISION).order_by(
            "parent_id", "code"
        ),
    )

    field_order = [
        "requester_type",
        "organization",
        "contact_name",
        "mobile",
        "province",
        "city",
        "county",
        "industry",
        "category",
        "description",
        "urgency",
        "university",
        "preferred_channel",
        "consent",
    ]

    class Meta:
        model = HelpRequest
        fields = [
            "requester_type",
            "organization",
            "contact_name",
            "mobile",
            "industry",
            "category",
            "description",
            "urgency",
            "preferred_channel",
            "consent",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
            "mobile": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        labels = {"consent": _("我同意学校使用以上联系方式与我联系，仅用于本次技术服务")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].required = True
        self.fields["province"].initial = LIAONING
        if self.fields["university"].queryset.count() < 2:
            del self.fields["university"]

    def service_arguments(self):
        values = {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in ("province", "city", "county")
        }
        return values


class RouteForm(forms.Form):
    university = UniversityChoiceField(label=_("转交给"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_("转交理由"), max_length=300)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["university"].queryset = targets


class TriageForm(forms.Form):
    category = forms.ChoiceField(label=_("问题类别"), choices=HelpRequest.Category.choices)
    reject_reason = forms.CharField(
        label=_("不予受理理由（填写则不予受理，需求方可见）"), max_length=300, required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=300)


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["held_on", "channel", "minutes", "advice"]
        widgets = {"held_on": DateInput(), "advice": TEXTAREA}


class ResolveForm(forms.Form):
    summary = forms.CharField(label=_("解决情况"), max_length=3000, widget=TEXTAREA)


class FollowUpForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("回访满意度"), coerce=int, choices=[(n, f"{n} 分") for n in range(5, 0, -1)]
    )
    solved = forms.BooleanField(label=_("问题已解决"), required=False)
    note = forms.CharField(label=_("回访记录"), max_length=1000, required=False, widget=TEXTAREA)


class RequesterNoteForm(forms.Form):
    text = forms.CharField(label=_("补充说明"), max_length=2000, widget=TEXTAREA)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("评分"), coerce=int, choices=[(n, f"{n} 分") for n in range(5, 0, -1)]
    )
    comment = forms.CharField(label=_("评价"), max_length=500, required=False)
