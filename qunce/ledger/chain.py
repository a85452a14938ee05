"""Canonical content and hashing of ledger entries (pure functions: the chain's only definition)."""

import hashlib
import json
from decimal import Decimal

GENESIS_HASH = "0" * 64
HOURS = Decimal("0.1")
POINTS = Decimal("0.01")
# The fields an entry's hash covers, in the form values() returns them.
HASHED_FIELDS = (
    "seq",
    "person_id",
    "team_name",
    "role",
    "campaign_id",
    "date_from",
    "date_to",
    "summary",
    "hours",
    "people_served",
    "items_donated",
    "source_type",
    "source_id",
    "corrects_id",
    "ruleset_id",
    "frontline",
    "points",
    "recorded_at",
    "recorded_by_id",
    "previous_hash",
)


def canonical(values):
    """The bytes an entry's hash is taken over: sorted JSON, numbers and times in one spelling."""
    content = {}
    for field in HASHED_FIELDS:
        value = values[field]
        if field == "hours":
            value = format(Decimal(value).quantize(HOURS), "f")
        elif field == "points":
            value = format(Decimal(value).quantize(POINTS), "f")
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        content[field] = value
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def content_hash(values):
    return hashlib.sha256(canonical(values)).hexdigest()


def first_broken_link(rows, *, head_seq, head_hash):
    """Walk entries in seq order; return (seq, reason) for the first that does not match, or None.

    The head (the last seq and hash the application appended) catches entries removed from the
    end, which leave no broken link behind them; the seq numbers catch removals in between."""
    previous, expected_seq = GENESIS_HASH, 1
    for values in rows:
        if values["seq"] != expected_seq:
            return expected_seq, "missing"
        if values["previous_hash"] != previous:
            return values["seq"], "previous_hash"
        if content_hash(values) != values["content_hash"]:
            return values["seq"], "content_hash"
        previous, expected_seq = values["content_hash"], expected_seq + 1
    if expected_seq - 1 != head_seq or previous != head_hash:
        return expected_seq, "missing"
    return None
