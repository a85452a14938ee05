"""The campus identity servers the sign-in tests talk to, started once per test run, and the
steps a person takes on them (their login forms), done over HTTP with requests."""

from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.html
import pytest
import requests

from .identity_servers import CLIENT_ID, CLIENT_SECRET, PASSWORD, identity_server
from .identity_servers import rsa_private_key_pem as new_key

# Accounts on both identity servers, named by 工号 as a campus names them.
KNOWN_STAFF_NO = "CAMPUS001"
SECOND_STAFF_NO = "CAMPUS002"
STRANGER_STAFF_NO = "STRANGER9"
IDENTITY_USERNAMES = [KNOWN_STAFF_NO, SECOND_STAFF_NO, STRANGER_STAFF_NO]
TEST_CLIENT_CALLBACK = "http://testserver/accounts/oidc/callback/"


@pytest.fixture(scope="session")
def cas_server(tmp_path_factory):
    with identity_server(
        "cas", tmp_path_factory.mktemp("cas-server"), usernames=IDENTITY_USERNAMES
    ) as base_url:
        yield f"{base_url}/cas/"


@pytest.fixture(scope="session")
def oidc_signing_key():
    return new_key()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory, oidc_signing_key):
    with identity_server(
        "oidc",
        tmp_path_factory.mktemp("oidc-provider"),
        usernames=IDENTITY_USERNAMES,
        redirect_uris=[TEST_CLIENT_CALLBACK],
        key_pem=oidc_signing_key,
    ) as base_url:
        yield base_url


@pytest.fixture
def cas_configured(settings, cas_server):
    settings.CAS_SERVER_URL = cas_server
    return cas_server


def configure_oidc(settings, provider_url):
    settings.OIDC_DISCOVERY_URL = f"{provider_url}/o/.well-known/openid-configuration"
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET


@pytest.fixture
def oidc_configured(settings, oidc_provider):
    configure_oidc(settings, oidc_provider)
    return oidc_provider


def _submit_login_form(session, response, username):
    """Fill the identity server's login form as its user would and send it; return the
    redirect the server answers with (not followed: it points back at Qunce)."""
    page = lxml.html.fromstring(response.text, base_url=response.url)
    form = page.forms[0]
    values = dict(form.form_values())
    values.update(username=username, password=PASSWORD)
    action = form.action or response.url
    return session.post(action, data=values, allow_redirects=False, timeout=10)


def cas_ticket_redirect(cas_login_url, username=KNOWN_STAFF_NO):
    """Sign in on the CAS server at the URL Qunce sent the browser to; return the URL the
    server sends the browser back to (Qunce's service URL with a ticket)."""
    session = requests.Session()
    form = session.get(cas_login_url, timeout=10)
    answer = _submit_login_form(session, form, username)
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


def oidc_code_redirect(authorize_url, username=KNOWN_STAFF_NO):
    """Follow the provider's authorization URL, sign in on its login page, and return the URL
    it sends the browser back to (the callback with code and state)."""
    session = requests.Session()
    login_page = session.get(authorize_url, timeout=10)
    answer = _submit_login_form(session, login_page, username)
    # The login form sends the browser back to the authorization endpoint, which now answers
    # with the redirect to Qunce.
    assert answer.status_code == 302, answer.text[:500]
    authorize_again = urljoin(login_page.url, answer.headers["Location"])
    back = session.get(authorize_again, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:500]
    return back.headers["Location"]


def path_and_query(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def query_value(url, name):
    return parse_qs(urlsplit(url).query)[name][0]
