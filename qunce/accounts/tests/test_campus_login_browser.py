"""A teacher signs in through each campus identity service in Chromium, lands on the
workbench as themselves, and signs out of Qunce and of the identity service alike."""

import re

import pytest

from qunce.conftest import SCREENSHOTS, shot
from qunce.org.tests.factories import PersonFactory, unit_child, unit_root

from .conftest import KNOWN_STAFF_NO, STRANGER_STAFF_NO, configure_oidc
from .identity_servers import PASSWORD, identity_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def teacher():
    university = unit_root(name="示范科技大学", code="U")
    school = unit_child(university, name="材料与冶金学院", code="M")
    return PersonFactory(unit=school, staff_no=KNOWN_STAFF_NO, name="王建国")


def sign_in_on_the_identity_server(page, staff_no=KNOWN_STAFF_NO):
    page.fill("#id_username", staff_no)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").first.click()


def test_cas_sign_in_on_a_phone_and_single_logout(
    live_server, browser, settings, cas_server, teacher
):
    settings.CAS_SERVER_URL = cas_server
    folder = SCREENSHOTS / "campus_login_cas"
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")

    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    shot(page, folder, "01-login-page")
    page.get_by_role("link", name="统一身份认证登录").click()
    page.wait_for_url(re.compile(re.escape(cas_server) + "login"))
    shot(page, folder, "02-cas-server")
    sign_in_on_the_identity_server(page)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="菜单").click()
    assert page.locator(".who").inner_text() == "王建国"
    shot(page, folder, "03-workbench")

    # Signing out of Qunce signs out of the CAS server too (and back to Qunce's login page):
    # its login form asks again.
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    shot(page, folder, "04-signed-out")
    page.goto(f"{live_server.url}/accounts/cas/login/")
    page.wait_for_url(re.compile(re.escape(cas_server) + "login"))
    assert page.locator("#id_password").is_visible()

    # Single logout: signing out at the CAS server (from another campus system) ends the
    # Qunce session through the server's logout request.
    sign_in_on_the_identity_server(page)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{cas_server}logout")
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    shot(page, folder, "05-after-single-logout")

    # Someone the CAS server knows but the registry does not is told so, and stays out.
    page.get_by_role("link", name="统一身份认证登录").click()
    sign_in_on_the_identity_server(page, STRANGER_STAFF_NO)
    page.wait_for_selector("text=无法登录")
    assert f"工号 {STRANGER_STAFF_NO} 不在群策的人员名册中" in page.inner_text("main")
    shot(page, folder, "06-stranger-refused")
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/accounts/login/"))


def test_oidc_sign_in_on_a_desktop_and_out_of_the_provider(
    live_server, browser, settings, tmp_path, oidc_signing_key, teacher
):
    with identity_server(
        "oidc",
        tmp_path / "oidc-provider",
        usernames=[KNOWN_STAFF_NO],
        redirect_uris=[f"{live_server.url}/accounts/oidc/callback/"],
        key_pem=oidc_signing_key,
    ) as provider:
        configure_oidc(settings, provider)
        settings.OIDC_LOGIN_LABEL = "省教育云统一登录"
        folder = SCREENSHOTS / "campus_login_oidc"
        page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")

        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("link", name="省教育云统一登录").click()
        page.wait_for_url(re.compile(re.escape(provider) + "/accounts/login/"))
        shot(page, folder, "01-provider-login")
        sign_in_on_the_identity_server(page)
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator(".who").inner_text() == "王建国"
        shot(page, folder, "02-workbench")

        page.get_by_role("link", name="登录方式").click()
        assert "OpenID Connect" in page.locator("table.list").inner_text()
        shot(page, folder, "03-sign-in-methods")

        # Out of Qunce and, through the provider's end-session endpoint, out of the provider.
        page.get_by_role("button", name="退出").click()
        page.wait_for_url(re.compile(re.escape(f"{live_server.url}/accounts/login/")))
        page.get_by_role("link", name="省教育云统一登录").click()
        page.wait_for_url(re.compile(re.escape(provider) + "/accounts/login/"))
        assert page.locator("#id_password").is_visible()
        shot(page, folder, "04-provider-asks-again")
