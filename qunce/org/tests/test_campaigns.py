"""Campaigns run from pages: create (from scratch or from an earlier one), open, end, archive."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qunce.conftest import client_for
from qunce.core.models import StateEvent
from qunce.health.models import CheckinPolicy
from qunce.org import services
from qunce.org.models import Campaign, ServiceRole
from qunce.org.selectors import roles_switched_off

pytestmark = pytest.mark.django_db

Status = Campaign.Status


def _flood(**values):
    return Campaign.objects.create(
        name="2019 汛期防汛抗旱",
        starts_on=date(2019, 6, 1),
        ends_on=date(2019, 9, 30),
        status=Status.ENDED,
        retention_days=90,
        roles=["technician", "caring"],
        **values,
    )


def test_org_admin_creates_a_planned_campaign_with_all_eight_roles(world):
    response = client_for(world, "org_admin").post(
        "/org/campaigns/new/",
        {
            "name": "2026 冬春季呼吸道传染病防控",
            "starts_on": "2026-12-10",
            "retention_days": "120",
            "roles": ServiceRole.values,
        },
    )
    campaign = Campaign.objects.get(name="2026 冬春季呼吸道传染病防控")
    assert response.status_code == 302 and response.url == f"/org/campaigns/{campaign.pk}/"
    assert campaign.status == Status.PLANNED
    assert campaign.roles == list(ServiceRole.values)
    assert campaign.retention_days == 120


def test_a_campaign_copied_from_an_earlier_one_brings_its_roles_retention_and_checkin(world):
    flood = _flood()
    CheckinPolicy.objects.create(
        campaign=flood, fields=["temperature"], deadline="09:30", reminder_times=["08:30"]
    )
    client = client_for(world, "org_admin")
    form = client.get("/org/campaigns/new/", {"copy_from": flood.pk}).content.decode()
    assert "以下设置沿用自“2019 汛期防汛抗旱”" in form
    assert 'value="90"' in form

    client.post(
        "/org/campaigns/new/",
        {
            "copy_from": flood.pk,
            "name": "2020 汛期防汛抗旱",
            "starts_on": "2020-06-01",
            "retention_days": "90",
            "roles": ["technician", "caring"],
        },
    )
    copy = Campaign.objects.get(name="2020 汛期防汛抗旱")
    assert copy.roles == ["technician", "caring"]
    policy = CheckinPolicy.objects.get(campaign=copy)
    assert policy.fields == ["temperature"]
    assert f"{policy.deadline:%H:%M}" == "09:30" and policy.reminder_times == ["08:30"]
    assert CheckinPolicy.objects.get(campaign=flood).fields == ["temperature"]


@pytest.mark.parametrize(
    "values, field, message",
    [
        ({"name": ""}, "name", "这个字段是必填项"),
        ({"starts_on": "2026-13-01"}, "starts_on", "输入一个有效的日期"),
        ({"ends_on": "2026-01-01"}, None, "结束日期早于开始日期"),
        ({"retention_days": "-1"}, "retention_days", "确保该值大于或等于0"),
        ({"roles": ["astronaut"]}, "roles", "astronaut"),
        ({"copy_from": "999999"}, "copy_from", "所选专项行动不存在"),
    ],
)
def test_bad_campaign_input_is_a_message_and_nothing_is_written(world, values, field, message):
    body = {"name": "新行动", "starts_on": "2026-12-10", "retention_days": "180"} | values
    response = client_for(world, "org_admin").post("/org/campaigns/new/", body)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Campaign.objects.filter(name="新行动").exists()


def test_a_name_in_use_is_refused(world):
    _flood()
    response = client_for(world, "org_admin").post(
        "/org/campaigns/new/",
        {"name": "2019 汛期防汛抗旱", "starts_on": "2026-12-10", "retention_days": "90"},
    )
    assert "已存在" in response.content.decode()
    assert Campaign.objects.filter(name="2019 汛期防汛抗旱").count() == 1


def test_open_end_archive_each_write_an_event_and_ending_starts_the_retention_clock(world):
    admin = world.users.org_admin
    campaign = services.campaign_create(
        acting_user=admin, name="演练", starts_on=timezone.localdate() + timedelta(days=3)
    )
    client = client_for(world, "org_admin")
    client.post(f"/org/campaigns/{campaign.pk}/move/", {"to": "active"})
    campaign.refresh_from_db()
    # Opened early: it runs from today.
    assert campaign.status == Status.ACTIVE and campaign.starts_on == timezone.localdate()

    client.post(f"/org/campaigns/{campaign.pk}/move/", {"to": "ended"})
    campaign.refresh_from_db()
    assert campaign.status == Status.ENDED and campaign.ends_on == timezone.localdate()
    listing = client.get("/org/campaigns/").content.decode()
    purge_on = timezone.localdate() + timedelta(days=campaign.retention_days)
    assert f"{purge_on:%Y-%m-%d}" in listing

    client.post(f"/org/campaigns/{campaign.pk}/move/", {"to": "archived"})
    campaign.refresh_from_db()
    assert campaign.status == Status.ARCHIVED
    moves = StateEvent.objects.filter(target_type="org.campaign", target_id=str(campaign.pk))
    assert [(e.from_state, e.to_state) for e in moves] == [
        ("planned", "active"),
        ("active", "ended"),
        ("ended", "archived"),
    ]
    page = client.get(f"/org/campaigns/{campaign.pk}/").content.decode()
    assert "进行中 → 已结束" in page


@pytest.mark.parametrize("to", ["active", "planned", "nonsense", ""])
def test_a_move_the_table_does_not_allow_is_a_message(world, to):
    flood = _flood()
    response = client_for(world, "org_admin").post(
        f"/org/campaigns/{flood.pk}/move/", {"to": to}, follow=True
    )
    assert "不能从" in response.content.decode()
    flood.refresh_from_db()
    assert flood.status == Status.ENDED


def test_only_the_org_admin_may_create_or_move_campaigns(world):
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            acting_user=world.users.unit_admin_a, name="越权", starts_on=date(2026, 1, 1)
        )
    flood = _flood()
    with pytest.raises(PermissionDenied):
        services.campaign_move(
            acting_user=world.users.unit_admin_a, campaign=flood, to_status=Status.ARCHIVED
        )


def test_a_campaign_id_that_does_not_exist_is_a_404(world):
    client = client_for(world, "org_admin")
    assert client.get("/org/campaigns/99999999/").status_code == 404
    assert client.post("/org/campaigns/99999999/move/", {"to": "active"}).status_code == 404


def test_unknown_roles_are_refused_by_the_service(world):
    with pytest.raises(ValidationError) as error:
        services.campaign_create(
            acting_user=world.users.org_admin, name="x", starts_on=date(2026, 1, 1), roles=["x"]
        )
    assert "roles" in error.value.message_dict


def test_the_menu_hides_roles_no_running_campaign_has_switched_on(world):
    Campaign.objects.update(status=Status.ENDED)
    Campaign.objects.create(
        name="防汛", starts_on=date(2026, 6, 1), status=Status.ACTIVE, roles=["technician"]
    )
    assert "advisor" in roles_switched_off() and "technician" not in roles_switched_off()
    page = client_for(world, "talent").get("/").content.decode()
    assert "技术员 · 技术服务" in page
    assert "参谋员 · 建言献策" not in page


def test_with_no_running_campaign_the_menu_hides_nothing(world):
    Campaign.objects.update(status=Status.ENDED)
    assert roles_switched_off() == frozenset()


def test_an_ended_campaign_takes_no_check_in(world):
    import json

    from qunce.health.models import Checkin
    from qunce.health.tests.conftest import ALL_DAY, healthy_answers

    campaign = services.campaign_create(
        acting_user=world.users.org_admin, name="短期行动", starts_on=timezone.localdate()
    )
    CheckinPolicy.objects.create(campaign=campaign, **ALL_DAY)
    services.campaign_move(
        acting_user=world.users.org_admin, campaign=campaign, to_status=Status.ACTIVE
    )
    services.campaign_move(
        acting_user=world.users.org_admin, campaign=campaign, to_status=Status.ENDED
    )
    response = client_for(world, "talent").post(
        "/api/v1/health/checkins",
        json.dumps(healthy_answers() | {"campaign_id": campaign.pk}),
        content_type="application/json",
    )
    assert response.status_code == 422
    ((error,),) = [response.json()["detail"]]
    assert error["loc"] == ["body", "campaign_id"] and "目前没有开放的健康打卡" in error["msg"]
    assert not Checkin.objects.exists()
