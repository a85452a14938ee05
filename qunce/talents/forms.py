from django import forms
from django.utils.translation import gettext_lazy as _

from qunce.codes.models import Discipline, Region
from qunce.core.forms import DateInput
from qunce.org import selectors as org_selectors
from qunce.org.forms import PeopleFilterForm

from .models import Availability, ServiceRole, TalentProfile, volunteer_field
from .selectors import discipline_choices, registry_search, with_profile_details

MAX_DISCIPLINES = 3
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


class RegistryFilterForm(PeopleFilterForm):
    keyword = forms.CharField(label=_("专长关键词"), required=False, max_length=50)
    discipline = forms.ChoiceField(label=_("学科"), required=False)
    role = forms.ChoiceField(
        label=_("志愿角色"), required=False, choices=[("", _("全部角色")), *ServiceRole.choices]
    )
    availability = forms.ChoiceField(
        label=_("当前状态"), required=False, choices=[("", _("全部状态")), *Availability.choices]
    )
    confirmed = forms.ChoiceField(
        label=_("单位确认"),
        required=False,
        choices=[("", _("全部")), ("yes", _("已确认")), ("no", _("未确认"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discipline"].choices = [("", _("全部学科")), *discipline_choices()]

    def search_arguments(self):
        """The cleaned filters ({} when unbound: everyone), or None when they do not hold."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return None
        return {key: value for key, value in self.cleaned_data.items() if value not in ("", None)}


class CodeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Choices from a national code list, shown as the code users know followed by the name."""

    def label_from_instance(self, entry):
        return f"{entry.code} {entry.name}"


class ProfileForm(forms.ModelForm):
    disciplines = CodeMultipleChoiceField(
        label=_("学科（最多 3 个）"),
        queryset=Discipline.objects.exclude(level=Discipline.Level.CATEGORY).order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    service_regions = CodeMultipleChoiceField(
        label=_("服务地区"),
        queryset=Region.objects.filter(code__startswith="21").order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = TalentProfile
        fields = [
            "disciplines",
            "research_fields",
            "keywords",
            "summary",
            "works",
            *(volunteer_field(role) for role in ServiceRole),
            "service_regions",
            "preferred_channel",
            "availability",
            "availability_from",
            "availability_until",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "works": forms.Textarea(
                attrs={"rows": 4, "placeholder": _("每行一项：项目、论文或专利名称")}
            ),
            "availability_from": DateInput(),
            "availability_until": DateInput(),
        }
        help_texts = {"keywords": _("用顿号分隔，例如：高炉炼铁、余热回收")}

    def clean_disciplines(self):
        disciplines = self.cleaned_data["disciplines"]
        if len(disciplines) > MAX_DISCIPLINES:
            raise forms.ValidationError(_("最多选择 3 个学科。"))
        return disciplines

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("availability_from"), cleaned.get("availability_until")
        if start and end and end < start:
            self.add_error("availability_until", _("结束日期早于开始日期。"))
        return cleaned

    def service_arguments(self):
        changes = dict(self.cleaned_data)
        return {
            "disciplines": list(changes.pop("disciplines")),
            "service_regions": list(changes.pop("service_regions")),
            "changes": changes,
        }


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("人才信息表（.xlsx）"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件（不支持 .xls、.csv）。"))
        if uploaded.size == 0:
            raise forms.ValidationError(_("文件是空的。"))
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 10 MB，请分批导入。"))
        head = uploaded.read(4)
        uploaded.seek(0)
        if head != XLSX_MAGIC:
            raise forms.ValidationError(_("文件内容不是 Excel（.xlsx）格式。"))
        return uploaded


def registry_from_params(user, params):
    """The people list as the user filtered it in the URL: (people, form). Pages and exports
    share it, so an export holds exactly the rows the list showed."""
    form = RegistryFilterForm(params or None, units=org_selectors.units_visible_to(user))
    arguments = form.search_arguments()
    people = org_selectors.people_visible_to(user)
    # A filter that does not hold (a stale bookmark, a unit out of scope) lists no one, never
    # everyone: an export must not hold more than the user asked for.
    people = registry_search(people, **arguments) if arguments is not None else people.none()
    return with_profile_details(people), form
