"""Campus sign-in against real identity servers (a CAS 3.0 server and an OpenID Connect
provider in their own processes): who signs in as whom, and every forged or misdirected
response refused with a page, a log entry and no session."""

import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_cas_ng.models import SessionTicket
from joserfc import jwt
from joserfc.jwk import RSAKey

from qunce.accounts import campus_login, services
from qunce.accounts.models import LinkedIdentity, User
from qunce.core.models import AuditEvent
from qunce.org.models import RoleGrant
from qunce.org.tests.factories import PersonFactory, Role, UserFactory, grant, unit_root

from .conftest import (
    KNOWN_STAFF_NO,
    SECOND_STAFF_NO,
    STRANGER_STAFF_NO,
    cas_ticket_redirect,
    oidc_code_redirect,
    path_and_query,
    query_value,
)
from .identity_servers import CLIENT_ID

pytestmark = pytest.mark.django_db


@pytest.fixture
def campus_person():
    """A person in the registry whose 工号 the identity servers know, with no account yet."""
    return PersonFactory(unit=unit_root(name="测试大学", code="U"), staff_no=KNOWN_STAFF_NO)


def refusals():
    return AuditEvent.objects.filter(action="identity_refused")


def assert_refused(response, text, status=403):
    assert response.status_code == status
    page = response.content.decode()
    assert "无法登录" in page and text in page
    assert SESSION_KEY not in response.wsgi_request.session
    assert refusals().exists()


# -- CAS ------------------------------------------------------------------------------------


def cas_sign_in(client, username=KNOWN_STAFF_NO, next_path="/"):
    """Qunce → the CAS server's login form → back to Qunce with a ticket."""
    to_cas = client.get(f"/accounts/cas/login/?next={next_path}")
    assert to_cas.status_code == 302
    back = cas_ticket_redirect(to_cas["Location"], username)
    return client.get(path_and_query(back)), back


def test_cas_button_only_when_configured(client, settings, cas_server):
    assert "统一身份认证登录" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/cas/login/").status_code == 404
    settings.CAS_SERVER_URL = cas_server
    page = client.get("/accounts/login/?next=/org/").content.decode()
    assert "统一身份认证登录" in page
    assert 'href="/accounts/cas/login/?next=/org/"' in page


def test_cas_sends_the_browser_to_the_server_with_this_sites_service_url(client, cas_configured):
    response = client.get("/accounts/cas/login/?next=/org/")
    assert response.status_code == 302
    assert response["Location"].startswith(f"{cas_configured}login?service=")
    assert query_value(response["Location"], "service") == (
        "http://testserver/accounts/cas/login/?next=%2Forg%2F"
    )


def test_cas_service_url_behind_a_reverse_proxy_is_the_public_one(client, settings, cas_configured):
    """With TRUSTED_PROXY_COUNT set, the proxy's X-Forwarded-Host and -Proto make the URL."""
    settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["qunce.example.edu.cn"]
    response = client.get(
        "/accounts/cas/login/",
        HTTP_X_FORWARDED_HOST="qunce.example.edu.cn",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert query_value(response["Location"], "service").startswith(
        "https://qunce.example.edu.cn/accounts/cas/login/?next="
    )


def test_cas_first_sign_in_makes_the_persons_account_and_links_it(
    client, cas_configured, campus_person
):
    response, _back = cas_sign_in(client, next_path="/org/")
    assert response.status_code == 302 and response["Location"] == "/org/"
    campus_person.refresh_from_db()
    user = campus_person.user
    assert user.username == KNOWN_STAFF_NO and user.first_name == campus_person.name
    assert not user.has_usable_password()
    assert int(client.session[SESSION_KEY]) == user.pk
    assert client.session[campus_login.PROVIDER_SESSION_KEY] == "cas"
    identity = LinkedIdentity.objects.get(user=user)
    assert (identity.provider, identity.subject, identity.issuer, identity.staff_no) == (
        "cas",
        KNOWN_STAFF_NO,
        cas_configured,
        KNOWN_STAFF_NO,
    )
    assert identity.last_login_at is not None
    assert not RoleGrant.objects.filter(user=user).exists()


def test_cas_signs_in_as_the_persons_existing_account(client, cas_configured, campus_person):
    account = UserFactory(username="wang.password")
    campus_person.user = account
    campus_person.save()
    cas_sign_in(client)
    assert int(client.session[SESSION_KEY]) == account.pk
    assert User.objects.count() == 1
    # The next sign-in goes by the link, not a second account.
    client.logout()
    cas_sign_in(client)
    assert int(client.session[SESSION_KEY]) == account.pk
    link = LinkedIdentity.objects.get(user=account)
    assert link.staff_no == KNOWN_STAFF_NO


def test_cas_staff_number_from_an_attribute_when_set(
    client, settings, cas_configured, campus_person
):
    """A CAS that releases no such attribute cannot say who the person is: refused."""
    settings.CAS_STAFF_NO_ATTRIBUTE = "employeeNumber"
    response, _back = cas_sign_in(client)
    assert_refused(response, "没有给出您的工号")
    assert not User.objects.exists()


def test_cas_identity_of_nobody_in_the_registry_is_refused_and_logged(
    client, cas_configured, campus_person
):
    response, _back = cas_sign_in(client, username=STRANGER_STAFF_NO)
    assert_refused(response, f"工号 {STRANGER_STAFF_NO} 不在群策的人员名册中")
    assert not User.objects.exists() and not LinkedIdentity.objects.exists()
    refusal = refusals().get()
    assert refusal.target_id == "cas" and STRANGER_STAFF_NO in refusal.changes["detail"]


def test_cas_deactivated_account_is_refused(client, cas_configured, campus_person):
    campus_person.user = UserFactory(username=KNOWN_STAFF_NO, is_active=False)
    campus_person.save()
    response, _back = cas_sign_in(client)
    assert_refused(response, "账号已停用")


def test_cas_forged_ticket_is_refused(client, cas_configured, campus_person):
    response = client.get("/accounts/cas/login/?next=%2F&ticket=ST-1-forgedforgedforged")
    assert_refused(response, "登录凭据无效")
    assert not User.objects.exists()


def test_cas_replayed_ticket_is_refused(client, cas_configured, campus_person):
    _first, back = cas_sign_in(client)
    assert SESSION_KEY in client.session
    client.logout()
    replay = client.get(path_and_query(back))
    assert_refused(replay, "登录凭据无效")


def test_cas_ticket_for_another_service_url_is_refused(client, cas_configured, campus_person):
    """A ticket the CAS server issued for /org/ is shown to the service URL of /."""
    to_cas = client.get("/accounts/cas/login/?next=/org/")
    back = cas_ticket_redirect(to_cas["Location"])
    ticket = query_value(back, "ticket")
    response = client.get(f"/accounts/cas/login/?next=%2F&ticket={ticket}")
    assert_refused(response, "登录凭据无效")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_cas_open_redirect_is_refused_before_the_server(client, cas_configured, target):
    response = client.get(f"/accounts/cas/login/?next={target}")
    assert_refused(response, "不在群策网站内", status=400)


def test_cas_server_away_is_a_refusal_not_a_500(client, settings):
    settings.CAS_SERVER_URL = "http://127.0.0.1:9/cas/"
    response = client.get("/accounts/cas/login/?next=%2F&ticket=ST-1-any")
    assert_refused(response, "暂时无法访问")


# -- OpenID Connect -------------------------------------------------------------------------


def oidc_start(client, next_path="/"):
    response = client.get(f"/accounts/oidc/login/?next={next_path}")
    assert response.status_code == 302
    return response["Location"]


def test_oidc_button_only_when_configured(client, settings, oidc_provider):
    assert "OpenID Connect 登录" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/oidc/callback/").status_code == 404
    settings.OIDC_DISCOVERY_URL = f"{oidc_provider}/o/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = CLIENT_ID
    assert "OpenID Connect 登录" in client.get("/accounts/login/").content.decode()


def test_oidc_asks_with_state_nonce_and_a_pkce_challenge(client, oidc_configured):
    authorize = oidc_start(client)
    assert authorize.startswith(f"{oidc_configured}/o/authorize/")
    for name in ("state", "nonce", "code_challenge"):
        assert len(query_value(authorize, name)) >= 20
    assert query_value(authorize, "code_challenge_method") == "S256"
    assert query_value(authorize, "redirect_uri") == "http://testserver/accounts/oidc/callback/"


def test_oidc_sign_in_makes_the_persons_account(client, oidc_configured, campus_person):
    back = oidc_code_redirect(oidc_start(client, "/org/"))
    response = client.get(path_and_query(back))
    assert response.status_code == 302 and response["Location"] == "/org/"
    campus_person.refresh_from_db()
    assert int(client.session[SESSION_KEY]) == campus_person.user_id
    identity = LinkedIdentity.objects.get(user_id=campus_person.user_id)
    assert identity.provider == "oidc" and identity.issuer == f"{oidc_configured}/o"
    assert client.session[campus_login.ID_TOKEN_SESSION_KEY].count(".") == 2
    assert not RoleGrant.objects.exists()


def test_oidc_claim_naming_the_staff_number_is_a_setting(
    client, settings, oidc_configured, campus_person
):
    PersonFactory(unit=campus_person.unit, staff_no=SECOND_STAFF_NO)
    settings.OIDC_STAFF_NO_CLAIM = "no_such_claim"
    response = client.get(path_and_query(oidc_code_redirect(oidc_start(client))))
    assert_refused(response, "没有给出您的工号")


def test_oidc_identity_of_nobody_in_the_registry_is_refused(client, oidc_configured, campus_person):
    back = oidc_code_redirect(oidc_start(client), username=STRANGER_STAFF_NO)
    assert_refused(client.get(path_and_query(back)), f"工号 {STRANGER_STAFF_NO}")
    assert not User.objects.exists()


def test_oidc_wrong_state_is_refused(client, oidc_configured, campus_person):
    back = oidc_code_redirect(oidc_start(client))
    forged = path_and_query(back).replace(query_value(back, "state"), "forged-state-value")
    assert_refused(client.get(forged), "登录响应无效")


def test_oidc_response_for_another_browser_is_refused(client, oidc_configured, campus_person):
    """A callback carried to a browser that did not start the sign-in has no state there."""
    back = oidc_code_redirect(oidc_start(client))
    assert_refused(Client().get(path_and_query(back)), "登录响应无效")


def test_oidc_wrong_nonce_is_refused(client, oidc_configured, campus_person):
    authorize = oidc_start(client)
    state = query_value(authorize, "state")
    session = client.session
    key = next(name for name in list(session.keys()) if name.endswith(state))
    stored = session[key]
    stored["data"]["nonce"] = "a-nonce-this-browser-never-sent"
    session[key] = stored
    session.save()
    response = client.get(path_and_query(oidc_code_redirect(authorize)))
    assert_refused(response, "登录响应无效")
    assert "nonce" in refusals().get().changes["detail"]


def test_oidc_code_used_twice_is_refused(client, oidc_configured, campus_person):
    back = oidc_code_redirect(oidc_start(client))
    assert client.get(path_and_query(back)).status_code == 302
    client.logout()
    assert_refused(client.get(path_and_query(back)), "登录响应无效")


def test_oidc_provider_error_answer_is_refused(client, oidc_configured):
    oidc_start(client)
    response = client.get("/accounts/oidc/callback/?error=access_denied&state=x")
    assert_refused(response, "登录响应无效")


def test_oidc_open_redirect_is_refused(client, oidc_configured):
    assert_refused(
        client.get("/accounts/oidc/login/?next=https://evil.example/"), "不在群策网站内", 400
    )
    assert_refused(client.get("/accounts/oidc/login/?next=//evil.example/x"), "不在群策网站内", 400)
    assert_refused(client.get("/accounts/oidc/login/?next=/\\evil.example"), "不在群策网站内", 400)


def test_oidc_provider_away_is_a_refusal_not_a_500(client, settings):
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/o/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = CLIENT_ID
    assert_refused(client.get("/accounts/oidc/login/"), "暂时无法访问", 503)


# The ID token's own checks, on tokens made here and read by the same client Qunce uses, with the
# provider's published keys: each must fail for its one fault and the untouched token pass.


@pytest.fixture
def id_token_claims(oidc_configured):
    now = int(time.time())
    return {
        "iss": f"{oidc_configured}/o",
        "aud": CLIENT_ID,
        "sub": "1",
        "nonce": "the-nonce",
        "iat": now,
        "exp": now + 300,
    }


def _signed(claims, key_pem):
    key = RSAKey.import_key(key_pem)
    return jwt.encode({"alg": "RS256", "kid": key.thumbprint()}, claims, key)


@pytest.fixture
def parse_id_token(oidc_configured):
    client = campus_login.oidc_client()

    def parse(id_token):
        return client.parse_id_token({"id_token": id_token, "access_token": "x"}, "the-nonce")

    return parse


def test_untouched_id_token_passes(parse_id_token, id_token_claims, oidc_signing_key):
    assert parse_id_token(_signed(id_token_claims, oidc_signing_key))["sub"] == "1"


@pytest.mark.parametrize(
    "fault",
    [
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
        {"iss": "https://other-provider.example/o"},
        {"aud": "another-client"},
        {"nonce": "another-nonce"},
    ],
    ids=["expired", "wrong-iss", "wrong-aud", "wrong-nonce"],
)
def test_faulty_id_token_is_rejected(parse_id_token, id_token_claims, oidc_signing_key, fault):
    with pytest.raises(campus_login.PROTOCOL_ERRORS):
        parse_id_token(_signed({**id_token_claims, **fault}, oidc_signing_key))


def test_id_token_signed_by_another_key_is_rejected(parse_id_token, id_token_claims):
    from .identity_servers import rsa_private_key_pem

    with pytest.raises(campus_login.PROTOCOL_ERRORS):
        parse_id_token(_signed(id_token_claims, rsa_private_key_pem()))


# -- password login and what a person sees --------------------------------------------------


def _account_with_password(username, **values):
    account = UserFactory(username=username, **values)
    account.set_password("a-long-password-1")
    account.save()
    return account


def test_password_login_can_be_kept_for_outsiders_and_break_glass_only(
    client, settings, campus_person
):
    settings.PASSWORD_LOGIN_FOR_STAFF = False
    campus_person.user = _account_with_password("staff01")
    campus_person.save()
    _account_with_password("enterprise01")
    PersonFactory(unit=campus_person.unit, user=_account_with_password("root", is_superuser=True))
    page = client.get("/accounts/login/").content.decode()
    assert "校外单位账号和应急管理员账号可用密码登录" in page

    # The right password of a person in the registry gets the answer a wrong one gets.
    refused = client.post(
        "/accounts/login/", {"username": "staff01", "password": "a-long-password-1"}
    )
    assert refused.status_code == 200 and "用户名或密码错误" in refused.content.decode()
    assert SESSION_KEY not in client.session
    for allowed in ("enterprise01", "root"):
        answer = client.post(
            "/accounts/login/", {"username": allowed, "password": "a-long-password-1"}
        )
        assert answer.status_code == 302, allowed
        client.logout()


def test_the_admin_sites_login_follows_the_same_password_rule(client, settings, campus_person):
    settings.PASSWORD_LOGIN_FOR_STAFF = False
    campus_person.user = _account_with_password("staff01", is_staff=True)
    campus_person.save()
    refused = client.post(
        "/django-admin/login/", {"username": "staff01", "password": "a-long-password-1"}
    )
    assert refused.status_code == 200 and SESSION_KEY not in client.session
    settings.PASSWORD_LOGIN_FOR_STAFF = True
    client.post("/django-admin/login/", {"username": "staff01", "password": "a-long-password-1"})
    assert SESSION_KEY in client.session


def test_sign_in_methods_page_lists_the_linked_identities(client, cas_configured, campus_person):
    cas_sign_in(client)
    page = client.get("/accounts/sign-in-methods/").content.decode()
    assert "统一身份认证（CAS）" in page and KNOWN_STAFF_NO in page
    assert "本账号没有密码" in page


def test_signing_out_forgets_the_sessions_cas_ticket(client, cas_configured, campus_person):
    cas_sign_in(client)
    assert SessionTicket.objects.count() == 1
    response = client.post("/accounts/logout/")
    assert SessionTicket.objects.count() == 0
    # Out of Qunce at once; the page then takes the browser to the CAS server's logout.
    assert SESSION_KEY not in client.session
    assert f'content="0;url={cas_configured}logout?service=' in response.content.decode()


def test_tickets_of_ended_sessions_are_purged(client, cas_configured, campus_person):
    cas_sign_in(client)
    SessionTicket.objects.create(session_key="ended-session-key", ticket="ST-1-old")
    assert services.ended_sessions_purge() == 1
    assert list(SessionTicket.objects.values_list("session_key", flat=True)) == [
        client.session.session_key
    ]


def logout_request(ticket):
    """A CAS server's single-logout request, as the CAS protocol (SAML 2.0) writes it."""
    return (
        '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1" Version="2.0" '
        'IssueInstant="2026-12-06T12:00:00Z"><saml:NameID>@NOT_USED@</saml:NameID>'
        f"<samlp:SessionIndex>{ticket}</samlp:SessionIndex></samlp:LogoutRequest>"
    )


def test_single_logout_request_ends_the_session_of_its_ticket(
    client, cas_configured, campus_person
):
    _signed_in, back = cas_sign_in(client)
    other = Client()
    cas_sign_in(other)
    # The CAS server posts without a CSRF token: it is not a browser of this site.
    server = Client(enforce_csrf_checks=True)
    answer = server.post(
        "/accounts/cas/login/?next=%2F",
        {
            "logoutRequest": logout_request(query_value(back, "ticket")),
            "next": "https://evil.example/",
        },
    )
    assert answer.status_code == 200 and answer.content == b""
    assert client.get("/").status_code == 302
    assert other.get("/").status_code == 200
    assert SessionTicket.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        "<not xml",
        '<?xml version="1.0" encoding="utf-8"?><samlp:LogoutRequest/>',
        "<LogoutRequest><SessionIndex>ST-1</SessionIndex></LogoutRequest>",
        "",
    ],
    ids=["broken", "encoding-declaration", "no-namespace", "empty"],
)
def test_malformed_logout_request_ends_nothing_and_never_fails(
    client, cas_configured, campus_person, body
):
    cas_sign_in(client)
    answer = Client(enforce_csrf_checks=True).post("/accounts/cas/login/", {"logoutRequest": body})
    assert answer.status_code == 200
    assert client.get("/").status_code == 200


class NotACasServer(BaseHTTPRequestHandler):
    """A 'CAS server' behind a broken proxy: an HTML error page, or an empty CAS answer."""

    answers = {
        "/html/": (502, "text/html", "<html><body>502 Bad Gateway</body></html>"),
        "/empty/": (
            200,
            "text/xml",
            '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"/>',
        ),
        "/no-user/": (
            200,
            "text/xml",
            '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">'
            "<cas:authenticationSuccess></cas:authenticationSuccess></cas:serviceResponse>",
        ),
    }

    def do_GET(self):
        prefix = next(p for p in self.answers if self.path.startswith(p))
        status, content_type, body = self.answers[prefix]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def not_a_cas_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotACasServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.parametrize("answer", ["/html/", "/empty/", "/no-user/"])
def test_a_cas_answer_that_is_not_one_is_refused_not_a_500(
    client, settings, not_a_cas_server, answer
):
    settings.CAS_SERVER_URL = f"{not_a_cas_server}{answer}"
    response = client.get("/accounts/cas/login/?next=%2F&ticket=ST-1-any")
    assert response.status_code == 403 and SESSION_KEY not in client.session
    assert refusals().exists()


def test_someone_signed_in_keeps_their_session_when_a_ticket_comes(
    client, cas_configured, campus_person
):
    account = UserFactory()
    client.force_login(account)
    session = client.session
    session[campus_login.PROVIDER_SESSION_KEY] = "oidc"
    session.save()
    response = client.get("/accounts/cas/login/?next=%2F&ticket=ST-1-someone-elses")
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == account.pk
    assert client.session[campus_login.PROVIDER_SESSION_KEY] == "oidc"


def test_refused_tickets_do_not_lock_out_the_address(client, cas_configured, campus_person):
    """A campus NAT sends many people's sign-ins from one address: refusals there must not
    lock the next person out (django-axes counts failures per username and address)."""
    for attempt in range(8):
        client.get(f"/accounts/cas/login/?next=%2F&ticket=ST-{attempt}-forged")
    response, _back = cas_sign_in(client)
    assert response.status_code == 302 and SESSION_KEY in client.session


def test_an_identity_whose_staff_number_now_leads_elsewhere_is_refused(
    client, cas_configured, campus_person
):
    cas_sign_in(client)
    client.logout()
    campus_person.user = UserFactory(username="replacement")
    campus_person.save()
    response, _back = cas_sign_in(client)
    assert_refused(response, "已关联到另一个群策账号")


def test_administrators_still_give_their_second_factor_after_campus_sign_in(
    client, cas_configured, campus_person
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    account = UserFactory(username=KNOWN_STAFF_NO)
    campus_person.user = account
    campus_person.save()
    grant(account, Role.ORG_ADMIN)
    TOTPDevice.objects.create(user=account, name="手机", confirmed=True)
    cas_sign_in(client)
    response = client.get("/talents/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/verify/")


def test_roles_never_come_from_the_identity_provider_by_default(
    client, oidc_configured, campus_person
):
    counsellor = PersonFactory(unit=campus_person.unit, staff_no=SECOND_STAFF_NO)
    back = oidc_code_redirect(oidc_start(client), username=SECOND_STAFF_NO)
    client.get(path_and_query(back))
    counsellor.refresh_from_db()
    assert counsellor.user_id and not RoleGrant.objects.exists()


def test_a_mapped_claim_gives_and_takes_its_role(client, settings, oidc_configured, campus_person):
    """The provider lists SECOND_STAFF_NO in its 心理中心 group (its `affiliation` claim)."""
    settings.IDENTITY_ROLE_CLAIM = "affiliation"
    settings.IDENTITY_ROLE_MAP = {"心理中心": "counsellor"}
    counsellor = PersonFactory(unit=campus_person.unit, staff_no=SECOND_STAFF_NO)
    client.get(path_and_query(oidc_code_redirect(oidc_start(client), username=SECOND_STAFF_NO)))
    counsellor.refresh_from_db()
    assert list(RoleGrant.objects.values_list("user_id", "role", "unit")) == [
        (counsellor.user_id, "counsellor", None)
    ]
    # Someone the provider does not list loses the mapped role they held, and keeps the rest.
    client.logout()
    campus_person.user = UserFactory(username=KNOWN_STAFF_NO)
    campus_person.save()
    grant(campus_person.user, Role.COUNSELLOR)
    grant(campus_person.user, Role.UNIT_ADMIN, campus_person.unit)
    client.get(path_and_query(oidc_code_redirect(oidc_start(client))))
    assert set(
        RoleGrant.objects.filter(user=campus_person.user).values_list("role", flat=True)
    ) == {"unit_admin"}


def test_only_counselling_roles_can_be_mapped():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "qunce.settings",
            "IDENTITY_ROLE_MAP": "组织部:org_admin",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "IDENTITY_ROLE_MAP" in result.stderr


def test_campus_sign_in_answers_are_limited_per_address(client, settings, cas_configured):
    settings.CAMPUS_LOGIN_RATE = "2/m"
    for attempt in range(2):
        response = client.get(f"/accounts/cas/login/?next=%2F&ticket=ST-{attempt}-forged")
        assert response.status_code == 403
    limited = client.get("/accounts/cas/login/?next=%2F&ticket=ST-3-forged")
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    # The CAS server's logout requests are not the browser's budget.
    assert client.post("/accounts/cas/login/", {"logoutRequest": ""}).status_code == 200


def test_openid_callbacks_are_limited_per_address(client, settings, oidc_configured):
    settings.CAMPUS_LOGIN_RATE = "2/m"
    for _ in range(2):
        assert client.get("/accounts/oidc/callback/?code=x&state=forged").status_code == 403
    assert client.get("/accounts/oidc/callback/?code=x&state=forged").status_code == 429
