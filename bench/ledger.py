"""Ledger speed and memory (issue 6), on PostgreSQL.

    .venv/bin/python bench/ledger.py      # DATABASE_URL defaults to …/qunce_bench_ledger

Builds a 10,000-person university in its own database, writes a valid hash chain of entries
straight into the table (COPY), then measures:
  - a recommendation list over 10,000 people and 200,000 entries (whole university and one
    分党委), median and max of 10 runs;
  - `verify_ledger` over 1,000,000 entries, time and peak RSS, in a fresh process.
Prints one line per figure and, last, one JSON object of all figures."""

import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/qunce_bench_ledger")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qunce.settings")
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "10000"))
LIST_ENTRIES = int(os.environ.get("BENCH_LIST_ENTRIES", "200000"))
VERIFY_ENTRIES = int(os.environ.get("BENCH_VERIFY_ENTRIES", "1000000"))


def append_entries(count):
    """Add `count` entries after the current head: a valid chain, written with COPY."""
    from django.db import connection

    from qunce.ledger import chain
    from qunce.ledger.models import ChainHead, RuleSet
    from qunce.org.models import Campaign, Person

    rng = random.Random(count)
    head = ChainHead.objects.get_or_create(pk=1)[0]
    people = list(Person.objects.values_list("pk", flat=True))
    campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
    ruleset = RuleSet.objects.first()
    roles = [
        "advisor",
        "technician",
        "educator",
        "vanguard",
        "publicist",
        "counsellor",
        "self_discipline",
        "caring",
    ]
    start = datetime(2020, 2, 1, tzinfo=UTC)
    columns = (*chain.HASHED_FIELDS, "content_hash")
    previous, seq = head.last_hash, head.last_seq
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(
            f"COPY ledger_ledgerentry ({', '.join(columns)}) FROM STDIN"
        ) as copy,
    ):
        for _ in range(count):
            seq += 1
            day = date(2020, 2, 1) + timedelta(days=rng.randint(0, 120))
            values = {
                "seq": seq,
                "person_id": rng.choice(people),
                "team_name": "",
                "role": rng.choice(roles),
                "campaign_id": campaign.pk,
                "date_from": day,
                "date_to": day,
                "summary": "远程指导企业复工复产",
                "hours": Decimal(rng.randint(1, 8)),
                "people_served": rng.randint(0, 5),
                "items_donated": 0,
                "source_type": "bench.source",
                "source_id": str(seq),
                "corrects_id": None,
                "ruleset_id": ruleset.pk,
                "frontline": rng.random() < 0.1,
                "points": Decimal(rng.randint(1, 30)),
                "recorded_at": start + timedelta(seconds=seq),
                "recorded_by_id": None,
                "previous_hash": previous,
            }
            values["content_hash"] = chain.content_hash(values)
            copy.write_row([values[column] for column in columns])
            previous = values["content_hash"]
    ChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=previous)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_ledgerentry")


def step_build():
    import django

    django.setup()
    from _database import recreate_benchmark_database

    recreate_benchmark_database()
    from django.core.management import call_command

    from qunce.org.demo import build_demo_university

    call_command("migrate", verbosity=0)
    build_demo_university(people=PEOPLE, seed=11)
    started = time.perf_counter()
    append_entries(LIST_ENTRIES)
    return {
        "entries_for_list": LIST_ENTRIES,
        "write_200k_seconds": round(time.perf_counter() - started, 1),
    }


def step_list():
    import django

    django.setup()
    from qunce.ledger import selectors
    from qunce.org.demo import METALLURGY_CODE
    from qunce.org.models import Campaign, Person, Unit

    campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
    figures = {"people": Person.objects.count()}
    for label, unit in (
        ("university", Unit.objects.get(depth=1)),
        ("committee", Unit.objects.get(code=METALLURGY_CODE)),
    ):
        timings = []
        for _ in range(10):
            started = time.perf_counter()
            rows = selectors.recommendation_list(kind="awards", campaign=campaign, unit=unit)
            selectors.entries_behind(rows[:100], campaign)
            timings.append((time.perf_counter() - started) * 1000)
        figures |= {
            f"list_{label}_people_ranked": len(rows),
            f"list_{label}_median_ms": round(statistics.median(timings), 1),
            f"list_{label}_max_ms": round(max(timings), 1),
        }
    return figures


def step_grow():
    import django

    django.setup()
    from qunce.ledger.models import LedgerEntry

    started = time.perf_counter()
    append_entries(VERIFY_ENTRIES - LedgerEntry.objects.count())
    return {
        "entries_for_verify": LedgerEntry.objects.count(),
        "write_to_1m_seconds": round(time.perf_counter() - started, 1),
    }


def step_verify():
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("verify_ledger", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return {
        "verify_seconds": round(time.perf_counter() - started, 1),
        "verify_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_step(name):
    output = subprocess.run(
        [sys.executable, __file__, name], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    figures = {}
    for name in ("build", "list", "grow", "verify"):
        figures |= run_step(name)
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    if len(sys.argv) == 1:
        main()
    else:
        step = {"build": step_build, "list": step_list, "grow": step_grow, "verify": step_verify}
        print(json.dumps(step[sys.argv[1]]()))
