from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, User
from .services import TOKEN_LIFETIMES_DAYS, password_login_allowed


class PasswordLoginRule:
    """With PASSWORD_LOGIN_FOR_STAFF off, a person in the registry is refused a password login
    with the same answer as a wrong password, so the form confirms no password."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not password_login_allowed(user):
            raise self.get_invalid_login_error()


class AdminLoginForm(PasswordLoginRule, AdminAuthenticationForm):
    pass


class LoginForm(PasswordLoginRule, AuthenticationForm):
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


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("用途"), max_length=100, help_text=_("如：学校数据中心每日同步人才库")
    )
    username = forms.CharField(
        label=_("代表的账号"),
        max_length=150,
        required=False,
        help_text=_("令牌以该账号的权限访问接口；留空为您本人。建议为每个对接系统建一个专用账号。"),
    )
    scope = forms.ChoiceField(
        label=_("权限范围"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )

    lifetime_days = forms.TypedChoiceField(
        label=_("有效期"),
        coerce=int,
        choices=[(days, format_lazy("{} {}", days, _("天"))) for days in TOKEN_LIFETIMES_DAYS],
        initial=365,
        help_text=_("到期后令牌自动失效，请在到期前新建一个并更换。"),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("没有这个账号，或该账号已停用。"))
        return user


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("验证码"),
        max_length=32,
        error_messages={"required": _("请输入验证码。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
