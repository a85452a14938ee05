import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_cas_ng import views as cas_views
from django_cas_ng.models import SessionTicket
from django_cas_ng.utils import get_cas_client
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from qunce.core.actions import local_next, next_url
from qunce.core.forms import add_service_errors
from qunce.core.ratelimit import client_address
from qunce.org import selectors as org_selectors
from qunce.org.access import Action, restrict

from . import campus_login, selectors, services
from .campus_login import ID_TOKEN_SESSION_KEY, NEXT_SESSION_KEY, PROVIDER_SESSION_KEY
from .forms import ApiTokenForm, LoginForm, SecondFactorForm
from .models import ApiToken, LinkedIdentity

CAS = LinkedIdentity.Provider.CAS
OIDC = LinkedIdentity.Provider.OIDC

PENDING_DEVICE_SESSION_KEY = "qunce_pending_totp_device"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            campus_logins=campus_login.campus_logins(),
            password_for_staff=settings.PASSWORD_LOGIN_FOR_STAFF,
        )


class LogoutView(auth_views.LogoutView):
    """Signing out of Qunce signs out of the campus service the session came from as well, so
    the next person at a shared computer is not signed straight back in."""

    def post(self, request, *args, **kwargs):
        provider = request.session.get(PROVIDER_SESSION_KEY)
        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        SessionTicket.objects.filter(session_key=request.session.session_key).delete()
        response = super().post(request, *args, **kwargs)
        login_page = request.build_absolute_uri(reverse("accounts:login"))
        if provider == CAS and campus_login.cas_enabled():
            target = get_cas_client(request=request).get_logout_url(login_page)
        elif provider == OIDC and campus_login.oidc_enabled():
            try:
                target = campus_login.oidc_client().create_logout_url(
                    post_logout_redirect_uri=login_page, id_token_hint=id_token
                )["url"]
            except campus_login.PROTOCOL_ERRORS:
                # A provider without RP-initiated logout (or one that is away): Qunce's own
                # session is over all the same.
                return response
        else:
            return response
        # A page that moves on by itself rather than a redirect: the sign-out form's CSP
        # (form-action 'self') forbids the browser to follow a redirect off this site.
        return render(
            request,
            "accounts/signing_out.html",
            {"target": target, "provider": LinkedIdentity.Provider(provider).label},
        )


def _refused_next(request, provider):
    return campus_login.refuse(
        request,
        provider,
        services.IdentityRefused(
            _("登录后要打开的地址不在群策网站内，已拒绝跳转。"),
            f"off-site next {request.GET.get('next', '')[:200]!r}",
        ),
        status=400,
    )


CAMPUS_LOGIN_LIMIT = ratelimit(
    group="campus-login",
    key=client_address,
    rate=lambda group, request: settings.CAMPUS_LOGIN_RATE,
    method="GET",
    block=True,
)


@method_decorator(csrf_exempt, name="dispatch")  # the CAS server posts its logout requests here
@method_decorator(CAMPUS_LOGIN_LIMIT, name="get")
class CASLoginView(cas_views.LoginView):
    """统一身份认证登录: to the CAS server and back with a ticket, validated for this service
    URL; the CAS server's single-logout requests are posted to the same address."""

    def dispatch(self, request, *args, **kwargs):
        if not campus_login.cas_enabled():
            raise Http404
        self.signed_in_before = request.user.is_authenticated
        # django-cas-ng checks `next` only when CAS_LOGIN_NEXT_PAGE is unset, which its own
        # defaults never leave it: without this check any address would be followed. (The CAS
        # server's logout posts are answered without following anything.)
        if request.method == "GET" and local_next(request) is None:
            return _refused_next(request, CAS)
        try:
            return super().dispatch(request, *args, **kwargs)
        except Ratelimited:
            raise  # a PermissionDenied too, but answered by the rate-limit page
        except PermissionDenied:
            refusal = getattr(request, campus_login.REFUSAL_ATTRIBUTE, None)
            return campus_login.refuse(
                request,
                CAS,
                refusal
                or services.IdentityRefused(_("统一身份认证登录失败，请重新登录。"), "refused"),
            )

    def successful_login(self, request, next_page):
        # Someone already signed in (by password, or OpenID Connect) keeps their session as it
        # is: django-cas-ng does not look at a ticket then.
        if not self.signed_in_before:
            request.session[PROVIDER_SESSION_KEY] = CAS
        return super().successful_login(request, next_page)

    def post(self, request):
        """The CAS server's single-logout request (its user signed out somewhere): end the
        sessions of the tickets it names. Nothing else is posted here, and the answer is empty
        whatever was sent."""
        tickets = campus_login.cas_logout_request_tickets(request.POST.get("logoutRequest"))
        services.cas_sessions_end(tickets=tickets)
        return HttpResponse(status=200)


@never_cache
def oidc_login(request):
    """OpenID Connect 登录: to the provider with state, nonce and a PKCE challenge."""
    if not campus_login.oidc_enabled():
        raise Http404
    target = local_next(request)
    if target is None:
        return _refused_next(request, OIDC)
    if request.user.is_authenticated:
        return redirect(target or settings.LOGIN_REDIRECT_URL)
    request.session[NEXT_SESSION_KEY] = target
    try:
        return campus_login.oidc_client().authorize_redirect(
            request, request.build_absolute_uri(reverse("accounts:oidc_callback"))
        )
    except campus_login.PROTOCOL_ERRORS as error:
        refusal = services.IdentityRefused(
            _("认证服务暂时无法访问，请稍后再试。"), f"discovery failed: {error}"
        )
        return campus_login.refuse(request, OIDC, refusal, status=503)


@never_cache
@CAMPUS_LOGIN_LIMIT
def oidc_callback(request):
    """Back from the provider: the state must be this browser's, the code is exchanged with its
    PKCE verifier, and the ID token is checked before anyone is signed in."""
    if not campus_login.oidc_enabled():
        raise Http404
    try:
        token = campus_login.oidc_client().authorize_access_token(request)
        user = services.identity_sign_in(
            provider=OIDC, **campus_login.oidc_identity(token["userinfo"])
        )
    except services.IdentityRefused as refusal:
        return campus_login.refuse(request, OIDC, refusal)
    except campus_login.PROTOCOL_ERRORS as error:
        refusal = services.IdentityRefused(
            _("登录响应无效或已过期，请重新登录。"), f"{type(error).__name__}: {error}"
        )
        return campus_login.refuse(request, OIDC, refusal)
    target = request.session.pop(NEXT_SESSION_KEY, "")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[PROVIDER_SESSION_KEY] = OIDC
    request.session[ID_TOKEN_SESSION_KEY] = token["id_token"]
    return redirect(target or settings.LOGIN_REDIRECT_URL)


@login_required
def sign_in_methods(request):
    """登录方式: the campus identities linked to this account, and whether it has a password."""
    return render(
        request,
        "accounts/sign_in_methods.html",
        {
            "identities": selectors.identities_of(request.user),
            "has_password": request.user.has_usable_password(),
            "campus_logins": campus_login.campus_logins(),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=self.request.user)
        messages.success(self.request, _("密码已修改。"))
        return response


@login_required
@never_cache  # the page shows a new token once
def api_tokens(request):
    restrict(request.user, Action.MANAGE_API_TOKENS)
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
    restrict(request.user, Action.MANAGE_API_TOKENS)
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        services.api_token_revoke(token=token, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已吊销令牌“%s”，使用它的系统将无法再访问。") % token.name)
    return redirect("accounts:api_tokens")


def _next(request):
    return next_url(request, "home")


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


@login_required
@require_POST
@never_cache  # the page shows a one-time password
def person_account_create(request, pk):
    def account_created(person):
        return services.account_create_for_person(person=person, acting_user=request.user)

    return _one_time_password_page(request, pk, account_created)


@login_required
@require_POST
@never_cache  # the page shows a one-time password
def person_initial_password(request, pk):
    def password_issued(person):
        password = services.account_issue_initial_password(person=person, acting_user=request.user)
        return person.user, password

    return _one_time_password_page(request, pk, password_issued)


def _one_time_password_page(request, pk, issue):
    """Issue (an account, or a first password for one) for a person of the admin's units and
    show the password once; a refusal goes back to the person's page with its reason."""
    person = org_selectors.get_person_for_user(request.user, pk, action="change")
    try:
        account, password = issue(person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("talents:person_detail", pk=person.pk)
    return render(
        request,
        "accounts/account_created.html",
        {"person": person, "account": account, "password": password},
    )
