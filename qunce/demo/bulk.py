"""Rows into a model's table at COPY speed on PostgreSQL (batched INSERTs on SQLite), for
generators that write millions of rows: no model instance and no ORM save per row."""

import contextlib
import datetime
import itertools
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

SQLITE_BATCH = 2000


class TableWriter:
    """Each row gives `columns` (attribute names: `unit_id`, not `unit`) in that order; every
    other column takes its field's default, and an automatic id its sequence's next value."""

    def __init__(self, model, columns):
        meta = model._meta
        self.table = meta.db_table
        given = [meta.get_field(name) for name in columns]
        now = timezone.now()
        rest = [
            field
            for field in meta.concrete_fields
            if field not in given and not isinstance(field, models.AutoField)
        ]
        self.columns = [field.column for field in given + rest]
        self.constants = tuple(
            field.get_db_prep_save(
                now
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
                else field.get_default(),
                connection,
            )
            for field in rest
        )

    def write(self, rows):
        """Write `rows` (tuples of the given columns). Returns how many were written."""
        rows = (row + self.constants for row in rows)
        if connection.vendor == "postgresql":
            return self._copy(rows)
        return self._insert(rows)

    def _copy(self, rows):
        written = 0
        with connection.cursor() as cursor:
            statement = f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN"
            with cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
        return written

    def _insert(self, rows):
        marks = ", ".join(["%s"] * len(self.columns))
        statement = f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES ({marks})"
        written = 0
        with connection.cursor() as cursor:
            while batch := [
                tuple(map(_sqlite_value, row)) for row in itertools.islice(rows, SQLITE_BATCH)
            ]:
                cursor.executemany(statement, batch)
                written += len(batch)
        return written


def _sqlite_value(value):
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def ids_reserve(model, count):
    """`count` ids of `model` that nothing else will take, as a range, so that rows written
    together can name each other."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [table, table, count],
            )
            last = cursor.fetchone()[0]
            return range(last - count + 1, last + 1)
        # SQLite: one writer at a time, and an id written explicitly moves its counter on.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        first = cursor.fetchone()[0] + 1
        return range(first, first + count)


@contextlib.contextmanager
def loading(model):
    """While a bulk load into `model`'s table runs, its foreign keys and plain indexes (not
    those of its primary key and unique constraints) are dropped, then made again under the
    same names, as pg_restore does: one sort per index instead of an insertion per row, and each
    foreign key checked by one join over the table instead of a locking look-up per row; a
    row that breaks one fails the load there. PostgreSQL only; elsewhere nothing changes."""
    if connection.vendor != "postgresql":
        yield
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # Inside a transaction, a table with foreign-key checks still deferred cannot be
        # altered: run the checks now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' AND conparentid = 0",
            [table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            for _name, definition in indexes:
                # A partitioned table's index is defined ON ONLY the parent; made again on the
                # whole table, it is built on every partition too.
                cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))
