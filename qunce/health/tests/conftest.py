import datetime
from decimal import Decimal

import pytest

from qunce.health.models import CheckinPolicy
from qunce.org.models import Campaign

ALL_DAY = {"opens_at": datetime.time(0, 0), "deadline": datetime.time(23, 59, 59, 999999)}


@pytest.fixture
def policy(world):
    """An active campaign whose check-in is open all day, so tests do not depend on the hour."""
    campaign = Campaign.objects.create(
        name="2020 新冠肺炎疫情防控",
        starts_on=datetime.date(2020, 1, 25),
        status=Campaign.Status.ACTIVE,
    )
    return CheckinPolicy.objects.create(
        campaign=campaign, fever_threshold=Decimal("37.3"), reminder_times=["09:00"], **ALL_DAY
    )


def healthy_answers(**changes):
    """A complete, unremarkable day in Dalian's Ganjingzi district, on campus."""
    return {
        "region": "210211",
        "on_campus": True,
        "temperature": "36.5",
        "symptoms": ["none"],
        "visited_risk_area": False,
        "contact": "none",
        "isolation": "none",
        "health_code": "green",
        "vaccination": "booster",
        "note": "",
        "pledged": True,
        **changes,
    }


def healthy_form(**changes):
    """The same day as the page's form posts it."""
    return {
        "province": "210000",
        "city": "210200",
        "county": "210211",
        "on_campus": "yes",
        "temperature": "36.5",
        "symptoms": ["none"],
        "visited_risk_area": "no",
        "contact": "none",
        "isolation": "none",
        "health_code": "green",
        "vaccination": "booster",
        "note": "",
        "pledged": "on",
        **changes,
    }
