from django import forms
from django.utils.translation import gettext_lazy as _

from qunce.core.forms import DateInput
from qunce.org.models import Campaign
from qunce.org.selectors import active_campaigns

from .models import TeachingRecord


class TeachingForm(forms.Form):
    person = forms.ModelChoiceField(label=_("教师"), queryset=None)
    campaign = forms.ModelChoiceField(label=_("专项行动"), queryset=Campaign.objects.all())
    kind = forms.ChoiceField(label=_("类型"), choices=TeachingRecord.Kind.choices)
    held_on = forms.DateField(label=_("日期"), widget=DateInput())
    course = forms.CharField(label=_("课程（线上课程、答疑）"), max_length=100, required=False)
    platform = forms.ChoiceField(
        label=_("平台"), choices=[("", "—"), *TeachingRecord.Platform.choices], required=False
    )
    sessions = forms.IntegerField(label=_("次数"), min_value=1, initial=1, required=False)
    students_reached = forms.IntegerField(
        label=_("覆盖学生数"), min_value=0, initial=0, required=False
    )
    student = forms.CharField(label=_("研究生（研究生指导）"), max_length=50, required=False)
    topic = forms.CharField(label=_("指导内容"), max_length=200, required=False)
    mode = forms.ChoiceField(
        label=_("指导方式"), choices=[("", "—"), *TeachingRecord.Mode.choices], required=False
    )

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = teachers
        if not self.is_bound:
            self.initial.setdefault("campaign", active_campaigns().first())
