from django import forms
from django.db.models import Case, When
from django.utils.translation import gettext_lazy as _

from .models import Region
from .selectors import LIAONING


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, region):
        return region.name


class RegionCascadeForm(forms.Form):
    """Province → city → county on GB/T 2260, Liaoning first (the university's province).

    Mixed into a form, it leaves the most precise division chosen in cleaned_data["region"]."""

    province = RegionChoiceField(
        label=_("省份"),
        queryset=Region.objects.filter(level=Region.Level.PROVINCE).order_by(
            Case(When(code=LIAONING, then=0), default=1), "code"
        ),
        required=False,
    )
    city = RegionChoiceField(
        label=_("城市"), queryset=Region.objects.filter(level=Region.Level.CITY), required=False
    )
    county = RegionChoiceField(
        label=_("区县"), queryset=Region.objects.filter(level=Region.Level.COUNTY), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if "province" not in self.fields:
            return cleaned
        province, city, county = cleaned.get("province"), cleaned.get("city"), cleaned.get("county")
        if city and city.parent_id != getattr(province, "pk", None):
            self.add_error("city", _("城市不属于所选省份。"))
        if county and county.parent_id != getattr(city, "pk", None):
            self.add_error("county", _("区县不属于所选城市。"))
        cleaned["region"] = county or city or province
        return cleaned
