"""Daily check-in under the morning peak (issue 5), on the production server configuration.

    .venv/bin/python bench/checkin_load.py

Builds a university of 30,000 people with accounts and API tokens and 90 days of check-in
history (2.7 million records) in its own PostgreSQL database, starts gunicorn with the
production settings (real middleware, token auth, PostgreSQL, Redis cache), then:
  1. saturation: CONCURRENCY keep-alive connections from a load generator on loopback, each
     sending its next request as soon as the last is answered, alternately with check-ins and
     against the bare /healthz endpoint of the same server (two rounds each): throughput of
     both, their ratio, p50 and p99; some check-ins are retries with the same Idempotency-Key
     and some are same-day replacements;
  2. offered load: requests sent at a fixed rate (RATE per second, default 100: all 30,000
     people within five minutes), check-ins and bare alternately; latency is measured from when
     each request was due, so queueing counts;
  3. counts the people whose check-in got a 2xx against the rows in the database;
  4. restarts PostgreSQL in the middle of a second check-in run: requests during the outage
     must get 503 with Retry-After (the client retries with the same key), every 2xx must be in
     the database afterwards, and the server must recover without a restart;
  5. times the unit dashboard (server time, full Django stack) for the org admin and for one
     分党委 admin over the 2.7 million records.
Beside Qunce's check-in and the bare endpoint, the same saturation is run against a reference:
the same form written here with no framework (a raw WSGI app on the same gunicorn settings, one
prepared token lookup and one INSERT … ON CONFLICT into a copy of the check-in table with the
same uniqueness rule, no receipt, no alerts), the physical-limit line. Every saturation run
also counts the CPU of the web processes and of all PostgreSQL processes (/proc) per request.
Prints one line per figure and, last, one JSON object of all figures.

Needs root (or the cluster owner) for `pg_ctlcluster … restart`. BENCH_PEOPLE, BENCH_DAYS,
BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_RATE and BENCH_WORKERS change the sizes."""

import asyncio
import hashlib
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _database import checkin_body  # noqa: E402 (after the path it is found on)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qunce_bench_checkin"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qunce.settings")
# The cache the production server uses, here too, so the dashboard is timed as it runs there.
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "30000"))
DAYS = int(os.environ.get("BENCH_DAYS", "90"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = 2
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
RATE = float(os.environ.get("BENCH_RATE", "100"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
THREADS = 2
PORT = 8765
REFERENCE_PORT = 8766
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
RETRY_SHARE = 0.05  # a flaky network: the same request again, same key
REPLACE_SHARE = 0.02  # a person corrects today's answers: new key, same day
OUTAGE_AT_SECONDS = 3.0
SERVER_LOG = Path(tempfile.gettempdir()) / "qunce-bench-gunicorn.log"


def build(tokens_path):
    """The university, its accounts and tokens, the check-in policy and 90 days of history."""
    import django

    django.setup()
    from _database import checkin_university, insert_checkin_history, recreate_benchmark_database

    recreate_benchmark_database()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    cache.clear()  # counts cached by an earlier run describe another database
    started = time.perf_counter()
    campaign, tokens = checkin_university(people=PEOPLE, seed=5)
    today = timezone.localdate()
    with connection.cursor() as cursor:
        history = insert_checkin_history(
            cursor,
            campaign_id=campaign.pk,
            today=today,
            days_back=range(1, DAYS + 1),
            accounts_only=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()  # PostgreSQL is restarted later; this process reconnects when it needs
    Path(tokens_path).write_text(json.dumps(tokens))
    return {
        "people": len(tokens),
        "history_records": history,
        "build_seconds": round(time.perf_counter() - started, 1),
    }, campaign.pk


def server_environment():
    return {
        **os.environ,
        "QUNCE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "COUNSELLING_KEY": "cXVuY2UtY2hlY2tpbi1iZW5jaC1rZXktbm90LXJlYWw=",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": os.environ["REDIS_URL"],
        "LOG_LEVEL": "ERROR",
    }


REFERENCE_TABLE = "bench_reference_checkin"
_reference = threading.local()


def reference_app(environ, start_response):
    """The check-in with no framework: token, minimal checks, one INSERT with the uniqueness
    rule. Served by gunicorn from this module (`checkin_load:reference_app`)."""
    import psycopg

    if not hasattr(_reference, "connection"):
        _reference.connection = psycopg.connect(
            DEFAULT_URL.replace("postgres://", "postgresql://"), autocommit=True
        )

    def respond(status, body):
        # With its length, so that a keep-alive connection is not answered in chunks.
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]

    if environ["PATH_INFO"] == "/healthz":
        return respond("200 OK", b"ok")
    connection = _reference.connection
    token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
    body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
    if not body.get("pledged") or not 35 <= float(body.get("temperature", 0)) <= 42:
        return respond("422 Unprocessable Entity", b'{"detail": "invalid"}')
    person = connection.execute(
        "SELECT p.id, p.unit_id FROM accounts_apitoken t JOIN org_person p ON p.user_id = t.user_id"
        " WHERE t.digest = %s AND t.revoked_at IS NULL",
        [hashlib.sha256(token.encode()).hexdigest()],
        prepare=True,
    ).fetchone()
    if person is None:
        return respond("401 Unauthorized", b'{"detail": "Unauthorized"}')
    row = connection.execute(
        f"""INSERT INTO {REFERENCE_TABLE} (campaign_id, person_id, unit_id, day, region_id,
            on_campus, temperature, symptoms, visited_risk_area, contact, isolation, health_code,
            vaccination, note, pledged, fever, location_changed, alert_reasons, version,
            submitted_at, updated_at)
        VALUES (%s, %s, %s, current_date, %s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s, '', true,
            false, false, '[]', 1, now(), now())
        ON CONFLICT (campaign_id, person_id, day) DO NOTHING RETURNING id""",
        [
            int(os.environ["BENCH_CAMPAIGN"]),
            person[0],
            person[1],
            body["region"],
            body["on_campus"],
            body["temperature"],
            json.dumps(body["symptoms"]),
            body["visited_risk_area"],
            body["contact"],
            body["isolation"],
            body["health_code"],
            body["vaccination"],
        ],
        prepare=True,
    ).fetchone()
    return respond("201 Created" if row else "200 OK", json.dumps({"id": row and row[0]}).encode())


def create_reference_table():
    import psycopg

    with psycopg.connect(
        DEFAULT_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as connection:
        connection.execute(f"DROP TABLE IF EXISTS {REFERENCE_TABLE}")
        # The same columns, defaults, uniqueness rule, indexes and partitioning by month as
        # health_checkin's (one partition takes every day here, as this month's does there).
        connection.execute(
            f"CREATE TABLE {REFERENCE_TABLE} (LIKE health_checkin INCLUDING ALL) "
            "PARTITION BY RANGE (day)"
        )
        connection.execute(
            f"CREATE TABLE {REFERENCE_TABLE}_days PARTITION OF {REFERENCE_TABLE} DEFAULT"
        )


def process_cpu_seconds(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def serving_cpu_seconds(server):
    """CPU so far of a gunicorn's workers and of every PostgreSQL process (its backends, the WAL
    writer, the checkpointer: all of the database's work for the requests)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    web = sum(process_cpu_seconds(pid) for pid in children)
    database = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    database += process_cpu_seconds(entry.name)
            except OSError:
                continue
    return web, database


def metered(server, run):
    """Run a saturation round and add its CPU per answered request (web, database, both)."""
    web_before, database_before = serving_cpu_seconds(server)
    result = run()
    web_after, database_after = serving_cpu_seconds(server)
    answered = max(result["ok"], 1)
    result["web_cpu_ms"] = (web_after - web_before) / answered * 1000
    result["database_cpu_ms"] = (database_after - database_before) / answered * 1000
    return result


def start_server(application="qunce.wsgi", port=PORT, folder=ROOT, log=SERVER_LOG, **extra):
    static_root = tempfile.mkdtemp(prefix="qunce-static-")
    environment = {**server_environment(), "STATIC_ROOT": static_root, **extra}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            application,
            # As README's production command: the app is imported once, before the workers
            # fork, so none of them spends its first requests importing.
            "--preload",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=folder,
        env=environment,
        # The outage run makes every worker log its 503s with a traceback: kept out of sight.
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


class Plan:
    """The requests of one check-in run: each person once, plus retries and replacements."""

    def __init__(self, tokens, rng, path="/api/v1/health/checkins", regions=None):
        self.rng = rng
        self.path = path
        # {person id: where they are}: by default somewhere in Anshan, whoever they are.
        self.regions = regions or {}
        self.fresh = tokens  # shared by the runs: each person is new to exactly one of them
        self.sent = []  # (person id, token, key, body) of first submissions
        self.accepted = set()

    def next_request(self):
        roll = self.rng.random()
        if self.sent and roll < RETRY_SHARE:
            person, token, key, body = self.rng.choice(self.sent)
        elif self.sent and roll < RETRY_SHARE + REPLACE_SHARE:
            person, token, _, _ = self.rng.choice(self.sent)
            key = secrets.token_hex(12)
            body = checkin_body(self.rng, replacing=True, region=self.regions.get(person))
        else:
            if not self.fresh:
                return None
            person, token = self.fresh.pop()
            key = secrets.token_hex(12)
            body = checkin_body(self.rng, region=self.regions.get(person))
            self.sent.append((person, token, key, body))
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nIdempotency-Key: {key}\r\n"
            "X-Forwarded-Proto: https\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        return person, head + body


BARE_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n"


async def exchange(reader, writer, payload):
    writer.write(payload)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length, retry_after, closing = 0, None, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.lower()
        if name == "content-length":
            length = int(value)
        elif name == "retry-after":
            retry_after = value.strip()
        elif name == "connection" and value.strip().lower() == "close":
            closing = True
    if length:
        await reader.readexactly(length)
    return status, retry_after, closing


async def drive(kind, seconds, plan=None, on_tick=None, port=PORT):
    """Closed loop: CONCURRENCY connections, each sending its next request on the last answer."""
    latencies, statuses = [], {}
    clean_503 = 0
    deadline = time.perf_counter() + seconds

    async def connection_loop():
        nonlocal clean_503
        reader = writer = None
        pending = None
        while time.perf_counter() < deadline:
            if pending is None:
                pending = plan.next_request() if plan else (None, BARE_REQUEST)
                if pending is None:
                    return
            person, payload = pending
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                started = time.perf_counter()
                status, retry_after, closing = await exchange(reader, writer, payload)
            except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError):
                statuses["connection_error"] = statuses.get("connection_error", 0) + 1
                writer = None
                await asyncio.sleep(0.2)
                continue
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            if closing:
                writer.close()
                writer = None
            if 200 <= status < 300:
                if plan:
                    plan.accepted.add(person)
                pending = None
            elif status == 503 and retry_after:
                # The client keeps the request (same key) and tries again shortly.
                clean_503 += 1
                await asyncio.sleep(min(float(retry_after), 1.0))
            else:
                pending = None
        if writer is not None:
            writer.close()

    started = time.perf_counter()
    tasks = [asyncio.create_task(connection_loop()) for _ in range(CONCURRENCY)]
    if on_tick:
        tasks.append(asyncio.create_task(on_tick()))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    ok = sum(n for s, n in statuses.items() if isinstance(s, int) and 200 <= s < 300)
    return {
        "kind": kind,
        "requests": len(latencies),
        "ok": ok,
        "rps": ok / elapsed,
        "latencies": latencies,
        "statuses": statuses,
        "clean_503": clean_503,
    }


async def offer(kind, seconds, plan=None, dues=None):
    """Open loop: one request every 1/RATE s (or at each of `dues`, seconds from the start)
    whatever the answers, on a pool of keep-alive connections; a request's latency runs from
    when it was due."""
    latencies, statuses = [], {}
    idle = asyncio.Queue()
    for _ in range(64):
        idle.put_nowait(await asyncio.open_connection("127.0.0.1", PORT))

    async def one(due, person, payload):
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        reader, writer = await idle.get()
        try:
            status, _, closing = await exchange(reader, writer, payload)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, ValueError):
            statuses["connection_error"] = statuses.get("connection_error", 0) + 1
            idle.put_nowait(await asyncio.open_connection("127.0.0.1", PORT))
            return
        latencies.append(time.perf_counter() - due)
        statuses[status] = statuses.get(status, 0) + 1
        if 200 <= status < 300 and plan:
            plan.accepted.add(person)
        if closing:
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
        idle.put_nowait((reader, writer))

    started = time.perf_counter()
    tasks = []
    for due in dues if dues is not None else (index / RATE for index in range(int(seconds * RATE))):
        person, payload = plan.next_request() if plan else (None, BARE_REQUEST)
        tasks.append(asyncio.create_task(one(started + due, person, payload)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    while not idle.empty():
        idle.get_nowait()[1].close()
    ok = sum(n for s, n in statuses.items() if isinstance(s, int) and 200 <= s < 300)
    return {
        "kind": kind,
        "ok": ok,
        "rps": ok / elapsed,
        "latencies": latencies,
        "statuses": statuses,
    }


def count_5xx(runs):
    return sum(
        n
        for run in runs
        for status, n in run["statuses"].items()
        if not isinstance(status, int) or status >= 500
    )


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def database_rows(day):
    import psycopg

    with psycopg.connect(DEFAULT_URL.replace("postgres://", "postgresql://")) as connection:
        return connection.execute(
            "SELECT person_id FROM health_checkin WHERE day = %s", [day]
        ).fetchall()


def restart_postgresql():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
    )


def dashboard_timing():
    """Server time of the dashboard page, the whole Django stack, in this process."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connections
    from django.test import Client

    from qunce.org.models import Role, RoleGrant

    connections.close_all()

    figures = {}
    for label, role in (("org", Role.ORG_ADMIN), ("unit", Role.UNIT_ADMIN)):
        grant = RoleGrant.objects.filter(role=role).select_related("user").order_by("pk").first()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(grant.user)
        # Warm the process (templates, URLs) on another page; empty the cache so that the
        # first dashboard request counts the past days as the day's first visitor does.
        client.get("/health/alerts/", headers={"x-forwarded-proto": "https"})
        cache.clear()
        times = []
        for _ in range(21):
            started = time.perf_counter()
            response = client.get("/health/dashboard/", headers={"x-forwarded-proto": "https"})
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        # The first request of the day also counts the 13 past days into the cache.
        figures[f"dashboard_{label}_cold_cache_ms"] = round(times[0] * 1000, 1)
        figures[f"dashboard_{label}_median_ms"] = round(statistics.median(times[1:]) * 1000, 1)
        figures[f"dashboard_{label}_max_ms"] = round(max(times[1:]) * 1000, 1)
    return figures


def main():
    rng = random.Random(5)
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        tokens_path = Path(folder) / "tokens.json"
        built, campaign_id = build(tokens_path)
        figures |= built
        print(
            f"built {figures['people']} people, {figures['history_records']} records of history "
            f"in {figures['build_seconds']} s",
            flush=True,
        )
        tokens = [tuple(item) for item in json.loads(tokens_path.read_text())]
    rng.shuffle(tokens)
    create_reference_table()
    reference_server = start_server(
        "checkin_load:reference_app",
        port=REFERENCE_PORT,
        folder=ROOT / "bench",
        log=SERVER_LOG.with_name("qunce-bench-reference.log"),
        BENCH_CAMPAIGN=str(campaign_id),
    )
    server = start_server()
    try:
        plan = Plan(tokens, rng)
        # The reference has a table of its own: the same people, each new to it.
        reference_plan = Plan(list(tokens), random.Random(6), path="/checkin")
        runs = {"checkin": [], "bare": [], "reference": []}
        for _ in range(ROUNDS):
            runs["checkin"].append(
                metered(server, lambda: asyncio.run(drive("checkin", SECONDS, plan)))
            )
            runs["bare"].append(metered(server, lambda: asyncio.run(drive("bare", SECONDS))))
            runs["reference"].append(
                metered(
                    reference_server,
                    lambda: asyncio.run(
                        drive("reference", SECONDS, reference_plan, port=REFERENCE_PORT)
                    ),
                )
            )
        reference_server.terminate()
        reference_server.wait(timeout=30)
        offered = {"checkin": [], "bare": []}
        for _ in range(ROUNDS):
            offered["checkin"].append(asyncio.run(offer("checkin", SECONDS, plan)))
            offered["bare"].append(asyncio.run(offer("bare", SECONDS)))
        from django.utils import timezone

        today = timezone.localdate()
        rows = database_rows(today)
        checkin_latencies = [v for run in runs["checkin"] for v in run["latencies"]]
        bare_latencies = [v for run in runs["bare"] for v in run["latencies"]]
        checkin_rps = sum(run["ok"] for run in runs["checkin"]) / (ROUNDS * SECONDS)
        bare_rps = sum(run["ok"] for run in runs["bare"]) / (ROUNDS * SECONDS)
        reference_rps = sum(run["ok"] for run in runs["reference"]) / (ROUNDS * SECONDS)
        reference_latencies = [v for run in runs["reference"] for v in run["latencies"]]

        def cpu_ms(kind, part=("web_cpu_ms", "database_cpu_ms")):
            return round(statistics.mean(sum(run[p] for p in part) for run in runs[kind]), 3)

        errors_5xx = count_5xx(
            runs["checkin"] + runs["bare"] + offered["checkin"] + offered["bare"]
        )
        offered_checkin = [v for run in offered["checkin"] for v in run["latencies"]]
        offered_bare = [v for run in offered["bare"] for v in run["latencies"]]
        offered_checkin_rps = sum(run["ok"] for run in offered["checkin"]) / (ROUNDS * SECONDS)
        offered_bare_rps = sum(run["ok"] for run in offered["bare"]) / (ROUNDS * SECONDS)
        figures |= {
            "ratio": round(checkin_rps / bare_rps, 3),
            "cpu_ms_per_checkin": cpu_ms("checkin"),
            "web_cpu_ms_per_checkin": cpu_ms("checkin", ("web_cpu_ms",)),
            "database_cpu_ms_per_checkin": cpu_ms("checkin", ("database_cpu_ms",)),
            "bare_cpu_ms": cpu_ms("bare"),
            "reference_rps": round(reference_rps, 1),
            "ratio_to_reference": round(checkin_rps / reference_rps, 3),
            "reference_cpu_ms_per_checkin": cpu_ms("reference"),
            "reference_p99_ms": round(percentile(reference_latencies, 0.99), 1),
            "reference_statuses": {
                str(status): sum(run["statuses"].get(status, 0) for run in runs["reference"])
                for status in {k for run in runs["reference"] for k in run["statuses"]}
            },
            "checkin_rps": round(checkin_rps, 1),
            "bare_rps": round(bare_rps, 1),
            "p50_ms": round(percentile(checkin_latencies, 0.50), 1),
            "p99_ms": round(percentile(checkin_latencies, 0.99), 1),
            "bare_p50_ms": round(percentile(bare_latencies, 0.50), 1),
            "bare_p99_ms": round(percentile(bare_latencies, 0.99), 1),
            "accepted": len(plan.accepted),
            "rows": len(rows),
            "errors_5xx": errors_5xx,
            "checkin_statuses": {
                str(status): sum(run["statuses"].get(status, 0) for run in runs["checkin"])
                for status in {k for run in runs["checkin"] for k in run["statuses"]}
            },
            "concurrency": CONCURRENCY,
            "workers": f"{WORKERS} gthread x {THREADS}",
            "offered_rate": RATE,
            "offered_checkin_rps": round(offered_checkin_rps, 1),
            "offered_bare_rps": round(offered_bare_rps, 1),
            "offered_ratio": round(offered_checkin_rps / offered_bare_rps, 3),
            "offered_p50_ms": round(percentile(offered_checkin, 0.50), 1),
            "offered_p99_ms": round(percentile(offered_checkin, 0.99), 1),
            "offered_bare_p99_ms": round(percentile(offered_bare, 0.99), 1),
        }
        print(
            f"check-in {figures['checkin_rps']} req/s (p50 {figures['p50_ms']} ms, p99 "
            f"{figures['p99_ms']} ms) vs bare {figures['bare_rps']} req/s (p99 "
            f"{figures['bare_p99_ms']} ms): ratio {figures['ratio']}; accepted "
            f"{figures['accepted']}, rows {figures['rows']}, 5xx {errors_5xx}",
            flush=True,
        )
        print(
            f"CPU per request (web + PostgreSQL): check-in {figures['cpu_ms_per_checkin']} ms "
            f"({figures['web_cpu_ms_per_checkin']} + {figures['database_cpu_ms_per_checkin']}), "
            f"bare {figures['bare_cpu_ms']} ms; reference (no framework) "
            f"{figures['reference_rps']} req/s at {figures['reference_cpu_ms_per_checkin']} ms, "
            f"p99 {figures['reference_p99_ms']} ms: check-in at {figures['ratio_to_reference']}x "
            "the reference",
            flush=True,
        )
        print(
            f"offered {RATE:g} req/s: check-in {figures['offered_checkin_rps']} req/s (p50 "
            f"{figures['offered_p50_ms']} ms, p99 {figures['offered_p99_ms']} ms) vs bare "
            f"{figures['offered_bare_rps']} req/s (p99 {figures['offered_bare_p99_ms']} ms)",
            flush=True,
        )

        outage_plan = Plan(tokens, rng)

        async def restart_midway():
            await asyncio.sleep(OUTAGE_AT_SECONDS)
            await asyncio.to_thread(restart_postgresql)

        outage = asyncio.run(drive("outage", SECONDS + 4, outage_plan, restart_midway))
        after = asyncio.run(drive("bare", 1))
        rows_after = {person for (person,) in database_rows(today)}
        lost = [p for p in outage_plan.accepted | plan.accepted if p not in rows_after]
        recovered = asyncio.run(drive("checkin", 2, Plan(tokens, rng)))
        other_5xx = sum(
            n
            for status, n in outage["statuses"].items()
            if isinstance(status, int) and status >= 500 and status != 503
        )
        figures |= {
            "outage_requests": outage["requests"],
            "outage_503_with_retry_after": outage["clean_503"],
            "outage_other_5xx": other_5xx,
            "outage_connection_errors": outage["statuses"].get("connection_error", 0),
            "outage_accepted": len(outage_plan.accepted),
            "lost_after_restart": len(lost),
            "recovered_checkins_2s": recovered["ok"],
            "bare_after_restart_ok": after["ok"] > 0,
            "server_restarted": False,
        }
        print(
            f"PostgreSQL restarted mid-run: {outage['clean_503']} answers 503 + Retry-After, "
            f"{other_5xx} other 5xx, {figures['outage_connection_errors']} connection errors; "
            f"{len(outage_plan.accepted)} accepted, {len(lost)} of all accepted missing; "
            f"{recovered['ok']} check-ins in 2 s afterwards on the same server",
            flush=True,
        )
    finally:
        for running in (server, reference_server):
            if running.poll() is None:
                running.terminate()
                running.wait(timeout=30)
    figures |= dashboard_timing()
    print(
        f"dashboard over {figures['history_records']} records: org admin cold cache "
        f"{figures['dashboard_org_cold_cache_ms']} ms, median {figures['dashboard_org_median_ms']} ms, "
        f"max {figures['dashboard_org_max_ms']} ms; 分党委 admin cold cache "
        f"{figures['dashboard_unit_cold_cache_ms']} ms, median {figures['dashboard_unit_median_ms']} "
        f"ms, max {figures['dashboard_unit_max_ms']} ms",
        flush=True,
    )
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
