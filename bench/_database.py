"""What both benchmarks share: a PostgreSQL database of their own, dropped and made anew."""

import psycopg
from django.conf import settings


def recreate_benchmark_database():
    database = settings.DATABASES["default"]
    with psycopg.connect(
        host=database["HOST"],
        port=database["PORT"] or 5432,
        user=database["USER"],
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database["NAME"]}"')
