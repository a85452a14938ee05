"""A CAS 3.0 server (django-cas-server) that authenticates against its own Django users."""

from .common_settings import *  # noqa: F403

INSTALLED_APPS = [*BASE_APPS, "cas_server"]  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE, "django.middleware.locale.LocaleMiddleware"]  # noqa: F405
ROOT_URLCONF = "qunce.accounts.tests.identity_servers.cas_urls"
SESSION_COOKIE_NAME = "cas_server_session"
CSRF_COOKIE_NAME = "cas_server_csrftoken"
CAS_AUTH_CLASS = "cas_server.auth.DjangoAuthUser"
# No call to PyPI for a newer version, and no stylesheet from a CDN: this machine is offline.
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False
CAS_COMPONENT_URLS = {
    name: "data:,"
    for name in (
        "bootstrap3_css",
        "bootstrap3_js",
        "html5shiv",
        "respond",
        "bootstrap4_css",
        "bootstrap4_js",
        "jquery",
    )
}
CAS_REDIRECT_TO_LOGIN_AFTER_LOGOUT = False
