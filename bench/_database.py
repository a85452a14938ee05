"""What the benchmarks share: a PostgreSQL database of their own, dropped and made anew, and
the check-in's people, tokens, policy and history."""

import json

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


def checkin_university(*, people, seed):
    """The demo university with `people` people, each with an account and an API token, and a
    check-in open all day. Returns (campaign, [(person id, raw token)])."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from qunce.accounts.models import ApiToken, User, api_token_digest
    from qunce.consents.demo import build_demo_consents
    from qunce.health.models import CheckinPolicy
    from qunce.org.demo import build_demo_university
    from qunce.org.models import Campaign, Person

    build_demo_university(people=people, seed=seed)
    unusable = make_password(None)
    without = list(Person.objects.filter(user__isnull=True))
    users = User.objects.bulk_create(
        (User(username=p.staff_no, first_name=p.name, password=unusable) for p in without),
        batch_size=2000,
    )
    for person, user in zip(without, users, strict=True):
        person.user = user
    Person.objects.bulk_update(without, ["user"], batch_size=2000)
    build_demo_consents(
        users=User.objects.filter(person__isnull=False).only("username"), at=timezone.now()
    )
    accounts = list(Person.objects.filter(user__isnull=False).values_list("pk", "user_id"))
    raw_tokens = [ApiToken.new_raw_token() for _ in accounts]
    ApiToken.objects.bulk_create(
        (
            ApiToken(user_id=user_id, name="bench", digest=api_token_digest(raw))
            for (_, user_id), raw in zip(accounts, raw_tokens, strict=True)
        ),
        batch_size=2000,
    )
    campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
    CheckinPolicy.objects.create(
        campaign=campaign,
        opens_at=datetime.time(0, 0),
        deadline=datetime.time(23, 59, 59),
        reminder_times=[],
    )
    return campaign, [(pk, raw) for (pk, _), raw in zip(accounts, raw_tokens, strict=True)]


def checkin_body(rng, replacing=False, region=None):
    """A healthy day's answers as the API takes them (a replacement changes the temperature),
    from `region` (the person's usual place; by default one of Anshan's districts)."""
    return json.dumps(
        {
            "region": region or rng.choice(["210302", "210303", "210304", "210311"]),
            "on_campus": True,
            "temperature": "36.7" if replacing else rng.choice(["36.3", "36.5", "36.6"]),
            "symptoms": ["none"],
            "visited_risk_area": False,
            "contact": "none",
            "isolation": "none",
            "health_code": "green",
            "vaccination": "booster",
            "pledged": True,
        }
    ).encode()
