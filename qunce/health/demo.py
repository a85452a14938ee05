"""Two weeks of daily check-ins in the demo university, with a few alerts at every stage."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models.functions import Mod
from django.utils import timezone

from qunce.accounts.models import User
from qunce.consents.demo import build_demo_consents
from qunce.org import selectors as org_selectors
from qunce.org.models import Campaign, Person

from . import services
from .models import Checkin, CheckinPolicy, HealthAlert

DAYS = 14
# Anshan's districts, where the campus is, and the cities staff went home to for the holiday.
CAMPUS_REGIONS = ["210302", "210303", "210304", "210311"]
HOME_REGIONS = ["210102", "210103", "210202", "210211", "210381", "210502", "210602", "110000"]
ABNORMAL = [
    # (days ago, answers that differ from a quiet day, how far the unit got)
    (0, {"temperature": Decimal("38.1"), "symptoms": ["fever", "dry_cough"]}, "open"),
    (0, {"health_code": "yellow"}, "open"),
    (1, {"temperature": Decimal("37.6"), "symptoms": ["fever"]}, "acknowledged"),
    (1, {"visited_risk_area": True}, "acknowledged"),
    (2, {"contact": "suspected", "isolation": "home"}, "closed"),
    (3, {"symptoms": ["sore_throat", "fatigue"]}, "closed"),
    (5, {"temperature": Decimal("37.8"), "symptoms": ["fever"]}, "closed"),
]
FOLLOW_UPS = {
    "acknowledged": "已电话联系本人，建议居家观察并每日两次测温，明早复报。",
    "closed": "复测体温正常，症状消失，解除关注。",
}


@transaction.atomic
def build_demo_checkins(*, seed=2020):
    rng = random.Random(seed)
    campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
    policy = CheckinPolicy.objects.create(
        campaign=campaign,
        # All day, so that a visitor can try the form at any hour; a real campaign closes at 11:00.
        opens_at=datetime.time(0, 0),
        deadline=datetime.time(23, 59),
        reminder_times=["10:00", "16:00"],
    )
    _give_everyone_a_campus_account()
    people = list(
        Person.objects.filter(user__isnull=False)
        .select_related("unit", "user")
        .order_by("staff_no")
    )
    home = {person.pk: _home_region(rng, person) for person in people}
    today = timezone.localdate()
    first_morning = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=DAYS), datetime.time(7, 30))
    )
    consents = build_demo_consents(users=[person.user for person in people], at=first_morning)
    for days_ago in range(DAYS, 0, -1):
        day = today - datetime.timedelta(days=days_ago)
        reporting = [person for person in people if rng.random() < 0.97]
        _bulk_day(rng, policy, day, reporting, home)
    # Today, by mid-morning, most have reported; the demo talent has not, to try the form.
    reporting = [p for p in people if rng.random() < 0.78 and p.user.username != "talent"]
    _bulk_day(rng, policy, today, reporting, home)
    alerts = _abnormal_days(rng, policy, people, home, today)
    return {
        "checkins": Checkin.objects.count(),
        **consents,
        "health_alerts": alerts,
        "checkin_reminders": services.checkin_reminders_send(),
    }


def _give_everyone_a_campus_account():
    """Staff sign in with the university's unified identity; in the demo these accounts exist
    but cannot log in (no password), apart from the demo logins."""
    unusable = make_password(None)
    without = list(Person.objects.filter(user__isnull=True))
    users = User.objects.bulk_create(
        User(username=person.staff_no, first_name=person.name, password=unusable)
        for person in without
    )
    for person, user in zip(without, users, strict=True):
        person.user = user
    Person.objects.bulk_update(without, ["user"], batch_size=500)


def _home_region(rng, person):
    return rng.choice(CAMPUS_REGIONS if rng.random() < 0.7 else HOME_REGIONS)


def _quiet_day(rng, region_code):
    return {
        "region_id": region_code,
        "on_campus": region_code in CAMPUS_REGIONS,
        "temperature": Decimal(rng.choice(["36.2", "36.4", "36.5", "36.5", "36.6", "36.8"])),
        "symptoms": ["none"],
        "visited_risk_area": False,
        "contact": "none",
        "isolation": "none",
        "health_code": "green",
        "vaccination": "booster" if rng.random() < 0.8 else "full",
    }


def _bulk_day(rng, policy, day, people, home):
    Checkin.objects.bulk_create(
        (
            Checkin(
                campaign=policy.campaign,
                person=person,
                unit_id=person.unit_id,
                day=day,
                pledged=True,
                **_quiet_day(rng, home[person.pk]),
            )
            for person in people
        ),
        batch_size=1000,
    )
    # Reports come in between 07:00 and 10:30 (auto_now fields cannot be set on insert), and
    # today's never later than now.
    morning = timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 0)))
    now = timezone.now()
    for bucket in range(7):
        at = min(morning + datetime.timedelta(minutes=30 * bucket + rng.randint(0, 29)), now)
        Checkin.objects.filter(campaign=policy.campaign, day=day).alias(bucket=Mod("pk", 7)).filter(
            bucket=bucket
        ).update(submitted_at=at, updated_at=at)


def _abnormal_days(rng, policy, people, home, today):
    """A handful of people reported a problem; their check-ins go through the service, so the
    alerts, the messages to unit admins and the follow-up trail are the real ones."""
    count = 0
    candidates = [p for p in people if p.user.has_usable_password() is False]
    for (days_ago, changes, stage), person in zip(
        ABNORMAL, rng.sample(candidates, len(ABNORMAL)), strict=True
    ):
        day = today - datetime.timedelta(days=days_ago)
        Checkin.objects.filter(campaign=policy.campaign, person=person, day=day).delete()
        answers = {**_quiet_day(rng, home[person.pk]), **changes, "pledged": True}
        answers["region"] = answers.pop("region_id")
        if answers.get("contact") not in (None, "none"):
            answers["contact_on"] = day - datetime.timedelta(days=2)
        if answers.get("isolation") not in (None, "none"):
            answers["isolation_since"] = day - datetime.timedelta(days=1)
        morning = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 40)))
        submission = services.checkin_submit(
            person=person, policy=policy, answers=answers, now=morning
        )
        alert = HealthAlert.objects.filter(checkin=submission.checkin).first()
        if alert is None:
            continue
        count += 1
        admin = org_selectors.unit_admins_of(person.unit)[0]
        if stage in ("acknowledged", "closed"):
            services.alert_advance(
                alert=alert,
                to_state=HealthAlert.Status.ACKNOWLEDGED,
                acting_user=admin,
                note=FOLLOW_UPS["acknowledged"],
            )
        if stage == "closed":
            services.alert_advance(
                alert=alert,
                to_state=HealthAlert.Status.CLOSED,
                acting_user=admin,
                note=FOLLOW_UPS["closed"],
            )
    return count
