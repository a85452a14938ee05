"""Reading the shared matching benchmark's files: the pool (lines with missing fields are
filled or skipped, never a crash) and query sets."""

import json


def load_jsonl(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_pool(path):
    """Profiles with every field present; lines without an id, or not JSON, are counted and
    skipped rather than failing the run."""
    pool, skipped = [], 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                profile = json.loads(line)
            except json.JSONDecodeError:
                skipped += line.strip() != ""
                continue
            if not isinstance(profile, dict) or not profile.get("id"):
                skipped += 1
                continue
            pool.append(
                {
                    **profile,
                    "id": str(profile["id"]),
                    "discipline": profile.get("discipline") or "",
                    "keywords": [str(word) for word in profile.get("keywords") or []],
                    "works": [str(work) for work in profile.get("works") or [] if work],
                }
            )
    return pool, skipped
