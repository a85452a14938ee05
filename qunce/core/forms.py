from django import forms


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
