"""Check-ins partitioned by month on PostgreSQL.

A province's million people write 30 million check-ins a month. Partitioned by day's month, a
day's dashboard and compliance counts read one month's partition and its indexes, and the
retention purge drops a month whose every record has expired instead of deleting it row by row.
A default partition takes any day no month partition covers, so a write never fails for want
of one; the nightly job creates the coming months and moves such rows into them.
On SQLite the table is a plain one and these functions have nothing to do.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import connection, transaction

TABLE = "health_checkin"
DEFAULT_PARTITION = f"{TABLE}_default"
MONTHS_AHEAD = 2
# Any constant: two creators of the same month take turns.
_CREATE_LOCK = 7_215_004


@dataclass(frozen=True, order=True)
class Month:
    first: datetime.date

    @classmethod
    def of(cls, day):
        return cls(day.replace(day=1))

    @property
    def next_first(self):
        return (self.first + datetime.timedelta(days=32)).replace(day=1)

    @property
    def table(self):
        return f"{TABLE}_y{self.first.year}m{self.first.month:02d}"

    def following(self, count):
        months, month = [self], self
        for _ in range(count):
            month = Month(month.next_first)
            months.append(month)
        return months


_MONTH_TABLE = re.compile(rf"^{TABLE}_y(\d{{4}})m(\d{{2}})$")


def partitioned():
    return connection.vendor == "postgresql"


def months():
    """The month partitions there are, oldest first."""
    if not partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    matches = (_MONTH_TABLE.match(name) for name in names)
    return sorted(Month(datetime.date(int(m[1]), int(m[2]), 1)) for m in matches if m)


def months_create(wanted):
    """Create the partitions of `wanted` months that are missing, moving into each the rows the
    default partition holds for it. Returns the months created."""
    if not partitioned():
        return []
    created = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CREATE_LOCK])
        existing = set(months())
        for month in sorted(set(wanted) - existing):
            # Filled before it is attached: attaching checks that the default holds none of it.
            cursor.execute(
                f"CREATE TABLE {month.table} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            )
            cursor.execute(
                f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} "
                "WHERE day >= %(first)s AND day < %(next)s RETURNING *) "
                f"INSERT INTO {month.table} SELECT * FROM moved",
                {"first": month.first, "next": month.next_first},
            )
            cursor.execute(
                f"ALTER TABLE {TABLE} ATTACH PARTITION {month.table} "
                "FOR VALUES FROM (%(first)s) TO (%(next)s)",
                {"first": month.first, "next": month.next_first},
            )
            created.append(month)
    return created


def months_ensure(today):
    """Last month, this month and the next MONTHS_AHEAD, so that every check-in of the coming
    weeks has its partition waiting."""
    last_month = Month.of(Month.of(today).first - datetime.timedelta(days=1))
    return months_create(last_month.following(MONTHS_AHEAD + 1))


def month_analyze(day):
    """Refresh the planner's statistics of `day`'s month partition; its name, or None where
    there are no partitions.

    Autovacuum analyzes a partition once a tenth of it has changed: a month of a million people
    is 30 million rows, so all morning the statistics would say that today has no check-ins,
    and the dashboards' plans, made for none, would read every one of today's."""
    if not partitioned():
        return None
    table = Month.of(day).table
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
        if not cursor.fetchone()[0]:
            return None
        cursor.execute(f"ANALYZE {table}")
    return table


def month_lock_if_only(month, campaign_ids):
    """Lock `month`'s partition against writes and say whether all its records are of
    `campaign_ids` (an empty partition is). Call inside a transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {month.table} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {month.table} WHERE campaign_id <> ALL(%s))",
            [list(campaign_ids)],
        )
        return not cursor.fetchone()[0]


def month_drop(month):
    with connection.cursor() as cursor:
        # A table with deferred foreign-key checks still to run cannot be dropped: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"DROP TABLE {month.table}")
