"""Real identity servers for the campus sign-in tests, each a small Django project of its own
run by gunicorn in its own process on a loopback port: a CAS 3.0 server (django-cas-server)
and an OpenID Connect provider (django-oauth-toolkit). Nothing here is mocked: Qunce talks to
them over HTTP as it would to a campus's own."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

PASSWORD = "campus-password-0"
CLIENT_ID = "qunce"
CLIENT_SECRET = "qunce-client-secret-for-tests-only"
STARTUP_SECONDS = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
    port = free_port()
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "8",
            "django.core.wsgi:get_wsgi_application()",
        ],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, base_url, folder / "server.log")
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _wait_until_up(server, base_url, log_path):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"identity server exited: {log_path.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(f"{base_url}/up", timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"identity server did not start: {log_path.read_text()[-2000:]}")
