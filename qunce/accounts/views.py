import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit

from qunce.core.actions import next_url
from qunce.core.forms import add_service_errors
from qunce.org.access import access_for

from . import services
from .forms import ApiTokenForm, LoginForm, SecondFactorForm
from .models import ApiToken

PENDING_DEVICE_SESSION_KEY = "qunce_pending_totp_device"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=self.request.user)
        messages.success(self.request, _("密码已修改。"))
        return response


def _require_org_admin(user):
    if not access_for(user).is_org_admin:
        raise PermissionDenied


@login_required
@never_cache  # the page shows a new token once
def api_tokens(request):
    _require_org_admin(request.user)
    form = ApiTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.api_token_create(
                user=form.cleaned_data["username"] or request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                lifetime_days=form.cleaned_data["lifetime_days"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            created = (token, raw)
            form = ApiTokenForm()
    tokens = ApiToken.objects.select_related("user").order_by("revoked_at", "-created_at")
    return render(
        request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "created": created}
    )


@login_required
@require_POST
def api_token_revoke(request, pk):
    _require_org_admin(request.user)
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        services.api_token_revoke(token=token, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已吊销令牌“%s”，使用它的系统将无法再访问。") % token.name)
    return redirect("accounts:api_tokens")


def _next(request):
    return next_url(request, "core:home")


@login_required
@never_cache
def two_factor(request):
    """两步验证: whether an authenticator is set up, and the recovery codes left."""
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": TOTPDevice.objects.filter(user=request.user, confirmed=True).first(),
            "codes_left": StaticToken.objects.filter(device__user=request.user).count(),
        },
    )


@login_required
@never_cache
@ratelimit(key="user", rate="10/m", method="POST", block=True)
def two_factor_verify(request):
    """The code after the password: the authenticator's, or a recovery code."""
    if services.second_factor_needed(request.user) != "verify":
        return redirect(_next(request))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_check(
                user=request.user, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            otp_login(request, device)
            return redirect(_next(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


@login_required
@never_cache
@ratelimit(key="user", rate="10/m", method="POST", block=True)
def two_factor_setup(request):
    """Scan the secret, type its code: the authenticator is set up and ten recovery codes are
    shown once. An account that already has one must give it first (a stolen password cannot
    enrol a new phone)."""
    if services.second_factor_needed(request.user) == "verify":
        return redirect(f"{reverse('accounts:two_factor_verify')}?next={request.path}")
    if not services.needs_second_factor(request.user):
        raise PermissionDenied
    form = SecondFactorForm(request.POST or None)
    device = TOTPDevice.objects.filter(
        user=request.user, confirmed=False, pk=request.session.get(PENDING_DEVICE_SESSION_KEY)
    ).first()
    if request.method == "POST" and form.is_valid() and device is not None:
        try:
            device, codes = services.totp_device_confirm(
                user=request.user, device_id=device.pk, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            otp_login(request, device)
            request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
            return render(
                request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next(request)}
            )
    elif request.method == "POST" and device is None:
        form.add_error("token", _("设置已过期，请重新扫描二维码。"))
    if device is None or request.method == "GET":
        device = services.totp_device_start(user=request.user)
        request.session[PENDING_DEVICE_SESSION_KEY] = device.pk
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "secret": _base32(device.bin_key),
            # segno draws the otpauth:// URL as markup of its own making: nothing typed by a
            # user is in it.
            "qr_svg": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=5)),
            "required": settings.TWO_FACTOR_REQUIRED,
        },
    )


@login_required
@require_POST
def recovery_codes(request):
    if not request.user.is_verified():
        raise PermissionDenied
    codes = services.recovery_codes_renew(user=request.user)
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "next": reverse("accounts:two_factor")},
    )


def _base32(key):
    """The secret as authenticators take it typed in: base32 in groups of four."""
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
