from datetime import date

import pytest

from qunce.org.models import Campaign, PoliticalStatus


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        name="2020 新冠肺炎疫情防控",
        starts_on=date(2020, 1, 25),
        ends_on=date(2020, 6, 30),
        status=Campaign.Status.ACTIVE,
    )


@pytest.fixture
def activist(world):
    world.person_a.political_status = PoliticalStatus.CPC_ACTIVIST
    world.person_a.save()
    return world.person_a
