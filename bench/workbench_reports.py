"""The org admin's workbench and report over a university of 30,000 with every app seeded
(the workbench issue).

    .venv/bin/python bench/workbench_reports.py

Builds the demo university twice in its own PostgreSQL database, first with SMALL_PEOPLE and
then with BENCH_PEOPLE (default 30,000) people, with every app's demo data (seed_demo) and
BENCH_DAYS (default 30) days of check-ins for everyone. On each it measures, through the whole
Django stack in this process (Client, real middleware, Redis cache):
  - the workbench (the home page) for the org admin: queries and server time;
  - the report page for the running campaign over the whole university: queries and time;
  - the report's Excel export (one row a person on its third sheet) in a process of its own,
    streamed to nowhere: seconds, the process's peak resident memory and how much the export
    added to the process after a first page had imported everything.
Prints one line per figure and, last, one JSON object of all figures."""

import json
import os
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
    from _database import insert_checkin_history, recreate_benchmark_database
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
    # A month of check-ins (93 % of people a day), beyond the demo's fortnight.
    with connection.cursor() as cursor:
        insert_checkin_history(
            cursor, campaign_id=campaign.pk, today=today, days_back=range(DAYS), share=0.93
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


def _peak_rss_mb():
    """This process's peak resident memory (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def export_only():
    # A forked child starts with its parent's peak (the parent built 30,000 people): reset it.
    Path("/proc/self/clear_refs").write_text("5")
    import django

    django.setup()
    from django.test import Client

    from qunce.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="orgadmin"))
    # The first request imports every app's views (the matching engine's numerics among them):
    # that is the process's size, not the export's.
    assert client.get("/reports/", headers=HTTPS).status_code == 200
    before = _peak_rss_mb()
    started = time.perf_counter()
    response = client.get("/reports/export.xlsx", headers=HTTPS)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    peak = _peak_rss_mb()
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
        figures |= {f"{label}_{k}": v for k, v in export_in_own_process().items()}
        print(
            f"{label}: {figures[f'{label}_people']} people built in {figures[f'{label}_build_s']} s; "
            f"workbench {figures[f'{label}_workbench_queries']} queries, "
            f"median {figures[f'{label}_workbench_median_ms']} ms; "
            f"report {figures[f'{label}_report_queries']} queries, "
            f"median {figures[f'{label}_report_median_ms']} ms; "
            f"export {figures[f'{label}_export_seconds']} s, "
            f"peak {figures[f'{label}_export_peak_mb']} MB "
            f"(+{figures[f'{label}_export_growth_mb']} MB over the warmed process)",
            flush=True,
        )
    figures |= {
        "workbench_ms": figures["large_workbench_median_ms"],
        "workbench_queries_constant": figures["small_workbench_queries"]
        == figures["large_workbench_queries"],
        "report_ms": figures["large_report_median_ms"],
        "report_queries_constant": figures["small_report_queries"]
        == figures["large_report_queries"],
        "export_peak_mb": figures["large_export_peak_mb"],
        "export_growth_mb_small_vs_large": [
            figures["small_export_growth_mb"],
            figures["large_export_growth_mb"],
        ],
    }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if "--export" in sys.argv:
        export_only()
    else:
        main()
