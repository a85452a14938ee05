from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GroupRobot


def add_service_errors(form, error):
    """Put a service's ValidationError next to the form fields it names (others above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    """An HTML date picker. Browsers accept only ISO dates in its value, whatever the locale
    (Django would render 2020/02/03 in Chinese, which the picker drops as empty)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RobotForm(forms.ModelForm):
    webhook_url = forms.URLField(label=_("Webhook 地址"), max_length=500, assume_scheme="https")

    class Meta:
        model = GroupRobot
        fields = ["unit", "kind", "name", "webhook_url", "secret"]
        widgets = {"secret": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "所选单位不存在或不在您的管理范围内。"
        )
