from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # One message for a wrong password, an unknown user and a disabled account alike, so the
    # form never tells whether an account exists.
    error_messages = {
        "invalid_login": _("用户名或密码错误，请重新输入。"),
        "inactive": _("用户名或密码错误，请重新输入。"),
    }

    username = forms.CharField(
        label=_("用户名（工号）"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
