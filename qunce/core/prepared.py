"""Statements that run at every request of the morning peak, parsed and planned once.

Django binds parameters on the client by default: PostgreSQL then parses and plans each
statement anew, which for the check-in's two statements (the token lookup and the insert, both
CTEs) costs about 0.6 ms of the database's CPU apiece, several times the execution itself.
These are prepared instead, once per connection (Django leaves psycopg's automatic preparing
off, for connection poolers in transaction mode; a prepared statement here lives as long as
its connection, which such a pooler would break). Bound on the server, parameters need
explicit types where PostgreSQL cannot infer them."""

import psycopg
from django.db import connection


class PreparingCursor(psycopg.Cursor):
    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def prepared_cursor():
    """A Django cursor (its error classes, execute wrappers and query log) over a psycopg
    cursor that binds on the server and prepares what it runs. PostgreSQL only."""
    connection.ensure_connection()
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    return wrap(PreparingCursor(connection.connection))
