from datetime import date

import pytest

from qunce.assistance import services
from qunce.codes.models import Industry, Region
from qunce.org.models import Campaign
from qunce.talents.models import TalentProfile


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        name="2020 新冠肺炎疫情防控", starts_on=date(2020, 1, 25), status=Campaign.Status.ACTIVE
    )


@pytest.fixture
def experts(world):
    """The talent (metallurgy, with an account) and person_b (chemistry, without one)."""
    metal = TalentProfile.objects.create(
        person=world.users.talent.person,
        keywords="高炉炼铁、余热回收",
        works="高炉煤气余热回收关键技术",
    )
    metal.disciplines.set(["0806"])
    chem = TalentProfile.objects.create(
        person=world.person_b, keywords="消毒液、次氯酸钠", works="次氯酸钠消毒液生产工艺"
    )
    chem.disciplines.set(["0817"])
    return world


def request_values(**overrides):
    values = {
        "requester_type": "enterprise",
        "organization": "鞍山某钢铁公司",
        "contact_name": "王经理",
        "mobile": "13812345678",
        "region": Region.objects.get(code="210302"),
        "industry": Industry.objects.get(code="31"),
        "category": "resumption",
        "description": "复产后高炉煤气余热回收系统运行不稳定，温度波动大",
        "urgency": "urgent",
        "preferred_channel": "wechat",
        "consent": True,
    }
    values.update(overrides)
    return values


@pytest.fixture
def submitted(experts, campaign):
    help_request, token = services.help_request_submit(**request_values())
    help_request.token = token
    return help_request


def api_payload(**overrides):
    """A valid body for POST /api/v1/help/requests."""
    return {
        "requester_type": "enterprise",
        "organization": "海城某镁业",
        "contact_name": "张工",
        "mobile": "13700001111",
        "region_code": "210381",
        "industry_code": "30",
        "category": "process",
        "description": "电熔镁炉能耗高",
        "preferred_channel": "phone",
        "consent": True,
        **overrides,
    }
