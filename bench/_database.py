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


def insert_checkin_history(
    cursor, *, campaign_id, today, days_back, share=1.0, accounts_only=False
):
    """Healthy check-ins for the days `today - d` for each d in `days_back` (a range), for the
    share `share` of the people (of those with an account if `accounts_only`): one statement,
    at COPY speed. Days someone already reported are left as they are. Returns the rows made."""
    cursor.execute(
        """
        INSERT INTO health_checkin (
            campaign_id, person_id, unit_id, day, region_id, on_campus, temperature,
            symptoms, visited_risk_area, contact, isolation, health_code, vaccination,
            note, pledged, fever, location_changed, alert_reasons, version,
            submitted_at, updated_at)
        SELECT %(campaign)s, p.id, p.unit_id, %(today)s::date - d, '210302', true,
               round((36.0 + random() * 1.0)::numeric, 1),
               '["none"]'::jsonb, false, 'none', 'none', 'green', 'booster',
               '', true, random() < 0.002, false, '[]'::jsonb, 1, now(), now()
        FROM org_person p CROSS JOIN generate_series(%(first)s, %(last)s) AS d
        WHERE (NOT %(accounts_only)s OR p.user_id IS NOT NULL) AND random() < %(share)s
        ON CONFLICT DO NOTHING
        """,
        {
            "campaign": campaign_id,
            "today": today,
            "first": days_back.start,
            "last": days_back.stop - 1,
            "accounts_only": accounts_only,
            "share": share,
        },
    )
    return cursor.rowcount
