"""An OpenID Connect provider (django-oauth-toolkit) signing ID tokens with RS256."""

import os
from pathlib import Path

from .common_settings import *  # noqa: F403

INSTALLED_APPS = [*BASE_APPS, "oauth2_provider"]  # noqa: F405
ROOT_URLCONF = "qunce.accounts.tests.identity_servers.oidc_urls"
SESSION_COOKIE_NAME = "oidc_provider_session"
CSRF_COOKIE_NAME = "oidc_provider_csrftoken"
LOGIN_URL = "/accounts/login/"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": Path(os.environ["IDENTITY_SERVER_KEY_FILE"]).read_text(),
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "OpenID Connect", "profile": "Profile"},
    "OAUTH2_VALIDATOR_CLASS": "qunce.accounts.tests.identity_servers.oidc_claims.StaffNumberClaims",
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
}
