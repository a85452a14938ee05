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


def first_broken_link(rows):
    """Walk entries in seq order; return (seq, reason) for the first that does not match, or None."""
    previous = GENESIS_HASH
    for values in rows:
        if values["previous_hash"] != previous:
            return values["seq"], "previous_hash"
        if content_hash(values) != values["content_hash"]:
            return values["seq"], "content_hash"
        previous = values["content_hash"]
    return None
