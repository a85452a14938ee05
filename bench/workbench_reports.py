"""The org admin's workbench and report over a university of 30,000 with every app seeded
(the workbench issue).

    .venv/bin/python bench/workbench_reports.py

Builds the demo university twice in its own PostgreSQL database, first with SMALL_PEOPLE and
then with BENCH_PEOPLE (default 30,000) people, with every app's demo data (seed_demo) and
BENCH_DAYS (default 30) days of check-ins for everyone. On each it measures, through the whole
Django stack in this process (Client, real middleware, Redis cache):
  - the workbench (the home page) for the org admin: queries and server time;
  - the report page for the running campaign over the whole university: queries and time;
then, on the large one, the report's Excel export (30,000 people on its third sheet) in a
process of its own, streamed to nowhere, with that process's peak resident memory.
Prints one line per figure and, last, one JSON object of all figures."""

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qunce_bench_reports")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qunce.settings")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "30000"))
SMALL_PEOPLE = int(os.environ.get("BENCH_SMALL_PEOPLE", "3000"))
DAYS = int(os.environ.get("BENCH_DAYS", "30"))
REPEATS = 15
HTTPS = {"x-forwarded-proto": "https"}


def build(people):
    import django

    django.setup()
    from _database import recreate_benchmark_database

    from django.db import connections

    connections.close_all()
    recreate_benchmark_database()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from qunce.org.models import Campaign

    call_command("migrate", verbosity=0)
    cache.clear()
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", people=people, stdout=quiet)
    campaign = Campaign.objects.get(status=Campaign.Status.ACTIVE)
    today = timezone.localdate()
    # A month of check-ins for everyone, beyond the demo's fortnight: one statement, like COPY.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO health_checkin (
                campaign_id, person_id, unit_id, day, region_id, on_campus, temperature,
                symptoms, visited_risk_area, contact, isolation, health_code, vaccination,
                note, pledged, fever, location_changed, alert_reasons, version,
                submitted_at, updated_at)
            SELECT %s, p.id, p.unit_id, %s::date - d, '210302', true, 36.5,
                   '["none"]'::jsonb, false, 'none', 'none', 'green', 'booster',
                   '', true, false, false, '[]'::jsonb, 1, now(), now()
            FROM org_person p CROSS JOIN generate_series(0, %s) AS d
            WHERE random() < 0.93
            ON CONFLICT DO NOTHING
            """,
            [campaign.pk, today, DAYS - 1],
        )
        cursor.execute("VACUUM ANALYZE")
    return round(time.perf_counter() - started, 1)


def timed(client, url):
    """(queries, median ms, max ms) of REPEATS requests after one warm-up."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url, headers=HTTPS).status_code == 200
    times = []
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, headers=HTTPS)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return len(queries), round(statistics.median(times) * 1000, 1), round(max(times) * 1000, 1)


def measure(label):
    from django.test import Client

    from qunce.accounts.models import User
    from qunce.org.models import Person

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="orgadmin"))
    figures = {f"{label}_people": Person.objects.count()}
    for name, url in (("workbench", "/"), ("report", "/reports/")):
        queries, median, worst = timed(client, url)
        figures |= {
            f"{label}_{name}_queries": queries,
            f"{label}_{name}_median_ms": median,
            f"{label}_{name}_max_ms": worst,
        }
    return figures


def export_in_own_process():
    """Run the export in a fresh process; return its seconds, bytes and peak RSS in MB."""
    output = subprocess.run(
        [sys.executable, __file__, "--export"], capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def export_only():
    import django

    django.setup()
    from django.test import Client

    from qunce.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="orgadmin"))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    response = client.get("/reports/export.xlsx", headers=HTTPS)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "export_seconds": round(seconds, 2),
                "export_bytes": size,
                "export_peak_mb": round(peak, 1),
                "export_growth_mb": round(peak - before, 1),
            }
        )
    )


def main():
    figures = {}
    for label, people in (("small", SMALL_PEOPLE), ("large", PEOPLE)):
        figures[f"{label}_build_s"] = build(people)
        figures |= measure(label)
        print(
            f"{label}: {figures[f'{label}_people']} people built in {figures[f'{label}_build_s']} s; "
            f"workbench {figures[f'{label}_workbench_queries']} queries, "
            f"median {figures[f'{label}_workbench_median_ms']} ms; "
            f"report {figures[f'{label}_report_queries']} queries, "
            f"median {figures[f'{label}_report_median_ms']} ms",
            flush=True,
        )
    figures |= export_in_own_process()
    print(
        f"export of {figures['large_people']} people: {figures['export_seconds']} s, "
        f"{figures['export_bytes']} bytes, peak RSS {figures['export_peak_mb']} MB "
        f"(+{figures['export_growth_mb']} MB over the process before the export)"
    )
    figures |= {
        "workbench_ms": figures["large_workbench_median_ms"],
        "workbench_queries_constant": figures["small_workbench_queries"]
        == figures["large_workbench_queries"],
        "report_ms": figures["large_report_median_ms"],
        "report_queries_constant": figures["small_report_queries"]
        == figures["large_report_queries"],
    }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if "--export" in sys.argv:
        export_only()
    else:
        main()
