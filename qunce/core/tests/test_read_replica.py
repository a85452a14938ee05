"""Reports and dashboards read from a real PostgreSQL streaming replica.

A primary and its replica are made for this module with Debian's PostgreSQL server binaries
(initdb, pg_basebackup, pg_ctl) in a temporary folder on ports of their own, and Qunce runs
against them in a gunicorn process of its own. Where reads went is read from each server's own
statistics (pg_stat_user_tables), never assumed."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import requests
from django.conf import settings

from qunce.org.demo import DEMO_PASSWORD

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"))), None)

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="streaming replicas are PostgreSQL's (this run is on SQLite)",
    ),
    pytest.mark.skipif(PG_BIN is None, reason="PostgreSQL's server binaries are not installed"),
]

DATABASE = "qunce"
MAX_LAG_SECONDS = 2
LOGS = {}


def qunce_log(base):
    return LOGS[base].read_text(errors="replace")


def _port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(*command):
    """PostgreSQL's server refuses to run as root: its commands run as the postgres user."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    finished = subprocess.run([*prefix, *command], capture_output=True, text=True)
    if finished.returncode:
        raise RuntimeError(f"{command[0]} failed: {finished.stderr[-1500:]}")


def _pg(name):
    return str(PG_BIN.parent / name)


class Server:
    def __init__(self, folder, port):
        self.folder, self.port = folder, port

    def start(self):
        _as_postgres(
            _pg("pg_ctl"), "-D", str(self.folder), "-l", f"{self.folder}.log", "-w", "start"
        )

    def stop(self, mode="fast"):
        if (self.folder / "postmaster.pid").exists():
            _as_postgres(_pg("pg_ctl"), "-D", str(self.folder), "-m", mode, "-w", "stop")

    def url(self, database=DATABASE):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def query(self, sql, database="postgres"):
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchone() if cursor.description else None

    def rows_read(self):
        """Rows of Qunce's tables read on this server, by its own count (pg_stat_database
        would count the catalog reads every new connection makes, a health check's too)."""
        return self.query(
            "SELECT COALESCE(sum(seq_tup_read + COALESCE(idx_tup_fetch, 0)), 0) "
            "FROM pg_stat_user_tables",
            database=DATABASE,
        )[0]


@pytest.fixture(scope="module")
def servers():
    # Not under pytest's own temporary folder: that one only root may enter.
    root = Path(tempfile.mkdtemp(prefix="qunce-replication-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    primary = Server(root / "primary", _port())
    replica = Server(root / "replica", _port())
    _as_postgres(
        _pg("initdb"), "-D", str(primary.folder), "-A", "trust", "-U", "postgres", "--no-sync"
    )
    with (primary.folder / "postgresql.conf").open("a") as conf:
        conf.write(
            f"listen_addresses = '127.0.0.1'\nport = {primary.port}\n"
            f"unix_socket_directories = '{root}'\nwal_level = replica\nmax_wal_senders = 4\n"
            "fsync = off\n"
        )
    with (primary.folder / "pg_hba.conf").open("a") as hba:
        hba.write("host replication all 127.0.0.1/32 trust\n")
    primary.start()
    try:
        primary.query(f"CREATE DATABASE {DATABASE}")
        _as_postgres(
            _pg("pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(replica.folder),
            "-R",
            "-X",
            "stream",
        )
        conf = replica.folder / "postgresql.conf"
        conf.write_text(
            conf.read_text().replace(f"port = {primary.port}", f"port = {replica.port}")
        )
        replica.start()
        yield primary, replica
    finally:
        replica.stop("immediate")
        primary.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def _manage(environment, *arguments):
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        env=environment,
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def qunce(servers, tmp_path_factory):
    """Qunce in gunicorn on the primary and its replica, with a small demo university."""
    primary, replica = servers
    port = _port()
    environment = {
        **os.environ,
        "DATABASE_URL": primary.url(),
        "DATABASE_REPLICA_URLS": replica.url(),
        # Each request's connections close at its end, so each server counts its reads at once.
        "DATABASE_CONN_MAX_AGE": "0",
        "REPLICA_MAX_LAG_SECONDS": str(MAX_LAG_SECONDS),
        "REPLICA_STICKY_SECONDS": "3",
        # Long enough for a replica stopped just after a check to fail a read mid-request.
        "REPLICA_CHECK_SECONDS": "2",
        "QUNCE_DATA_DIR": str(tmp_path_factory.mktemp("qunce-data")),
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("REDIS_URL", None)
    _manage(environment, "migrate", "--no-input")
    _manage(
        environment,
        "shell",
        "-c",
        "from qunce.org.demo import build_demo_university; build_demo_university(people=60)",
    )
    log = (Path(environment["QUNCE_DATA_DIR"]) / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "qunce.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
        ],
        env=environment,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                requests.get(f"{base}/healthz", timeout=5).raise_for_status()
                break
            except requests.RequestException:
                time.sleep(0.2)
        LOGS[base] = Path(environment["QUNCE_DATA_DIR"]) / "gunicorn.log"
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _signed_in(base, username="orgadmin"):
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    answer = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:300]
    return session


def _reads_during(servers, action, settle=1.5):
    """Rows read on (primary, replica) while `action` ran, once both have counted them."""
    primary, replica = servers
    before = primary.rows_read(), replica.rows_read()
    action()
    time.sleep(settle)
    return primary.rows_read() - before[0], replica.rows_read() - before[1]


def _report(session, base):
    response = session.get(f"{base}/reports/", timeout=30)
    assert response.status_code == 200
    assert "工作报表" in response.text or "报表" in response.text


def test_reports_read_from_the_replica_and_other_pages_from_the_primary(servers, qunce):
    session = _signed_in(qunce)
    time.sleep(3.5)  # the sign-in was a write: its read-your-writes window passes first
    _primary, on_replica = _reads_during(servers, lambda: _report(session, qunce))
    assert on_replica > 0
    _primary, on_replica = _reads_during(
        servers, lambda: session.get(f"{qunce}/org/people/", timeout=30).raise_for_status()
    )
    assert on_replica == 0


def test_someone_who_has_just_written_reads_from_the_primary(servers, qunce):
    session = _signed_in(qunce)  # signing in writes (the session, the last login)
    _primary, on_replica = _reads_during(servers, lambda: _report(session, qunce))
    assert on_replica == 0
    time.sleep(3.5)
    _primary, on_replica = _reads_during(servers, lambda: _report(session, qunce))
    assert on_replica > 0


def test_a_replica_too_far_behind_is_left_out(servers, qunce):
    primary, replica = servers
    session = _signed_in(qunce)
    time.sleep(3.5)
    replica.query("SELECT pg_wal_replay_pause()")
    try:
        primary.query("CREATE TABLE lag_probe (id int)", database=DATABASE)
        time.sleep(MAX_LAG_SECONDS + 1)
        lag = replica.query("SELECT EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())")[0]
        assert lag > MAX_LAG_SECONDS
        on_primary, on_replica = _reads_during(servers, lambda: _report(session, qunce))
        assert on_replica == 0 and on_primary > 0
    finally:
        replica.query("SELECT pg_wal_replay_resume()")
    time.sleep(1)
    _primary, on_replica = _reads_during(servers, lambda: _report(session, qunce))
    assert on_replica > 0


def test_a_replica_that_goes_away_leaves_reads_to_the_primary_without_an_error(servers, qunce):
    primary, replica = servers
    session = _signed_in(qunce)
    time.sleep(3.5)
    _primary, on_replica = _reads_during(servers, lambda: _report(session, qunce), settle=0)
    assert on_replica > 0
    # Stopped right after the process found it well: the next report's reads fail there and
    # the report is made again from the primary; later ones skip the replica from the start.
    replica.stop("immediate")
    before = primary.rows_read()
    for _ in range(3):
        _report(session, qunce)
    time.sleep(1.5)
    assert primary.rows_read() > before
    assert "replica read failed, answered from the primary" in qunce_log(qunce)
