from datetime import date

import pytest

from qunce.conftest import client_for
from qunce.ledger import services
from qunce.ledger.models import Claim, Commendation


def _entry(world, campaign, person):
    claim = Claim.objects.create(
        person=person,
        role="technician",
        campaign=campaign,
        date_from=date(2020, 2, 10),
        date_to=date(2020, 2, 10),
        summary="远程指导钢厂复产",
        hours=3,
    )
    return services.claim_verify(claim=claim, acting_user=world.users.org_admin)


def _propose(world, campaign, **overrides):
    values = {
        "acting_user": world.users.unit_admin_a,
        "person": world.person_a,
        "campaign": campaign,
        "title": "先进个人",
        "citation": "不畏艰险、挺身而出",
        "awarded_on": date(2020, 7, 1),
        "awarding_body": "中共辽宁科技大学委员会",
    }
    values.update(overrides)
    return services.commendation_propose(**values)


def test_unit_admin_proposes_org_admin_approves_and_the_story_goes_public(world, campaign):
    entry = _entry(world, campaign, world.person_a)
    client = client_for(world, "unit_admin_a")
    response = client.post(
        "/ledger/commendations/",
        {
            "staff_no": world.person_a.staff_no,
            "campaign": campaign.pk,
            "title": "先进个人",
            "citation": "不畏艰险、挺身而出",
            "awarded_on": "2020-07-01",
            "awarding_body": "校党委",
            "team_name": "",
        },
    )
    assert response.status_code == 302
    commendation = Commendation.objects.get()
    assert list(commendation.entries.all()) == [entry]
    anonymous = client_for(world, "anonymous")
    assert "甲某" not in anonymous.get("/commendations/").content.decode()
    client_for(world, "org_admin").post(
        f"/ledger/commendations/{commendation.pk}/decide/", {"decision": "approve"}
    )
    public = anonymous.get(f"/commendations/{commendation.pk}/").content.decode()
    assert "不畏艰险、挺身而出" in public and "技术员" in public
    assert "远程指导钢厂复产" not in public  # entry summaries stay inside


def test_a_declined_proposal_stays_private(world, campaign):
    proposal = _propose(world, campaign)
    services.commendation_decide(
        commendation=proposal, acting_user=world.users.org_admin, approve=False
    )
    assert client_for(world, "anonymous").get(f"/commendations/{proposal.pk}/").status_code == 404


def test_no_proposal_for_another_units_person_or_with_someone_elses_entries(world, campaign):
    with pytest.raises(Exception, match="只能推荐本单位人员"):
        _propose(world, campaign, person=world.person_b)
    other = _entry(world, campaign, world.person_b)
    with pytest.raises(Exception, match="不属于被推荐的人员"):
        _propose(world, campaign, acting_user=world.users.org_admin, entries=[other])
    assert not Commendation.objects.exists()


def test_a_unit_admin_cannot_approve(world, campaign):
    proposal = _propose(world, campaign)
    with pytest.raises(Exception, match="只有组织部管理员"):
        services.commendation_decide(
            commendation=proposal, acting_user=world.users.unit_admin_a, approve=True
        )


def test_the_same_person_cannot_be_proposed_twice_for_the_same_title(world, campaign):
    from django.core.exceptions import ValidationError

    first = _propose(world, campaign)
    with pytest.raises(ValidationError, match="已被推荐"):
        _propose(world, campaign, acting_user=world.users.org_admin)
    assert Commendation.objects.count() == 1
    assert _propose(world, campaign, title="优秀共产党员").pk != first.pk
    services.commendation_decide(
        commendation=first, acting_user=world.users.org_admin, approve=False
    )
    assert _propose(world, campaign).status == Commendation.Status.PROPOSED


def test_the_same_team_cannot_be_proposed_twice_for_the_same_title(world, campaign):
    from django.core.exceptions import ValidationError

    _propose(world, campaign, person=None, team_name="冶金学院防疫突击队")
    with pytest.raises(ValidationError, match="已被推荐"):
        _propose(world, campaign, person=None, team_name="冶金学院防疫突击队")
