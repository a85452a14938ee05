"""Real identity servers for the campus sign-in tests, each a small Django project of its own
run by gunicorn in its own process on a loopback port: a CAS 3.0 server (django-cas-server)
and an OpenID Connect provider (django-oauth-toolkit). Nothing here is mocked: Qunce talks to
them over HTTP as it would to a campus's own."""

import json
import os
import subprocess
import sys
from contextlib import contextmanager

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

PASSWORD = "campus-password-0"
CLIENT_ID = "qunce"
CLIENT_SECRET = "qunce-client-secret-for-tests-only"


def rsa_private_key_pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@contextmanager
def identity_server(kind, folder, *, usernames, redirect_uris=(), key_pem=""):
    """Start the `kind` ("cas" or "oidc") server with an account per username (password
    PASSWORD); yield its base URL; stop it afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "signing-key.pem"
    key_file.write_text(key_pem)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": f"qunce.accounts.tests.identity_servers.{kind}_settings",
        "IDENTITY_SERVER_DB": str(folder / "server.sqlite3"),
        "IDENTITY_SERVER_KEY_FILE": str(key_file),
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    environment.pop("DATABASE_URL", None)
    python = sys.executable
    subprocess.run(
        [python, "-m", "django", "migrate", "--no-input", "-v", "0"], env=environment, check=True
    )
    setup = {
        "usernames": list(usernames),
        "password": PASSWORD,
        "redirect_uris": list(redirect_uris),
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    subprocess.run(
        [python, "-m", "qunce.accounts.tests.identity_servers.prepare", kind, json.dumps(setup)],
        env=environment,
        check=True,
    )
    # Imported here: each server's settings module sits in this package, so importing the
    # package must not pull in Qunce's models.
    from qunce.conftest import gunicorn_serving

    with gunicorn_serving(
        "django.core.wsgi:get_wsgi_application()",
        environment=environment,
        log_path=folder / "server.log",
        ready_path="/up",
        threads=8,
    ) as base_url:
        yield base_url
