import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qunce.conftest import client_for
from qunce.ledger.models import LedgerEntry
from qunce.org.models import Campaign, PoliticalStatus
from qunce.pledges import services
from qunce.pledges.models import Signature, VanguardAct


@pytest.fixture
def campaign(world):
    return Campaign.objects.create(
        name="2020 新冠肺炎疫情防控", starts_on=date(2020, 1, 25), status=Campaign.Status.ACTIVE
    )


@pytest.fixture
def pledge(world, campaign):
    return services.pledge_template_publish(
        acting_user=world.users.org_admin,
        campaign=campaign,
        title="党员疫情防控承诺书",
        items="不组织、不参加聚集性活动\n减少外出\n做好个人安全防护",
    )


def test_members_sign_once_and_each_branch_sees_its_coverage(world, pledge):
    talent = client_for(world, "talent")
    page = talent.get(f"/pledges/{pledge.pk}/").content.decode()
    assert "不组织、不参加聚集性活动" in page and "我承诺，签署" in page
    talent.post(f"/pledges/{pledge.pk}/sign/")
    response = talent.post(f"/pledges/{pledge.pk}/sign/", follow=True)
    assert "您已签署过这份承诺书" in response.content.decode()
    assert Signature.objects.count() == 1
    # Branch A-01 has two members (the talent and 甲某), one of whom signed.
    lines = client_for(world, "unit_admin_a").get(f"/api/v1/pledges/{pledge.pk}/coverage").json()
    branch = next(line for line in lines if line["unit"] == "甲学院第一党支部")
    assert (branch["members"], branch["signed"], branch["rate"]) == (2, 1, 50.0)
    assert all(line["unit"].startswith("甲学院") for line in lines)
    assert (
        client_for(world, "talent").get(f"/api/v1/pledges/{pledge.pk}/coverage").status_code == 403
    )


def test_only_party_members_sign(world, pledge):
    person = world.users.counsellor.person
    person.political_status = PoliticalStatus.MASSES
    person.save()
    world.users.counsellor.refresh_from_db()
    with pytest.raises(ValidationError, match="中共党员"):
        services.pledge_sign(template=pledge, acting_user=world.users.counsellor)
    assert not Signature.objects.exists()


def test_a_vanguard_act_verified_by_the_unit_enters_the_ledger(world, campaign):
    talent = client_for(world, "talent")
    talent.post(
        "/pledges/acts/",
        {
            "person": world.users.talent.person.pk,
            "campaign": campaign.pk,
            "done_on": timezone.localdate().isoformat(),
            "description": "带头在校门卡口值守，测温登记 200 余人次",
            "hours": "6",
        },
    )
    act = VanguardAct.objects.get()
    client_for(world, "unit_admin_a").post(
        f"/pledges/acts/{act.pk}/review/", {"decision": "verify"}
    )
    act.refresh_from_db()
    assert act.status == "verified"
    entry = LedgerEntry.objects.get()
    assert entry.role == "vanguard" and entry.hours == 6


def test_rejecting_needs_a_reason_and_nobody_reviews_their_own(world, campaign):
    act = services.vanguard_act_record(
        acting_user=world.users.unit_admin_a,
        person=world.users.unit_admin_a.person,
        campaign=campaign,
        done_on=timezone.localdate(),
        description="组织党员志愿者",
    )
    with pytest.raises(ValidationError, match="自己"):
        services.vanguard_act_review(act=act, acting_user=world.users.unit_admin_a, verify=True)
    with pytest.raises(ValidationError) as error:
        services.vanguard_act_review(act=act, acting_user=world.users.org_admin, verify=False)
    assert "reason" in error.value.message_dict
    assert VanguardAct.objects.get().status == "submitted"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": " "}, "description"),
        ({"done_on": date(2999, 1, 1)}, "done_on"),
        ({"hours": "25"}, "hours"),
    ],
)
def test_bad_acts_write_nothing(world, campaign, changes, field):
    values = {
        "acting_user": world.users.talent,
        "person": world.users.talent.person,
        "campaign": campaign,
        "done_on": timezone.localdate(),
        "description": "值守",
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        services.vanguard_act_record(**values)
    assert field in error.value.message_dict
    assert not VanguardAct.objects.exists()


def test_nobody_records_acts_for_another_units_members(world, campaign):
    response = client_for(world, "unit_admin_b").post(
        "/api/v1/vanguard-acts",
        json.dumps(
            {
                "person_id": world.users.talent.person.pk,
                "campaign_id": campaign.pk,
                "done_on": timezone.localdate().isoformat(),
                "description": "值守",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422 and not VanguardAct.objects.exists()


def test_only_the_org_admin_publishes_pledges(world, campaign):
    response = client_for(world, "unit_admin_a").post(
        "/pledges/", {"campaign": campaign.pk, "title": "x", "items": "y"}
    )
    assert response.status_code == 403


def test_whoever_recorded_an_act_does_not_verify_it(world, campaign):
    act = services.vanguard_act_record(
        acting_user=world.users.unit_admin_a,
        person=world.users.talent.person,
        campaign=campaign,
        done_on=timezone.localdate(),
        description="值守",
    )
    with pytest.raises(ValidationError, match="自己登记"):
        services.vanguard_act_review(act=act, acting_user=world.users.unit_admin_a, verify=True)
    assert VanguardAct.objects.get().status == "submitted"
