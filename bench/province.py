"""A province on this machine (issue 16): seed_province's speed and memory, then check-ins on
gunicorn beside a real streaming replica and a task worker, while a university admin and the
province admin open their dashboards.

    .venv/bin/python bench/province.py

0. Runs its own PostgreSQL primary (initdb in BENCH_PG_DIR, default /var/tmp/qunce-bench-province,
   port BENCH_PG_PORT, default 5440; WAL streamed to replicas, fsync on) and, for the load runs,
   a streaming replica of it made by pg_basebackup (port + 1), stopped and removed afterwards.
1. Runs `seed_province` (BENCH_UNIVERSITIES, default 60; BENCH_PEOPLE, default 1,000,000) in a
   process of its own: wall time and peak memory (its maximum resident set), the rows made, and
   what a day of check-ins costs on disk. BENCH_REUSE=1 keeps the last build.
2. Fills the morning so far: everyone who reported yesterday, but for the load's 200,000
   people, has today's check-in (copied from yesterday's), so that the dashboards count a
   day of some 780,000 check-ins, as at half past eight, not an empty one.
3. Starts gunicorn with the production settings (BENCH_WORKERS gthread workers, Redis cache,
   DATABASE_REPLICA_URLS naming the replica) and one task worker (db_worker), then drives
   check-ins by API token from a keep-alive load generator on loopback, people who have not
   reported today:
   a. at saturation (BENCH_CONCURRENCY connections, closed loop) for BENCH_SECONDS;
   b. a morning peak, compressed into BENCH_PEAK_SECONDS: an open loop whose rate climbs from a
      quarter of the peak to the peak (0.9 x the saturation just measured) and back, as 7 to
      9 a.m. does; latency counts from when each check-in was due.
   Meanwhile another process times, through the whole Django stack and the database router, the
   check-in dashboard of the largest university's admin and the province overview (server time,
   both pages every half second; the first of each counts the past days into the cache, then
   the scheduler's `dashboard-counts` is enqueued for the task worker, as it is each minute
   after; its queries on the primary count in the check-ins' primary CPU); the
   replica's lag is sampled on the primary (pg_stat_replication) every half second; and the
   reads each server served are taken from its own pg_stat_database.
4. The same two pages on the idle server afterwards.

CPU per check-in is the gunicorn workers' plus the primary's PostgreSQL processes'; the
replica's (its replay and the dashboards' reads) and the task worker's are printed apart. Prints one line per figure and, last,
one JSON object of all figures."""

import asyncio
import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
DATABASE = "qunce_bench_province"
PG_DIR = Path(os.environ.get("BENCH_PG_DIR", "/var/tmp/qunce-bench-province"))
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5440"))
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qunce.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")
os.environ.setdefault("BENCH_CONCURRENCY", "16")
from checkin_load import (  # noqa: E402 (after the environment it reads)
    Plan,
    drive,
    metered,
    offer,
    percentile,
    process_cpu_seconds,
    server_environment,
    start_server,
)

UNIVERSITIES = int(os.environ.get("BENCH_UNIVERSITIES", "60"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
PEAK_SECONDS = float(os.environ.get("BENCH_PEAK_SECONDS", "60"))
PEAK_SHARE_OF_SATURATION = 0.9
LAG_INTERVAL = 0.5
SEED = 2020
REUSE = os.environ.get("BENCH_REUSE") == "1"
LOAD_TOKENS = 200_000
PAGE_INTERVAL = 0.5


def build():
    """seed_province into a new database, in a child process measured from outside."""
    from _database import recreate_benchmark_database

    recreate_benchmark_database()
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, check=True)
    started = time.perf_counter()
    done = subprocess.run(
        [
            *manage,
            "seed_province",
            f"--universities={UNIVERSITIES}",
            f"--people={PEOPLE}",
            f"--seed={SEED}",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    # The largest child so far: migrate's process is smaller than the seed's.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    counts = {}
    for line in done.stdout.splitlines():
        name, _, value = line.partition(": ")
        if value.isdigit():
            counts[name] = int(value)
    return {
        "seed_seconds": round(seconds, 1),
        "seed_peak_memory_mb": round(peak_mb),
        **{f"seeded_{name}": count for name, count in counts.items()},
    }


def province_built():
    from django.db import DatabaseError

    from qunce.org.models import Unit

    try:
        return Unit.objects.filter(depth=1, kind=Unit.Kind.PROVINCE).exists()
    except DatabaseError:  # no database yet
        return False


def storage():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits "
            "WHERE inhparent = 'health_checkin'::regclass"
        )
        checkin_bytes = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM health_checkin")
        checkins = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        database_bytes = cursor.fetchone()[0]
    per_checkin = checkin_bytes / max(checkins, 1)
    return {
        "checkin_bytes_each_with_indexes": round(per_checkin),
        "checkin_mb_per_day_at_1m_people": round(per_checkin * 1_000_000 / 2**20),
        "database_mb": round(database_bytes / 2**20),
    }


def load_people():
    """People who have not reported today: their tokens, as the seed gave them, and where each
    reported from yesterday (a change of city would raise an alert, not the morning's case)."""
    from django.utils import timezone

    from qunce.demo.province import province_token
    from qunce.health.models import Checkin
    from qunce.org.models import Person

    today = timezone.localdate()
    people = list(
        Person.objects.exclude(checkins__day=today)
        .order_by("?")
        .values_list("pk", "staff_no")[:LOAD_TOKENS]
    )
    regions = dict(
        Checkin.objects.filter(
            day=today - datetime.timedelta(days=1), person_id__in=[pk for pk, _ in people]
        ).values_list("person_id", "region_id")
    )
    return [(pk, province_token(SEED, staff_no)) for pk, staff_no in people], regions


def morning_so_far(load_people_ids):
    """Today's check-ins of everyone else who reported yesterday, copied from yesterday's: the
    dashboards are timed at about half past eight, with most of the province's day counted,
    not on an empty day. The load's own people are left to report. Returns today's count."""
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()
    columns = (
        "on_campus, temperature, symptoms, visited_risk_area, contact, contact_on, isolation, "
        "isolation_since, health_code, vaccination, note, pledged, fever, location_changed, "
        "alert_reasons, version, campaign_id, person_id, unit_id, region_id"
    )
    with connection.cursor() as cursor:
        # The load's people in a table of their own: a NOT IN over an array of 200,000 ids is
        # searched row by row (minutes); against a table, PostgreSQL hashes it once.
        cursor.execute("CREATE TEMPORARY TABLE bench_load_people (id bigint PRIMARY KEY)")
        with cursor.cursor.copy("COPY bench_load_people (id) FROM STDIN") as copy:
            for pk in load_people_ids:
                copy.write_row((pk,))
        cursor.execute("ANALYZE bench_load_people")
        cursor.execute(
            f"INSERT INTO health_checkin (day, submitted_at, updated_at, {columns}) "
            f"SELECT %(today)s, submitted_at + interval '1 day', updated_at + interval '1 day', "
            f"{columns} FROM health_checkin WHERE day = %(yesterday)s "
            "AND NOT EXISTS (SELECT FROM bench_load_people WHERE id = person_id) "
            "ON CONFLICT DO NOTHING",
            {"today": today, "yesterday": today - datetime.timedelta(days=1)},
        )
        cursor.execute("DROP TABLE bench_load_people")
        cursor.execute("SELECT count(*) FROM health_checkin WHERE day = %s", [today])
        return cursor.fetchone()[0]


def pages_timed(seconds, out):
    """Child process: the two pages in turn for `seconds`, server time of each, as JSON."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from qunce.demo.province import PROVINCE_ADMIN_USERNAME
    from qunce.org.models import Person, Role, RoleGrant, Unit

    largest = max(
        Unit.objects.filter(depth=2),
        key=lambda u: Person.objects.filter(unit__path__startswith=u.path).count(),
    )
    admin = RoleGrant.objects.get(role=Role.UNIT_ADMIN, unit=largest).user
    overseer = RoleGrant.objects.get(
        role=Role.PROVINCE_ADMIN, user__username=PROVINCE_ADMIN_USERNAME
    ).user
    clients = {}
    for label, user, path in (
        ("university_dashboard", admin, "/health/dashboard/"),
        ("province_overview", overseer, "/health/province/"),
    ):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        client.get("/health/", headers={"x-forwarded-proto": "https"})
        clients[label] = (client, path)
    from qunce.health.tasks import keep_dashboard_counts

    cache.clear()
    times = {label: [] for label in clients}

    def each_page_timed():
        for label, (client, path) in clients.items():
            started = time.perf_counter()
            response = client.get(path, headers={"x-forwarded-proto": "https"})
            times[label].append(time.perf_counter() - started)
            assert response.status_code == 200, (label, response.status_code)

    each_page_timed()  # the cold cache: the first pages count the past days
    # The scheduler's every-minute `dashboard-counts` would come within the minute: enqueued
    # for the task worker now (the main process's MinuteJob enqueues it each minute after).
    counted_ahead = keep_dashboard_counts.enqueue()
    waited_until = time.perf_counter() + 300
    while not counted_ahead.is_finished and time.perf_counter() < waited_until:
        time.sleep(0.1)
        counted_ahead.refresh()
    assert counted_ahead.status == "SUCCESSFUL", counted_ahead.errors
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or any(len(t) < 3 for t in times.values()):
        each_page_timed()
        # Many admins' pages, each refreshed every minute or so, not one page back to back.
        time.sleep(PAGE_INTERVAL)
    Path(out).write_text(json.dumps({"largest": largest.name, "times": times}))


def page_figures(prefix, result):
    figures = {f"{prefix}_largest_university": result["largest"]}
    for label, times in result["times"].items():
        warm = times[1:]
        figures |= {
            f"{prefix}_{label}_cold_cache_ms": round(times[0] * 1000, 1),
            f"{prefix}_{label}_p50_ms": round(statistics.median(warm) * 1000, 1),
            f"{prefix}_{label}_p99_ms": round(percentile(warm, 0.99), 1),
            f"{prefix}_{label}_requests": len(times),
        }
    return figures


def timed_pages(seconds):
    out = Path(f"/tmp/qunce-bench-province-pages-{os.getpid()}.json")
    return subprocess.Popen(
        [sys.executable, __file__, "--pages", str(seconds), str(out)], cwd=ROOT
    ), out


def primary_running():
    """The benchmark's own primary, made on the first run and kept for BENCH_REUSE."""
    from qunce.core.tests.postgres_servers import Server, folder_for_postgres, primary_make

    folder_for_postgres(PG_DIR)
    primary = Server(PG_DIR / "primary", PG_PORT, DATABASE)
    if not (primary.folder / "PG_VERSION").exists():
        return primary_make(primary.folder, PG_PORT, DATABASE)
    if primary.running:
        primary.stop("fast")
    primary.start()
    return primary


def replica_started(primary):
    """A streaming replica of the primary as it now is, caught up before the runs."""
    import shutil

    from qunce.core.tests.postgres_servers import replica_make

    folder = PG_DIR / "replica"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    replica = replica_make(primary, folder, PG_PORT + 1)
    seconds = time.perf_counter() - started
    while (
        primary.query("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")[0] < 1
    ):
        time.sleep(0.2)
    return replica, seconds


class MinuteJob(threading.Thread):
    """The scheduler's every-minute `dashboard-counts`, enqueued for the task worker as
    `run_scheduler` would (the scheduler itself would also send the morning's reminders to the
    benchmark's million people)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.done = threading.Event()

    def run(self):
        from qunce.health.tasks import keep_dashboard_counts

        while not self.done.wait(60):
            keep_dashboard_counts.enqueue()


class LagSampler(threading.Thread):
    """The replica's replay lag as the primary sees it, every LAG_INTERVAL seconds."""

    def __init__(self, primary):
        super().__init__(daemon=True)
        self.primary, self.seconds, self.bytes = primary, [], []
        self.done = threading.Event()

    def run(self):
        import psycopg

        with psycopg.connect(self.primary.url("postgres"), autocommit=True) as connection:
            while not self.done.wait(LAG_INTERVAL):
                row = connection.execute(
                    "SELECT COALESCE(EXTRACT(EPOCH FROM replay_lag), 0), "
                    "pg_wal_lsn_diff(sent_lsn, replay_lsn) FROM pg_stat_replication"
                ).fetchone()
                if row is not None:
                    self.seconds.append(float(row[0]))
                    self.bytes.append(int(row[1] or 0))

    def figures(self, prefix):
        self.done.set()
        self.join()
        if not self.seconds:
            return {f"{prefix}_replica_lag_samples": 0}
        return {
            f"{prefix}_replica_lag_p50_ms": round(statistics.median(self.seconds) * 1000, 1),
            f"{prefix}_replica_lag_p99_ms": round(percentile(self.seconds, 0.99), 1),
            f"{prefix}_replica_lag_max_ms": round(max(self.seconds) * 1000, 1),
            f"{prefix}_replica_lag_max_kb": round(max(self.bytes) / 1024),
            f"{prefix}_replica_lag_samples": len(self.seconds),
        }


def database_reads(server):
    """(transactions, rows returned or fetched) of the benchmark's database, by the server's own
    pg_stat_database."""
    return server.query(
        "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched FROM pg_stat_database "
        "WHERE datname = %s",
        params=[DATABASE],
    )


def postgres_cpu_seconds(server):
    """CPU so far of one server's processes: its postmaster and every child."""
    pid = server.postmaster_pid()
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return process_cpu_seconds(pid) + sum(process_cpu_seconds(child) for child in children)


def worker_started(environment):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )


def tasks_finished_since(moment):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(finished_at__gte=moment).count()


def morning_dues(peak_rps, seconds):
    """When each check-in of a compressed morning is due: the rate climbs linearly from a quarter
    of the peak to the peak at half time, then falls back."""
    dues, moment = [], 0.0
    while moment < seconds:
        dues.append(moment)
        rise = 1 - abs(2 * moment / seconds - 1)
        moment += 1 / (peak_rps * (0.25 + 0.75 * rise))
    return dues


def checkin_figures(prefix, run, seconds):
    statuses = run["statuses"]
    return {
        f"{prefix}_checkin_rps": round(run["ok"] / seconds, 1),
        f"{prefix}_checkin_p50_ms": round(percentile(run["latencies"], 0.50), 1),
        f"{prefix}_checkin_p99_ms": round(percentile(run["latencies"], 0.99), 1),
        f"{prefix}_cpu_ms_per_checkin": round(run["web_cpu_ms"] + run["database_cpu_ms"], 2),
        f"{prefix}_web_cpu_ms_per_checkin": round(run["web_cpu_ms"], 2),
        f"{prefix}_database_cpu_ms_per_checkin": round(run["database_cpu_ms"], 2),
        f"{prefix}_checkin_5xx": sum(
            n for s, n in statuses.items() if not isinstance(s, int) or s >= 500
        ),
        f"{prefix}_checkin_statuses": {str(s): n for s, n in statuses.items()},
    }


def loaded_round(prefix, server, replica, primary, seconds, load):
    """One load round with the pages timed and the replica's lag sampled beside it; the
    primary's PostgreSQL CPU excludes the replica's (its replay and the dashboards' reads it
    serves), printed apart."""
    pages, out = timed_pages(seconds)
    lag = LagSampler(primary)
    lag.start()
    replica_before = postgres_cpu_seconds(replica)
    run = metered(server, load)
    replica_cpu = postgres_cpu_seconds(replica) - replica_before
    answered = max(run["ok"], 1)
    run["database_cpu_ms"] -= replica_cpu / answered * 1000
    pages.wait(timeout=seconds + 600)
    return {
        **checkin_figures(prefix, run, seconds),
        f"{prefix}_replica_cpu_ms_per_checkin": round(replica_cpu / answered * 1000, 2),
        **lag.figures(prefix),
        **page_figures(prefix, json.loads(out.read_text())),
    }


def print_round(prefix, title, figures):
    print(
        f"{title}: {figures[f'{prefix}_checkin_rps']} check-ins/s, p50 "
        f"{figures[f'{prefix}_checkin_p50_ms']} ms, p99 {figures[f'{prefix}_checkin_p99_ms']} ms, "
        f"{figures[f'{prefix}_cpu_ms_per_checkin']} ms CPU each (web "
        f"{figures[f'{prefix}_web_cpu_ms_per_checkin']} + primary PostgreSQL "
        f"{figures[f'{prefix}_database_cpu_ms_per_checkin']}; the replica, replaying and "
        f"serving the dashboards, {figures[f'{prefix}_replica_cpu_ms_per_checkin']}), "
        f"{figures[f'{prefix}_checkin_5xx']} 5xx; replica lag p99 "
        f"{figures.get(f'{prefix}_replica_lag_p99_ms')} ms, max "
        f"{figures.get(f'{prefix}_replica_lag_max_ms')} ms",
        flush=True,
    )
    print_pages(prefix, figures)


def print_pages(prefix, figures):
    print(
        f"  {figures[f'{prefix}_largest_university']} admin's dashboard p50 "
        f"{figures[f'{prefix}_university_dashboard_p50_ms']} ms, p99 "
        f"{figures[f'{prefix}_university_dashboard_p99_ms']} ms (cold cache "
        f"{figures[f'{prefix}_university_dashboard_cold_cache_ms']} ms); province overview "
        f"p50 {figures[f'{prefix}_province_overview_p50_ms']} ms, p99 "
        f"{figures[f'{prefix}_province_overview_p99_ms']} ms (cold cache "
        f"{figures[f'{prefix}_province_overview_cold_cache_ms']} ms)",
        flush=True,
    )


def main():
    figures = {"universities": UNIVERSITIES, "people": PEOPLE}
    primary = primary_running()
    import django

    django.setup()
    from django.db import connections
    from django.utils import timezone

    if not (REUSE and province_built()):
        connections.close_all()
        figures |= build()
        print(
            f"seed_province {PEOPLE} people, {UNIVERSITIES} universities: "
            f"{figures['seed_seconds']} s, peak {figures['seed_peak_memory_mb']} MB; "
            f"{figures.get('seeded_checkins')} check-ins",
            flush=True,
        )
    figures |= storage()
    print(
        f"a check-in with its indexes: {figures['checkin_bytes_each_with_indexes']} bytes; "
        f"a day of 1,000,000 people: {figures['checkin_mb_per_day_at_1m_people']} MB; "
        f"database {figures['database_mb']} MB",
        flush=True,
    )
    tokens, regions = load_people()
    started = time.perf_counter()
    figures["todays_checkins_before_the_runs"] = morning_so_far(pk for pk, _token in tokens)
    print(
        f"the morning so far: {figures['todays_checkins_before_the_runs']} check-ins today, "
        f"copied from yesterday's in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    # What the scheduler's refresh_checkin_statistics does every ten minutes; the replica gets
    # the statistics with the WAL.
    from qunce.health.services import checkin_statistics_refresh

    checkin_statistics_refresh()
    # And what its `dashboard-counts` does every minute: once here, then by the task worker.
    from qunce.health.selectors import dashboard_counts_keep

    dashboard_counts_keep()
    connections.close_all()
    replica, basebackup_seconds = replica_started(primary)
    figures["replica_basebackup_seconds"] = round(basebackup_seconds, 1)
    print(f"streaming replica made by pg_basebackup in {basebackup_seconds:.1f} s", flush=True)
    # The pages' process reads this too: its dashboards go through the same router.
    os.environ["DATABASE_REPLICA_URLS"] = replica.url()
    server = start_server(DATABASE_REPLICA_URLS=replica.url())
    worker = worker_started({**server_environment(), "DATABASE_REPLICA_URLS": replica.url()})
    plan = Plan(tokens, random.Random(7), regions=regions)
    reads_before = {"primary": database_reads(primary), "replica": database_reads(replica)}
    runs_started = timezone.now()
    worker_cpu_before = process_cpu_seconds(worker.pid)
    every_minute = MinuteJob()
    every_minute.start()
    try:
        figures |= loaded_round(
            "saturation",
            server,
            replica,
            primary,
            SECONDS,
            lambda: asyncio.run(drive("checkin", SECONDS, plan)),
        )
        print_round("saturation", "check-ins at saturation", figures)
        peak = figures["saturation_checkin_rps"] * PEAK_SHARE_OF_SATURATION
        dues = morning_dues(peak, PEAK_SECONDS)
        figures |= loaded_round(
            "morning",
            server,
            replica,
            primary,
            PEAK_SECONDS,
            lambda: asyncio.run(offer("checkin", PEAK_SECONDS, plan, dues=dues)),
        )
        figures |= {
            "morning_peak_rps_offered": round(peak, 1),
            "morning_checkins_offered": len(dues),
        }
        print_round(
            "morning",
            f"a morning peak ({len(dues)} check-ins in {PEAK_SECONDS:.0f} s, "
            f"climbing to {peak:.0f}/s)",
            figures,
        )
        worker_cpu = process_cpu_seconds(worker.pid) - worker_cpu_before
        reads = {
            name: [
                after - before
                for after, before in zip(database_reads(each), reads_before[name], strict=True)
            ]
            for name, each in (("primary", primary), ("replica", replica))
        }
        figures["tasks_finished_by_the_worker"] = tasks_finished_since(runs_started)
        figures["worker_cpu_seconds"] = round(worker_cpu, 2)
    finally:
        every_minute.done.set()
        worker.terminate()
        server.terminate()
        server.wait(timeout=30)
        worker.wait(timeout=30)
        replica.stop()
    for name in ("primary", "replica"):
        figures[f"{name}_transactions"], figures[f"{name}_rows_read"] = reads[name]
    print(
        f"reads by each server's pg_stat_database during the runs: primary "
        f"{figures['primary_transactions']} transactions, {figures['primary_rows_read']} rows; "
        f"replica {figures['replica_transactions']} transactions, "
        f"{figures['replica_rows_read']} rows",
        flush=True,
    )
    print(
        f"task worker: {figures['tasks_finished_by_the_worker']} tasks finished, "
        f"{figures['worker_cpu_seconds']} s CPU",
        flush=True,
    )
    os.environ.pop("DATABASE_REPLICA_URLS")
    idle_worker = worker_started(server_environment())  # for the pages' dashboard-counts
    try:
        pages, out = timed_pages(10)
        pages.wait(timeout=600)
    finally:
        idle_worker.terminate()
        idle_worker.wait(timeout=30)
    figures |= page_figures("idle", json.loads(out.read_text()))
    print("idle:", flush=True)
    print_pages("idle", figures)
    primary.stop("fast")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--pages"]:
        pages_timed(float(sys.argv[2]), sys.argv[3])
    else:
        main()
