"""A province on this machine (issue 16): seed_province's speed and memory, then the dashboards
a university admin and the province admin open while check-ins run at saturation.

    .venv/bin/python bench/province.py

1. Makes its own PostgreSQL database and runs `seed_province` (BENCH_UNIVERSITIES, default 60;
   BENCH_PEOPLE, default 1,000,000) in a process of its own: wall time and peak memory (its
   maximum resident set), the rows made, and what a day of check-ins costs on disk.
   BENCH_REUSE=1 keeps the last build.
2. Starts gunicorn with the production settings (BENCH_WORKERS gthread workers, Redis cache) and
   drives check-ins by API token at saturation from a keep-alive load generator on loopback
   (BENCH_CONCURRENCY connections), people who have not reported today, for BENCH_SECONDS;
   meanwhile another process times, through the whole Django stack, the check-in dashboard of
   the largest university's admin and the province overview of the province admin (server
   time, both pages every half second; the first of each counts the past days into the cache).
3. The same two pages on the idle server afterwards.

What it does not do (see docs/capacity.md): the replica and the task workers are not part of
this run; the replica's routing is shown by qunce/core/tests/test_read_replica.py.
Prints one line per figure and, last, one JSON object of all figures."""

import asyncio
import datetime
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qunce_bench_province"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qunce.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")
os.environ.setdefault("BENCH_CONCURRENCY", "16")
from checkin_load import (  # noqa: E402 (after the environment it reads)
    Plan,
    drive,
    metered,
    percentile,
    start_server,
)

UNIVERSITIES = int(os.environ.get("BENCH_UNIVERSITIES", "60"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
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
    cache.clear()
    times = {label: [] for label in clients}
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or any(len(t) < 3 for t in times.values()):
        for label, (client, path) in clients.items():
            started = time.perf_counter()
            response = client.get(path, headers={"x-forwarded-proto": "https"})
            times[label].append(time.perf_counter() - started)
            assert response.status_code == 200, (label, response.status_code)
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


def main():
    import django

    django.setup()
    figures = {"universities": UNIVERSITIES, "people": PEOPLE}
    from django.db import connections

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
    connections.close_all()
    server = start_server()
    try:
        pages, out = timed_pages(SECONDS)
        run = metered(
            server,
            lambda: asyncio.run(
                drive("checkin", SECONDS, Plan(tokens, random.Random(7), regions=regions))
            ),
        )
        pages.wait(timeout=SECONDS + 600)
        figures |= page_figures("under_load", json.loads(out.read_text()))
    finally:
        server.terminate()
        server.wait(timeout=30)
    statuses = run["statuses"]
    figures |= {
        "checkin_rps": round(run["ok"] / SECONDS, 1),
        "checkin_p50_ms": round(percentile(run["latencies"], 0.50), 1),
        "checkin_p99_ms": round(percentile(run["latencies"], 0.99), 1),
        "cpu_ms_per_checkin": round(run["web_cpu_ms"] + run["database_cpu_ms"], 2),
        "web_cpu_ms_per_checkin": round(run["web_cpu_ms"], 2),
        "database_cpu_ms_per_checkin": round(run["database_cpu_ms"], 2),
        "checkin_5xx": sum(n for s, n in statuses.items() if isinstance(s, int) and s >= 500),
        "checkin_statuses": {str(s): n for s, n in statuses.items()},
    }
    print(
        f"check-ins at saturation: {figures['checkin_rps']} req/s, p50 "
        f"{figures['checkin_p50_ms']} ms, p99 {figures['checkin_p99_ms']} ms, "
        f"{figures['cpu_ms_per_checkin']} ms CPU each (web {figures['web_cpu_ms_per_checkin']} + "
        f"PostgreSQL {figures['database_cpu_ms_per_checkin']}), "
        f"{figures['checkin_5xx']} 5xx",
        flush=True,
    )
    pages, out = timed_pages(10)
    pages.wait(timeout=600)
    figures |= page_figures("idle", json.loads(out.read_text()))
    for when in ("under_load", "idle"):
        print(
            f"{when}: {figures[f'{when}_largest_university']} admin's dashboard p50 "
            f"{figures[f'{when}_university_dashboard_p50_ms']} ms, p99 "
            f"{figures[f'{when}_university_dashboard_p99_ms']} ms (cold cache "
            f"{figures[f'{when}_university_dashboard_cold_cache_ms']} ms); province overview "
            f"p50 {figures[f'{when}_province_overview_p50_ms']} ms, p99 "
            f"{figures[f'{when}_province_overview_p99_ms']} ms (cold cache "
            f"{figures[f'{when}_province_overview_cold_cache_ms']} ms)",
            flush=True,
        )
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--pages"]:
        pages_timed(float(sys.argv[2]), sys.argv[3])
    else:
        main()
