import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .services import second_factor_needed

LOGIN_AT_SESSION_KEY = "qunce_login_at"
RENEWED_AT_SESSION_KEY = "qunce_renewed_at"


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after login however active it was (idle expiry is the cookie's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            login_at = request.session.get(LOGIN_AT_SESSION_KEY)
            lifetime = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            if login_at is None or time.time() - login_at > lifetime:
                logout(request)
                messages.info(request, _("登录已超过 12 小时，请重新登录。"))
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
        return self.get_response(request)


class IdleExpiryRenewalMiddleware:
    """Moves a signed-in session's idle expiry (SESSION_COOKIE_AGE from now) forward at most
    once every SESSION_RENEWAL_SECONDS. Django's SESSION_SAVE_EVERY_REQUEST would write the
    session to Redis and the database, and send the cookie again, on every page, htmx swap and
    check-in: one UPDATE and its commit per request for a minute's precision nobody needs. The
    idle limit so holds to within that interval."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # Only a session that has a key (a cookie that named a stored session) and was not
        # about to be saved anyway; and only a signed-in one, so that an expired cookie does
        # not make a new anonymous session.
        if session.session_key and not session.modified and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(RENEWED_AT_SESSION_KEY, 0) >= settings.SESSION_RENEWAL_SECONDS:
                session[RENEWED_AT_SESSION_KEY] = now
        return response


def stamp_login_time(sender, request, user, **kwargs):
    now = time.time()
    request.session[LOGIN_AT_SESSION_KEY] = now
    request.session[RENEWED_AT_SESSION_KEY] = int(now)


class ForcedPasswordChangeMiddleware:
    """An account created by an admin must choose its own password before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password and not self._exempt(request.path):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("请先修改初始密码。")}, status=403)
            return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _exempt(path):
        allowed = (
            reverse("accounts:password_change"),
            reverse("accounts:logout"),
            reverse("set_language"),
            settings.STATIC_URL,
        )
        return path.startswith(allowed)


class TwoFactorMiddleware:
    """An administrator's session counts only once its second factor is given: until then
    every page leads to the code (or, when TWO_FACTOR_REQUIRED, to setting one up), and the API
    refuses the session. API tokens are not affected: they are a credential of their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not self._exempt(request):
            step = second_factor_needed(request.user)
            if step:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("请先完成两步验证。")}, status=403)
                target = reverse(
                    "accounts:two_factor_verify"
                    if step == "verify"
                    else "accounts:two_factor_setup"
                )
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request):
        allowed = [
            reverse("accounts:two_factor_verify"),
            reverse("accounts:two_factor_setup"),
            reverse("accounts:logout"),
            reverse("set_language"),
            settings.STATIC_URL,
        ]
        # A password alone changes no password, unless the first-login change comes first.
        if request.user.must_change_password:
            allowed.append(reverse("accounts:password_change"))
        return request.path.startswith(tuple(allowed))
