"""Read the shipped code lists into the database (a migration and `load_codes` call this)."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

DISCIPLINE_LEVELS = {"门类": "category", "一级学科": "first_level", "专业学位类别": "professional"}
INDUSTRY_LEVELS = {"门类": "section", "大类": "division", "中类": "group"}
REGION_LEVELS = {"省": "province", "市": "city", "区县": "county"}


def read_rows(filename):
    """Rows of a shipped CSV as dicts; the leading '#' lines name its source and edition."""
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def discipline_rows():
    return [
        {
            "code": r["code"],
            "name": r["name"],
            "level": DISCIPLINE_LEVELS[r["level"]],
            "parent_id": r["parent_code"] or None,
        }
        for r in read_rows("moe-disciplines-2022.csv")
    ]


def industry_rows():
    return [
        {
            "code": r["code"],
            "name": r["name"],
            "level": INDUSTRY_LEVELS[r["level"]],
            "parent_id": r["parent_code"] or None,
        }
        for r in read_rows("gbt4754-2017.csv")
    ]


def region_rows():
    liaoning = {
        r["code"]: {
            "code": r["code"],
            "name": r["name"],
            "level": REGION_LEVELS[r["level"]],
            "parent_id": r["parent_code"] or None,
        }
        for r in read_rows("gbt2260-liaoning.csv")
    }
    provinces = {
        r["code"]: {"code": r["code"], "name": r["name"], "level": "province", "parent_id": None}
        for r in read_rows("gbt2260-provinces.csv")
    }
    return list({**provinces, **liaoning}.values())


def load_code_lists(*, discipline_model, industry_model, region_model):
    """Insert or update every entry, parents before children. Returns rows per list."""
    counts = {}
    for model, rows in (
        (discipline_model, discipline_rows()),
        (industry_model, industry_rows()),
        (region_model, region_rows()),
    ):
        for row in sorted(rows, key=_depth_in(rows)):
            model.objects.update_or_create(code=row["code"], defaults=row)
        counts[model.__name__] = len(rows)
    return counts


def _depth_in(rows):
    """Sort key putting every parent before its children."""
    parents = {row["code"]: row["parent_id"] for row in rows}

    def depth(row):
        level, code = 0, row["parent_id"]
        while code is not None:
            level, code = level + 1, parents.get(code)
        return level

    return depth
