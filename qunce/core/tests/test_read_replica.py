"""Reports read from a real PostgreSQL streaming replica.

A primary and its replica are made for this module with PostgreSQL's server binaries (initdb,
pg_basebackup, pg_ctl) in a temporary folder on ports of their own, and Qunce runs against them
in gunicorn processes of its own. Where reads went is read from each server's own statistics
(pg_stat_user_tables), never assumed."""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from qunce.conftest import free_port, gunicorn_serving
from qunce.org.demo import DEMO_PASSWORD

from .postgres_servers import PG_BIN, folder_for_postgres, primary_make, replica_make

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="streaming replicas are PostgreSQL's (this run is on SQLite)",
    ),
    pytest.mark.skipif(PG_BIN is None, reason="PostgreSQL's server binaries are not installed"),
]

DATABASE = "qunce"
MAX_LAG_SECONDS = 2
STICKY_SECONDS = 3
# Tables only the report reads (the sign-in, the session and the people list read none).
REPORT_TABLES = ("assistance_helprequest", "care_familyneed", "notices_unitreport")


@pytest.fixture(scope="module")
def servers():
    # Not under pytest's own temporary folder: that one only root may enter.
    root = folder_for_postgres(tempfile.mkdtemp(prefix="qunce-replication-"))
    made = []
    try:
        made.append(primary_make(root / "primary", free_port(), DATABASE, durable=False))
        made.append(replica_make(made[0], root / "replica", free_port()))
        yield made
    finally:
        for server in reversed(made):
            with contextlib.suppress(RuntimeError):
                server.stop()
        shutil.rmtree(root, ignore_errors=True)


def _manage(environment, *arguments):
    finished = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    if finished.returncode:
        raise RuntimeError(f"manage.py {arguments[0]} failed: {finished.stderr[-2000:]}")


@pytest.fixture(scope="module")
def environment(servers, tmp_path_factory):
    """Qunce's environment on the primary and its replica, with a small demo university."""
    primary, replica = servers
    environment = {
        **os.environ,
        "DATABASE_URL": primary.url(),
        "DATABASE_REPLICA_URLS": replica.url(),
        # Each request's connections close at its end, so each server counts its reads at once.
        "DATABASE_CONN_MAX_AGE": "0",
        "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG_SECONDS),
        "REPLICA_STICKY_SECONDS": str(STICKY_SECONDS),
        "REPLICA_CHECK_SECONDS": "0",
        "QUNCE_DATA_DIR": str(tmp_path_factory.mktemp("qunce-data")),
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("REDIS_URL", None)
    _manage(environment, "migrate", "--no-input")
    _manage(
        environment,
        "shell",
        "-c",
        "from qunce.org.demo import build_demo_university; build_demo_university(people=60); "
        "from qunce.health.demo import build_demo_checkins; build_demo_checkins()",
    )
    return environment


@contextlib.contextmanager
def gunicorn(environment):
    """Qunce served by gunicorn; yields (base URL, its log file)."""
    log_path = Path(environment["QUNCE_DATA_DIR"]) / f"gunicorn-{free_port()}.log"
    with gunicorn_serving(
        "qunce.wsgi",
        environment=environment,
        log_path=log_path,
        ready_path="/healthz",
        cwd=settings.BASE_DIR,
    ) as base:
        yield base, log_path


@pytest.fixture(scope="module")
def qunce(environment):
    with gunicorn(environment) as (base, _log):
        yield base


def _signed_in(base):
    """An org admin's session, past the read-your-writes window its sign-in opened."""
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    answer = session.post(
        f"{base}/accounts/login/",
        data={
            "username": "orgadmin",
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:300]
    time.sleep(STICKY_SECONDS + 0.5)
    return session


def _scans_during(servers, action, tables=REPORT_TABLES):
    """Scans of `tables` on (primary, replica) while `action` ran, once both have counted."""
    primary, replica = servers
    before = primary.scans(tables), replica.scans(tables)
    action()
    time.sleep(1.5)
    return primary.scans(tables) - before[0], replica.scans(tables) - before[1]


def _get(session, url):
    response = session.get(url, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response


def test_reports_read_from_the_replica_and_other_pages_from_the_primary(servers, qunce):
    session = _signed_in(qunce)
    on_primary, on_replica = _scans_during(servers, lambda: _get(session, f"{qunce}/reports/"))
    assert on_replica > 0 and on_primary == 0
    for export in ("export.xlsx", "situation.pdf"):
        on_primary, on_replica = _scans_during(
            servers, lambda export=export: _get(session, f"{qunce}/reports/{export}")
        )
        assert on_replica > 0 and on_primary == 0, export
    # The dashboard reads today's check-ins there too (past days' counts, cached for days, and
    # its access log are the primary's).
    _on_primary, on_replica = _scans_during(
        servers, lambda: _get(session, f"{qunce}/health/dashboard/"), tables=("health_checkin",)
    )
    assert on_replica > 0
    on_primary, on_replica = _scans_during(
        servers, lambda: _get(session, f"{qunce}/talents/people/"), tables=None
    )
    assert on_replica == 0 and on_primary > 0


def test_someone_who_has_just_written_reads_from_the_primary(servers, qunce):
    session = _signed_in(qunce)
    # Any write (here a new API token's page post) keeps this person's reads on the primary.
    form = _get(session, f"{qunce}/accounts/tokens/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    session.post(
        f"{qunce}/accounts/tokens/",
        data={
            "csrfmiddlewaretoken": token,
            "name": "数据中心",
            "scope": "read",
            "lifetime_days": 30,
        },
        timeout=10,
    ).raise_for_status()
    on_primary, on_replica = _scans_during(servers, lambda: _get(session, f"{qunce}/reports/"))
    assert on_replica == 0 and on_primary > 0
    time.sleep(STICKY_SECONDS)
    on_primary, on_replica = _scans_during(servers, lambda: _get(session, f"{qunce}/reports/"))
    assert on_replica > 0 and on_primary == 0


def test_a_replica_too_far_behind_is_left_out(servers, qunce):
    primary, replica = servers
    session = _signed_in(qunce)
    replica.query("SELECT pg_wal_replay_pause()")
    try:
        primary.query("CREATE TABLE lag_probe (id int)", database=DATABASE)
        time.sleep(MAX_LAG_SECONDS + 1)
        lag = replica.query("SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())")
        assert lag[0] > MAX_LAG_SECONDS
        on_primary, on_replica = _scans_during(servers, lambda: _get(session, f"{qunce}/reports/"))
        assert on_replica == 0 and on_primary > 0
    finally:
        replica.query("SELECT pg_wal_replay_resume()")
    time.sleep(1)
    on_primary, on_replica = _scans_during(servers, lambda: _get(session, f"{qunce}/reports/"))
    assert on_replica > 0 and on_primary == 0


def test_a_replica_that_goes_away_mid_run_costs_no_error(servers, environment, qunce):
    """A process that found the replica well a moment ago sends the next report there; the
    replica has just stopped, so the report is made again from the primary."""
    primary, replica = servers
    steady = {**environment, "REPLICA_CHECK_SECONDS": "3600"}
    with gunicorn(steady) as (base, log):
        session = _signed_in(base)
        _on_primary, on_replica = _scans_during(servers, lambda: _get(session, f"{base}/reports/"))
        assert on_replica > 0
        replica.stop()
        before = primary.scans(REPORT_TABLES)
        for _ in range(3):
            _get(session, f"{base}/reports/")
        time.sleep(1.5)
        assert primary.scans(REPORT_TABLES) > before
        assert "replica read failed, answered from the primary" in log.read_text()
    # The process that checks its replica before every read never tried it.
    _get(_signed_in(qunce), f"{qunce}/reports/")
