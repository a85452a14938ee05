"""Where a check-in's time goes: the full Django stack in one process, called as gunicorn calls
it (the WSGI handler, production settings, token auth, PostgreSQL, Redis), no network between.

    .venv/bin/python bench/checkin_profile.py

Builds BENCH_PEOPLE people (default 3,000) with tokens and 14 days of history in its own
database, warms up, then for CHECKINS first check-ins (default 1,500) measures the CPU of this
process and of its PostgreSQL backend (/proc) per check-in, the same for the bare /healthz, and
the statements one check-in sends; then profiles 1,000 more with pyinstrument and prints the
call tree; then the same check-in through the page a phone opens (a signed-in session: the
form and its htmx POST, answered with the status card), and as a browser without script
does it (the form, its POST and the page it leads back to), for 500 people each. BENCH_REUSE=1 reuses the last
run's university (today's records emptied). Last line: one JSON object of the figures."""

import io
import json
import os
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _database import checkin_body  # noqa: E402 (after the path it is found on)

os.environ.update(
    {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/qunce_bench_profile",
        "DJANGO_SETTINGS_MODULE": "qunce.settings",
        "QUNCE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "COUNSELLING_KEY": "cXVuY2UtY2hlY2tpbi1iZW5jaC1rZXktbm90LXJlYWw=",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_CONN_MAX_AGE": "600",
        "REDIS_URL": "redis://127.0.0.1:6379/4",
        "LOG_LEVEL": "ERROR",
        # The pages name their static files through the production manifest.
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "qunce-bench-profile-static"),
    }
)
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "3000"))
CHECKINS = int(os.environ.get("BENCH_CHECKINS", "1500"))
PROFILED = 1000
PAGE_ROUND, PAGE_ROUNDS = 50, 10
PAGE_CHECKINS = PAGE_ROUND * PAGE_ROUNDS
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


TOKENS = Path(tempfile.gettempdir()) / "qunce-bench-profile-tokens.json"


def build():
    """The university, or with BENCH_REUSE=1 the one the last run built, today emptied."""
    import django

    django.setup()
    from _database import checkin_university, insert_checkin_history, recreate_benchmark_database
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    cache.clear()
    if os.environ.get("BENCH_REUSE") == "1" and TOKENS.exists():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM health_checkinreceipt")
            cursor.execute("DELETE FROM health_checkinrevision")
            cursor.execute("DELETE FROM health_checkin WHERE day = %s", [timezone.localdate()])
        return [tuple(item) for item in json.loads(TOKENS.read_text())]
    recreate_benchmark_database()
    call_command("migrate", verbosity=0)
    cache.clear()
    campaign, tokens = checkin_university(people=PEOPLE, seed=5)
    with connection.cursor() as cursor:
        insert_checkin_history(
            cursor,
            campaign_id=campaign.pk,
            today=timezone.localdate(),
            days_back=range(1, 15),
            accounts_only=True,
        )
        cursor.execute("VACUUM ANALYZE")
    TOKENS.write_text(json.dumps(tokens))
    return tokens


BODY = checkin_body(random.Random(1))


def environ(method, path, token=None, body=b""):
    values = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
    }
    if token:
        values |= {
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "HTTP_IDEMPOTENCY_KEY": secrets.token_hex(12),
            "CONTENT_TYPE": "application/json",
        }
    return values


def backend_cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


def main():
    tokens = build()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from pyinstrument import Profiler

    application = WSGIHandler()
    statuses = {}

    def call(values):
        def start_response(status, headers, exc_info=None):
            statuses[status[:3]] = statuses.get(status[:3], 0) + 1

        b"".join(application(values, start_response))

    people = iter(tokens)

    def checkin():
        call(environ("POST", "/api/v1/health/checkins", next(people)[1], BODY))

    for _ in range(200):  # warm: imports, caches, the connection
        checkin()
        call(environ("GET", "/healthz"))
    statements = statements_of(checkin)
    backend = connection.connection.info.backend_pid

    def measure(work, count):
        started_cpu, started_backend = time.process_time(), backend_cpu_seconds(backend)
        started = time.perf_counter()
        for _ in range(count):
            work()
        elapsed = time.perf_counter() - started
        app_ms = (time.process_time() - started_cpu) / count * 1000
        db_ms = (backend_cpu_seconds(backend) - started_backend) / count * 1000
        return round(app_ms, 3), round(db_ms, 3), round(elapsed / count * 1000, 3)

    app_ms, db_ms, wall_ms = measure(checkin, CHECKINS)
    bare_app_ms, bare_db_ms, bare_wall_ms = measure(
        lambda: call(environ("GET", "/healthz")), CHECKINS
    )
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(PROFILED):
        checkin()
    profiler.stop()
    page = page_checkins(tokens, measure)
    print(profiler.output_text(unicode=False, color=False, show_all=False))
    print("statements of one check-in:")
    for sql in statements:
        print("   ", " ".join(sql.split())[:160])
    figures = {
        "checkins": CHECKINS,
        "app_cpu_ms_per_checkin": app_ms,
        "db_cpu_ms_per_checkin": db_ms,
        "cpu_ms_per_checkin": round(app_ms + db_ms, 3),
        "wall_ms_per_checkin": wall_ms,
        "bare_cpu_ms": round(bare_app_ms + bare_db_ms, 3),
        "bare_wall_ms": bare_wall_ms,
        "statements_per_checkin": len(statements),
        "statuses": statuses,
        **page,
    }
    print(
        f"check-in: {figures['cpu_ms_per_checkin']} ms CPU ({app_ms} in Django, {db_ms} in "
        f"PostgreSQL), {wall_ms} ms wall, {figures['statements_per_checkin']} statements; "
        f"bare /healthz {figures['bare_cpu_ms']} ms CPU"
    )
    for name, what in (
        ("page", "the page with script (GET the form, htmx POSTs it)"),
        ("page_without_script", "the page without script (GET the form, POST it, GET the answer)"),
    ):
        print(
            f"{what}: {page[f'{name}_cpu_ms_per_checkin']} ms CPU "
            f"({page[f'{name}_app_cpu_ms_per_checkin']} in Django, "
            f"{page[f'{name}_db_cpu_ms_per_checkin']} in PostgreSQL), "
            f"{page[f'{name}_statements_per_checkin']} statements"
        )
    print(json.dumps(figures))


def statements_of(work):
    """The SQL that one call of `work` sends (prepared statements included, which Django's
    query log cannot show)."""
    from django.db import connection

    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        work()
    return statements


def page_checkins(tokens, measure):
    """What a phone in WeChat's browser costs: a signed-in session opens the check-in page and
    posts the form, with script (htmx) and without (a second page). Today's records are emptied
    first so that the same people can check in again; PAGE_CHECKINS people for each, after 50
    to warm up."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from qunce.accounts.services import needs_second_factor
    from qunce.org.models import Person

    call_command("collectstatic", "--no-input", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM health_checkinreceipt")
        cursor.execute("DELETE FROM health_checkin WHERE day = %s", [timezone.localdate()])
    # Not the few whose first password is still to change: the page sends them to change it.
    user_of = dict(
        Person.objects.filter(
            pk__in=[person for person, _ in tokens], user__must_change_password=False
        ).values_list("pk", "user_id")
    )
    users = get_user_model().objects.in_bulk(user_of.values())
    # Nor administrators: the page sends them to their second factor first.
    person_ids = [
        person
        for person, _ in tokens
        if person in user_of and not needs_second_factor(users[user_of[person]])
    ][: 2 * (PAGE_CHECKINS + 51)]
    clients = []
    for person in person_ids:
        client = Client(HTTP_HOST="127.0.0.1", headers={"x-forwarded-proto": "https"})
        if clients:
            # One handler, as one server process has: each new one would load the middleware
            # again (WhiteNoise alone scans every static file, 50 ms).
            client.handler = clients[0].handler
        client.force_login(users[user_of[person]])
        clients.append(client)
    answers = iter(clients)
    rng = random.Random(2)

    def checkin_by_page():
        """With script, as WeChat's browser runs it: htmx posts the form and swaps in the
        status card; no second page."""
        client = next(answers)
        assert client.get("/health/").status_code == 200
        posted = client.post("/health/", page_form(rng), headers={"HX-Request": "true"})
        assert "checkin-saved" in posted.get("HX-Trigger", ""), posted.status_code

    def checkin_by_page_without_script():
        client = next(answers)
        opened = client.get("/health/")
        assert opened.status_code == 200, (opened.status_code, opened.get("Location"))
        posted = client.post("/health/", page_form(rng))
        assert posted.status_code == 302, posted.status_code
        assert client.get(posted["Location"]).status_code == 200

    paths = {"page": checkin_by_page, "page_without_script": checkin_by_page_without_script}
    figures = {"page_checkins": PAGE_CHECKINS}
    spent = {name: [0.0, 0.0] for name in paths}
    for name, work in paths.items():
        for _ in range(50):
            work()
        figures[f"{name}_statements_per_checkin"] = len(statements_of(work))
    # Side by side in rounds, so that a drift of the machine weighs on both alike.
    for _ in range(PAGE_ROUNDS):
        for name, work in paths.items():
            app_ms, db_ms, _ = measure(work, PAGE_ROUND)
            spent[name][0] += app_ms / PAGE_ROUNDS
            spent[name][1] += db_ms / PAGE_ROUNDS
    for name, (app_ms, db_ms) in spent.items():
        figures |= {
            f"{name}_app_cpu_ms_per_checkin": round(app_ms, 3),
            f"{name}_db_cpu_ms_per_checkin": round(db_ms, 3),
            f"{name}_cpu_ms_per_checkin": round(app_ms + db_ms, 3),
        }
    return figures


def page_form(rng):
    """checkin_body's healthy day as the page's form posts it."""
    answers = json.loads(checkin_body(rng))
    county = answers["region"]
    return {
        "province": county[:2] + "0000",
        "city": county[:4] + "00",
        "county": county,
        "on_campus": "yes",
        "temperature": answers["temperature"],
        "symptoms": answers["symptoms"],
        "visited_risk_area": "no",
        "contact": answers["contact"],
        "isolation": answers["isolation"],
        "health_code": answers["health_code"],
        "vaccination": answers["vaccination"],
        "pledged": "on",
        "idempotency_key": secrets.token_hex(12),
    }


if __name__ == "__main__":
    main()
