import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qunce.core.forms import DateInput
from qunce.org.forms import UnitChoiceField
from qunce.org.models import Campaign
from qunce.org.selectors import active_campaigns

# A report spans at most a year: longer ranges are several reports (and slow ones).
LONGEST_RANGE_DAYS = 366


class ReportForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("专项行动"), queryset=Campaign.objects.order_by("-starts_on"), empty_label=None
    )
    date_from = forms.DateField(label=_("起始日期"), widget=DateInput(), required=False)
    date_to = forms.DateField(label=_("截止日期"), widget=DateInput(), required=False)
    unit = UnitChoiceField(
        label=_("单位"), queryset=None, required=False, empty_label=_("默认：我管理的最高一级单位")
    )

    def __init__(self, data, *, units):
        super().__init__(data)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "所选单位不存在或不在您的管理范围内。"
        )
        self.fields["campaign"].error_messages["invalid_choice"] = _("所选专项行动不存在。")

    def clean(self):
        cleaned = super().clean()
        campaign = cleaned.get("campaign")
        if campaign is None:
            return cleaned
        # An empty range is the campaign's period so far, at most its last year.
        today = timezone.localdate()
        date_to = cleaned.get("date_to") or min(campaign.ends_on or today, today)
        date_from = cleaned.get("date_from") or max(
            campaign.starts_on, date_to - datetime.timedelta(days=LONGEST_RANGE_DAYS - 1)
        )
        if date_to < date_from:
            raise forms.ValidationError(_("截止日期早于起始日期。"))
        if (date_to - date_from).days >= LONGEST_RANGE_DAYS:
            raise forms.ValidationError(
                _("一份报表的时间跨度不超过一年（%(days)s 天），请缩短日期范围。")
                % {"days": LONGEST_RANGE_DAYS}
            )
        cleaned["date_from"], cleaned["date_to"] = date_from, date_to
        if cleaned.get("unit") is None and "unit" not in self.errors:
            cleaned["unit"] = self.fields["unit"].queryset.order_by("depth", "path").first()
            if cleaned["unit"] is None:
                raise forms.ValidationError(_("您没有可以查看报表的单位。"))
        return cleaned


def default_params():
    """The report a user sees first: the running (else the latest) campaign; the form fills in
    the widest unit they administer and the range."""
    campaign = active_campaigns().first() or Campaign.objects.order_by("-starts_on").first()
    return {"campaign": campaign.pk if campaign else ""}
