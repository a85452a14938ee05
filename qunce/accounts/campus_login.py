"""Campus sign-in over the two protocols universities' identity services speak.

CAS (2.0/3.0, the usual 统一身份认证): django-cas-ng runs the redirects, asks the CAS server
to validate each ticket against this site's service URL (python-cas), and keeps the ticket ↔
session table that single logout needs. OpenID Connect: Authlib runs the authorization-code
flow with PKCE, checks `state`, and checks the ID token's signature (the provider's published
keys), `iss`, `aud`, `exp`, `iat` and `nonce`. Both end in `services.identity_sign_in`, which
decides who the identity is."""

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import OAuth
from cas import CASClientV3
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_cas_ng.backends import CASBackend
from django_cas_ng.utils import get_cas_client
from joserfc.errors import JoseError
from lxml import etree

from qunce.core.ratelimit import client_address

from . import services
from .models import LinkedIdentity

# Which campus service signed this session in (and, for OpenID Connect, its ID token): signing
# out of Qunce then signs out there too.
PROVIDER_SESSION_KEY = "qunce_identity_provider"
ID_TOKEN_SESSION_KEY = "qunce_oidc_id_token"
NEXT_SESSION_KEY = "qunce_oidc_next"
REFUSAL_ATTRIBUTE = "qunce_identity_refusal"

# What an identity provider or a forged response can make the libraries raise: a refusal, never
# a 500. (Authlib raises RuntimeError for a discovery document that lacks an endpoint.)
PROTOCOL_ERRORS = (
    AuthlibBaseError,
    JoseError,
    requests.RequestException,
    ValueError,
    KeyError,
    RuntimeError,
)
# What python-cas raises on a CAS server's answer that is not a CAS answer (a proxy's HTML
# error page, an empty or truncated response): SyntaxError is ElementTree's ParseError.
CAS_ANSWER_ERRORS = (
    requests.RequestException,
    ValueError,
    SyntaxError,
    IndexError,
    AttributeError,
    KeyError,
    TypeError,
)


def cas_enabled():
    return bool(settings.CAS_SERVER_URL)


def oidc_enabled():
    return bool(settings.OIDC_DISCOVERY_URL and settings.OIDC_CLIENT_ID)


# The buttons' default labels (settings CAS_LOGIN_LABEL, OIDC_LOGIN_LABEL), in the catalogue so
# that the login page translates them; a campus's own label is shown as it is set.
DEFAULT_LABELS = (gettext_noop("统一身份认证登录"), gettext_noop("OpenID Connect 登录"))


def campus_logins():
    """(label, URL name) of each campus sign-in set up here, for the login page."""
    logins = []
    if cas_enabled():
        logins.append((settings.CAS_LOGIN_LABEL, "accounts:cas_login"))
    if oidc_enabled():
        logins.append((settings.OIDC_LOGIN_LABEL, "accounts:oidc_login"))
    return logins


class TimedSession(requests.Session):
    """python-cas asks the CAS server with no timeout: a hung server would hold a web process."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", settings.IDENTITY_PROVIDER_TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


def axes_leaves_cas_tickets_alone(request, credentials=None):
    """django-axes counts failures per (username, address); a CAS ticket has no username, so
    every refused ticket from one address (a campus NAT) would lock CAS sign-in for everyone
    behind it. A ticket cannot be guessed, and the CAS server keeps its own password lockout."""
    return bool(credentials) and "ticket" in credentials


def cas_logout_request_tickets(logout_request):
    """The service tickets a CAS server's single-logout request names (none if it is not one)."""
    if not logout_request:
        return []
    try:
        indexes = CASClientV3.get_saml_slos(logout_request) or []
    except (ValueError, etree.LxmlError):
        return []
    return [index.text.strip() for index in indexes if index.text and index.text.strip()]


def refuse(request, provider, refusal, status=403):
    """The clear page for a refused sign-in; the refusal is logged with the address."""
    services.identity_refusal_record(
        provider=provider,
        reason=refusal.message,
        detail=refusal.detail,
        address=client_address("campus-login", request),
    )
    return render(
        request,
        "accounts/identity_refused.html",
        {"reason": refusal.message, "provider": LinkedIdentity.Provider(provider).label},
        status=status,
    )


class CampusCASBackend(CASBackend):
    """Validates a CAS ticket with the CAS server and signs in as the person whose 工号 the
    identity carries (the CAS user id, or the attribute CAS_STAFF_NO_ATTRIBUTE names)."""

    def authenticate(self, request, ticket, service):
        client = get_cas_client(service_url=service, request=request)
        client.session = TimedSession()
        try:
            user_id, attributes, _proxy_ticket = client.verify_ticket(ticket)
        except CAS_ANSWER_ERRORS as error:
            return self._refused(
                request,
                services.IdentityRefused(
                    _("统一身份认证服务暂时无法访问，请稍后再试。"), f"validation failed: {error}"
                ),
            )
        if not user_id:
            # python-cas answers None for a forged, used or expired ticket and for one issued
            # to another service URL alike; the CAS server's reason is in its own log.
            return self._refused(
                request,
                services.IdentityRefused(
                    _("登录凭据无效或已使用过，请重新登录。"),
                    f"ticket {ticket[:40]!r} not valid for {service}",
                ),
            )
        attribute = settings.CAS_STAFF_NO_ATTRIBUTE
        staff_no = (attributes or {}).get(attribute) if attribute else user_id
        if isinstance(staff_no, list):
            staff_no = staff_no[0] if staff_no else ""
        try:
            return services.identity_sign_in(
                provider=LinkedIdentity.Provider.CAS,
                issuer=settings.CAS_SERVER_URL,
                subject=user_id,
                staff_no=staff_no,
                roles=identity_roles(attributes),
            )
        except services.IdentityRefused as refusal:
            return self._refused(request, refusal)

    @staticmethod
    def _refused(request, refusal):
        # Django's authenticate() only passes on None: the view reads the reason from here.
        setattr(request, REFUSAL_ATTRIBUTE, refusal)


def identity_roles(claims):
    """The Qunce roles an identity's claims or CAS attributes carry under IDENTITY_ROLE_MAP, or
    None when no mapping is set up (roles are then Qunce's alone)."""
    if not (settings.IDENTITY_ROLE_CLAIM and settings.IDENTITY_ROLE_MAP):
        return None
    values = (claims or {}).get(settings.IDENTITY_ROLE_CLAIM) or []
    if isinstance(values, str):
        values = [values]
    return {
        settings.IDENTITY_ROLE_MAP[value] for value in values if value in settings.IDENTITY_ROLE_MAP
    }


def oidc_client():
    """The OpenID Connect client, from the provider's discovery document. Built per sign-in:
    sign-ins are rare, and a changed key set or setting is then seen at once."""
    oauth = OAuth()
    return oauth.register(
        "campus",
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        server_metadata_url=settings.OIDC_DISCOVERY_URL,
        client_kwargs={
            "scope": settings.OIDC_SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": settings.IDENTITY_PROVIDER_TIMEOUT_SECONDS,
        },
    )


def oidc_identity(claims):
    """The identity_sign_in arguments the verified ID token's claims give."""
    return {
        "issuer": claims["iss"],
        "subject": claims["sub"],
        "staff_no": str(claims.get(settings.OIDC_STAFF_NO_CLAIM) or ""),
        "roles": identity_roles(claims),
    }
