"""Talent registry speed and memory (issue 3), on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qunce_bench .venv/bin/python bench/talents.py

Builds a 100,000-person university in its own database, then measures, each step in a fresh
process so its peak memory is its own:
  - import of a 10,000-row file (validation and write), time and peak RSS;
  - streamed export at 10,000 and at 100,000 people, time and peak RSS;
  - the people list filtered by discipline and keyword: server time (50 requests) and the
    query count at two page sizes.
Prints one line per figure and, last, one JSON object of all figures."""

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/qunce_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qunce.settings")
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def step_build():
    import django

    django.setup()
    from _database import recreate_benchmark_database

    recreate_benchmark_database()
    from django.core.management import call_command

    from qunce.org.demo import build_demo_university
    from qunce.talents.demo import build_demo_profiles

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = build_demo_university(people=PEOPLE, seed=7)
    counts |= build_demo_profiles(seed=7)
    return {"build_seconds": round(time.perf_counter() - started, 1), **counts}


def step_write_import_file(path):
    import django

    django.setup()
    from openpyxl import Workbook

    from qunce.codes.models import Discipline
    from qunce.org.models import Unit
    from qunce.talents.spreadsheet import COLUMNS, SHEET_TITLE

    rng = random.Random(3)
    branches = [f"{u.code} {u.name}" for u in Unit.objects.filter(kind=Unit.Kind.BRANCH)]
    disciplines = [
        f"{d.code} {d.name}" for d in Discipline.objects.exclude(level=Discipline.Level.CATEGORY)
    ]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.append([column.title for column in COLUMNS])
    for number in range(IMPORT_ROWS):
        values = {
            "staff_no": f"B{number:07d}",
            "name": f"导入{number}",
            "gender": rng.choice("男女"),
            "unit": rng.choice(branches),
            "title_level": rng.choice(["正高级", "副高级", "中级"]),
            "title": "副教授",
            "political_status": rng.choice(["中共党员", "群众"]),
            "mobile": f"139{number:08d}",
            "email": f"b{number}@example.edu.cn",
            "discipline_1": rng.choice(disciplines),
            "research_fields": "钢铁冶金",
            "keywords": "高炉炼铁、余热回收",
            "summary": "从事冶金工艺研究。" * 3,
            "works": "发明专利：一种高炉煤气余热回收的方法",
            "volunteers_technician": "是",
            "service_regions": "210300、210100",
            "preferred_channel": "微信",
            "availability": "可服务",
        }
        sheet.append([values.get(column.key, "") for column in COLUMNS])
    workbook.save(path)
    return {
        "import_file_rows": IMPORT_ROWS,
        "import_file_mb": round(Path(path).stat().st_size / 2**20, 2),
    }


def step_import(path):
    import django

    django.setup()
    from django.db import transaction

    from qunce.talents import importing

    started = time.perf_counter()
    with open(path, "rb") as handle, transaction.atomic():
        parsed, existing = importing.parse_and_classify(handle, acting_user=None)
        validated = time.perf_counter()
        assert not parsed.has_errors, parsed.file_errors or parsed.rows[0].errors
        counts = importing.apply_rows(parsed, existing, acting_user=None)
    finished = time.perf_counter()
    assert counts["new"] == IMPORT_ROWS, counts
    return {
        "import_rows": IMPORT_ROWS,
        "import_validate_seconds": round(validated - started, 2),
        "import_total_seconds": round(finished - started, 2),
        "import_peak_rss_mb": peak_rss_mb(),
    }


def step_export(limit):
    import django

    django.setup()
    from qunce.org.models import Person, Unit
    from qunce.talents import selectors, spreadsheet

    people = selectors.with_profile_details(selectors.registry_search(Person.objects.all()))
    ids = list(Person.objects.order_by("staff_no").values_list("pk", flat=True)[:limit])
    people = people.filter(pk__in=ids) if limit < Person.objects.count() else people
    started = time.perf_counter()
    handle = spreadsheet.write_export(people.iterator(chunk_size=2000), Unit.objects.all())
    size = os.fstat(handle.fileno()).st_size
    # Stream it as the response would, in 8 KiB blocks.
    while handle.read(8192):
        pass
    handle.close()
    return {
        f"export_{limit}_seconds": round(time.perf_counter() - started, 2),
        f"export_{limit}_peak_rss_mb": peak_rss_mb(),
        f"export_{limit}_file_mb": round(size / 2**20, 1),
    }


def step_list():
    # The whole request stack, as a browser's request would go through it, but without the test
    # environment's template instrumentation (it copies every context and doubles render time).
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from qunce.accounts.models import User
    from qunce.org import views as org_views
    from qunce.talents.forms import registry_from_params

    user = User.objects.get(username="orgadmin")
    client = Client()
    client.force_login(user)
    params = {"discipline": "0806", "keyword": "余热"}
    assert client.get("/talents/people/", params).status_code == 200
    matches = registry_from_params(user, params)[0].count()
    timings = []
    for _ in range(50):
        started = time.perf_counter()
        client.get("/talents/people/", params)
        timings.append((time.perf_counter() - started) * 1000)
    query_counts = {}
    for per_page in (20, 100):
        org_views.PEOPLE_PER_PAGE = per_page
        with CaptureQueriesContext(connection) as queries:
            client.get("/talents/people/", params)
        query_counts[per_page] = len(queries)
    timings.sort()
    return {
        "list_matches": matches,
        "list_median_ms": round(statistics.median(timings), 1),
        "list_p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "list_max_ms": round(timings[-1], 1),
        "list_queries_per_page_20": query_counts[20],
        "list_queries_per_page_100": query_counts[100],
    }


def run_step(*args):
    """One step in a fresh interpreter, so its peak memory is its own."""
    output = subprocess.run(
        [sys.executable, __file__, *map(str, args)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    figures = {"people": PEOPLE, "database": os.environ["DATABASE_URL"].rsplit("/", 1)[-1]}
    with tempfile.TemporaryDirectory() as folder:
        import_file = Path(folder) / "import.xlsx"
        figures |= run_step("build")
        figures |= run_step("write_import_file", import_file)
        figures |= run_step("list")
        figures |= run_step("export", 10_000)
        figures |= run_step("export", PEOPLE + IMPORT_ROWS)
        figures |= run_step("import", import_file)
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) == 1:
        main()
    else:
        step, *rest = sys.argv[1:]
        result = {
            "build": step_build,
            "write_import_file": lambda: step_write_import_file(rest[0]),
            "import": lambda: step_import(rest[0]),
            "export": lambda: step_export(int(rest[0])),
            "list": step_list,
        }[step]()
        print(json.dumps(result))
