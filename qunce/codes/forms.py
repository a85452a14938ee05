from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Region
from .selectors import region_by_code


class RegionChoiceField(forms.ModelChoiceField):
    """A division of one level, looked up in the process's kept code list (every check-in and
    help request names three) rather than by a query of its own."""

    def __init__(self, *, level, **kwargs):
        self.level = level
        super().__init__(queryset=Region.objects.filter(level=level), **kwargs)

    def label_from_instance(self, region):
        return region.name

    def to_python(self, value):
        if value in self.empty_values:
            return None
        region = region_by_code(str(value))
        if region is None or region.level != self.level:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return region


class RegionCascadeForm(forms.Form):
    """Province → city → county on GB/T 2260, Liaoning first (the university's province).

    Mixed into a form, it leaves the most precise division chosen in cleaned_data["region"]."""

    province = RegionChoiceField(label=_("省份"), level=Region.Level.PROVINCE, required=False)
    city = RegionChoiceField(label=_("城市"), level=Region.Level.CITY, required=False)
    county = RegionChoiceField(label=_("区县"), level=Region.Level.COUNTY, required=False)

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
