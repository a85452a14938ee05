"""Personas shared by every app's tests: one university with two 分党委 (A and B)."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from qunce.consents.tests.factories import consents_given, first_notices
from qunce.org.models import Unit
from qunce.org.tests.factories import PersonFactory, Role, UserFactory, grant, unit_child, unit_root


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow by design; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache_and_match_index():
    """Rate-limit counters live in the cache, the match index and the open check-ins in the
    process: each test starts with none of them."""
    from django.core.cache import cache

    from qunce.assistance.matching import reset_index
    from qunce.health.selectors import open_policies_forget

    cache.clear()
    open_policies_forget()
    reset_index()


@pytest.fixture
def province(db):
    """Two universities under one province root, made by seed_province: each with its 组织部
    admin, and the province admin who oversees both."""
    from django.core.management import call_command

    from qunce.accounts.models import User
    from qunce.demo.province import PROVINCE_ADMIN_USERNAME
    from qunce.org.models import Person, RoleGrant

    call_command("seed_province", universities=2, people=240, seed=3, stdout=None)
    first, second = Unit.objects.filter(depth=2).order_by("path")
    admins = {
        grant.unit_id: grant.user
        for grant in RoleGrant.objects.filter(role=Role.UNIT_ADMIN).select_related("user")
    }

    def someone_of(university):
        return Person.objects.filter(unit__path__startswith=university.path).last()

    return {
        "root": Unit.objects.get(depth=1),
        "first": first,
        "second": second,
        "first_admin": admins[first.pk],
        "second_admin": admins[second.pk],
        "overseer": User.objects.get(username=PROVINCE_ADMIN_USERNAME),
        "first_person": someone_of(first),
        "second_person": someone_of(second),
    }


@pytest.fixture(autouse=True)
def tasks_run_when_enqueued(settings):
    """A task runs in the test's own process as it is enqueued (after the commit, for the
    deliveries); the tests of the workers switch to a real queue and a worker process."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads made by tests land in a folder of their own, removed with the test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Exported ledger heads too: a demo's heads in var/ must not judge a test's ledger.
    settings.LEDGER_HEAD_DIR = tmp_path / "ledger-heads"


@pytest.fixture
def code_lists(transactional_db):
    """Transactional tests empty every table afterwards, the code lists and the first privacy
    notices loaded by migrations too: a transactional test that needs them loads them again."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_codes", stdout=StringIO())
    first_notices()


ACCOUNTS_START_AT = 500


def accounts_numbered_apart_from_people():
    """An account's id passed where a person's is meant (or the other way) must fail a test, but
    a world whose accounts and people are made in pairs numbers them alike (on SQLite, whose
    counters restart with each test, every time): the accounts' counter is moved on."""
    from django.db import connection

    from qunce.accounts.models import User

    if connection.vendor == "postgresql":
        # Sequences outlive the test's transaction: keep the accounts' ahead of the people's.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), %s + GREATEST("
                "COALESCE(pg_sequence_last_value(pg_get_serial_sequence('accounts_user', 'id')"
                "::regclass), 0), COALESCE(pg_sequence_last_value("
                "pg_get_serial_sequence('org_person', 'id')::regclass), 0)))",
                [ACCOUNTS_START_AT],
            )
        return
    User.objects.bulk_create([User(pk=ACCOUNTS_START_AT, username="numbering-gap")])
    User.objects.filter(pk=ACCOUNTS_START_AT).delete()


@pytest.fixture
def world(db):
    accounts_numbered_apart_from_people()
    root = unit_root(name="测试大学", code="U")
    unit_a = unit_child(root, name="甲学院分党委", code="A", kind=Unit.Kind.PARTY_COMMITTEE)
    branch_a = unit_child(unit_a, name="甲学院第一党支部", code="A-01")
    unit_b = unit_child(root, name="乙学院分党委", code="B", kind=Unit.Kind.PARTY_COMMITTEE)
    branch_b = unit_child(unit_b, name="乙学院第一党支部", code="B-01")

    def persona(username, unit, role=None, role_unit=None):
        user = UserFactory(username=username, first_name=username)
        PersonFactory(unit=unit, user=user, name=f"{username}本人")
        # Everyone here has read and agreed to the check-in's notices; the consent tests
        # start from people who have not.
        consents_given(user)
        if role:
            grant(user, role, role_unit)
        return user

    users = SimpleNamespace(
        org_admin=persona("org_admin", root, Role.ORG_ADMIN),
        unit_admin_a=persona("unit_admin_a", unit_a, Role.UNIT_ADMIN, unit_a),
        unit_admin_b=persona("unit_admin_b", unit_b, Role.UNIT_ADMIN, unit_b),
        talent=persona("talent", branch_a),
        counsellor=persona("counsellor", branch_b, Role.COUNSELLOR),
    )
    return SimpleNamespace(
        root=root,
        unit_a=Unit.objects.get(pk=unit_a.pk),
        branch_a=branch_a,
        unit_b=Unit.objects.get(pk=unit_b.pk),
        branch_b=branch_b,
        person_a=PersonFactory(unit=branch_a, name="甲某"),
        person_b=PersonFactory(unit=branch_b, name="乙某"),
        users=users,
    )


PERSONAS = ["org_admin", "unit_admin_a", "unit_admin_b", "talent", "counsellor", "anonymous"]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def client_for(world, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world.users, persona))
    return client


# A group robot's webhook (WeCom, DingTalk) as a real HTTP server on a loopback port: it records
# each message (path, body), answers with `status` after `delay` seconds, and holds a request to
# a path under /slow for 3 seconds (a worker can be killed while it waits).
class RobotEndpoint(BaseHTTPRequestHandler):
    received = []
    status = 200
    delay = 0.0
    slow_started = threading.Event()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        RobotEndpoint.received.append((self.path, json.loads(body)))
        if self.path.startswith("/slow"):
            RobotEndpoint.slow_started.set()
            time.sleep(3)
        time.sleep(RobotEndpoint.delay)
        self.send_response(RobotEndpoint.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        ok = RobotEndpoint.status == 200
        self.wfile.write(b'{"errcode":0,"errmsg":"ok"}' if ok else b"server error")

    def log_message(self, *args):
        pass


@pytest.fixture
def robot_server():
    RobotEndpoint.received, RobotEndpoint.status, RobotEndpoint.delay = [], 200, 0.0
    RobotEndpoint.slow_started.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), RobotEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


# -- a real headless Chromium (Debian's package) driven by Playwright -----------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"


@pytest.fixture
def browser(code_lists):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs, the ORM keys connections to its context: close those
        # here, or PostgreSQL refuses to drop the test database at the end of the session.
        connections.close_all()


def shot(page, folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


# -- a server of the tests' own, in a process of its own ----------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn_serving(app, *, environment, log_path, ready_path, threads=4, cwd=None):
    """Serve the WSGI `app` with gunicorn (one process) on a free loopback port; yield its base
    URL once `ready_path` answers; stop it afterwards. Its output goes to `log_path`."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                str(threads),
                app,
            ],
            env=environment,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base_url}{ready_path}", timeout=5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError(
                            f"{app} did not start: {log_path.read_text()[-2000:]}"
                        ) from None
                    time.sleep(0.2)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
