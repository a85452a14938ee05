import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qunce.conftest import client_for
from qunce.core.models import StateEvent
from qunce.ledger.models import LedgerEntry
from qunce.org.models import Campaign
from qunce.proposals import services
from qunce.proposals.models import KeyProblem, Proposal, Volunteer


@pytest.fixture
def campaign(world):
    return Campaign.objects.create(
        name="2020 新冠肺炎疫情防控", starts_on=date(2020, 1, 25), status=Campaign.Status.ACTIVE
    )


def proposal(world, campaign, **changes):
    return services.proposal_submit(
        **{
            "acting_user": world.users.talent,
            "campaign": campaign,
            "topic": "建议建立校内发热门诊分流机制",
            "problem": "返校高峰期校医院门诊拥挤。",
            "suggestion": "设置独立发热诊室，按学院错峰就诊。",
            **changes,
        }
    )


def test_a_talent_proposes_and_the_adopted_proposal_enters_the_ledger(world, campaign):
    talent = client_for(world, "talent")
    response = talent.post(
        "/proposals/",
        {
            "campaign": campaign.pk,
            "topic": "建议建立校内发热门诊分流机制",
            "problem": "返校高峰期校医院门诊拥挤。",
            "suggestion": "设置独立发热诊室。",
            "files": [SimpleUploadedFile("测算.xlsx", b"PK\x03\x04 not really a workbook")],
        },
    )
    assert response.status_code == 200 and "内容与扩展名不符" in response.content.decode()
    assert not Proposal.objects.exists()
    talent.post(
        "/proposals/",
        {
            "campaign": campaign.pk,
            "topic": "建议建立校内发热门诊分流机制",
            "problem": "返校高峰期校医院门诊拥挤。",
            "suggestion": "设置独立发热诊室。",
            "files": [SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan")],
        },
    )
    item = Proposal.objects.get()
    assert item.attachments.get().original_name == "方案.pdf"
    client_for(world, "org_admin").post(
        f"/proposals/{item.pk}/",
        {"decision": "adopted", "feedback": "已纳入学校返校工作方案。"},
    )
    item.refresh_from_db()
    assert item.status == "adopted" and item.decided_by == world.users.org_admin
    entry = LedgerEntry.objects.get()
    assert entry.role == "advisor" and entry.person == world.users.talent.person
    assert world.users.talent.inbox.filter(subject__contains="已采纳").exists()
    assert "已纳入学校返校工作方案" in talent.get(f"/proposals/{item.pk}/").content.decode()


def test_referred_then_adopted_and_each_decision_needs_feedback(world, campaign):
    item = proposal(world, campaign)
    admin = world.users.org_admin
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(proposal=item, acting_user=admin, decision="referred", feedback="")
    assert {"feedback", "referred_to"} <= set(error.value.message_dict)
    services.proposal_decide(
        proposal=item,
        acting_user=admin,
        decision="referred",
        feedback="请后勤处研究",
        referred_to="后勤处",
    )
    services.proposal_decide(
        proposal=item, acting_user=admin, decision="adopted", feedback="后勤处已采纳"
    )
    with pytest.raises(ValidationError, match="不能从"):
        services.proposal_decide(proposal=item, acting_user=admin, decision="noted", feedback="x")
    states = StateEvent.objects.filter(target_type="proposals.proposal").values_list(
        "to_state", flat=True
    )
    assert list(states) == ["referred", "adopted"]


def test_who_sees_and_who_decides(world, campaign):
    item = proposal(world, campaign)
    url = f"/proposals/{item.pk}/"
    assert client_for(world, "unit_admin_a").get(url).status_code == 200
    assert client_for(world, "unit_admin_b").get(url).status_code == 404
    response = client_for(world, "unit_admin_a").post(
        url, {"decision": "adopted", "feedback": "好"}
    )
    assert response.status_code == 403
    assert Proposal.objects.get().status == "submitted"


@pytest.mark.parametrize("field", ["topic", "problem", "suggestion"])
def test_an_empty_proposal_is_refused(world, campaign, field):
    with pytest.raises(ValidationError) as error:
        proposal(world, campaign, **{field: " "})
    assert field in error.value.message_dict
    assert not Proposal.objects.exists()


def test_key_problems_are_volunteered_for_once_and_progress_is_kept(world, campaign):
    admin = client_for(world, "org_admin")
    admin.post(
        "/proposals/problems/",
        {
            "campaign": campaign.pk,
            "title": "复工企业通风系统消毒方案",
            "description": "需要环境工程专业。",
        },
    )
    problem = KeyProblem.objects.get()
    talent = client_for(world, "talent")
    talent.post(f"/proposals/problems/{problem.pk}/volunteer/")
    response = talent.post(f"/proposals/problems/{problem.pk}/volunteer/", follow=True)
    assert "您已认领这个问题" in response.content.decode()
    assert Volunteer.objects.count() == 1
    talent.post(f"/proposals/problems/{problem.pk}/", {"text": "已完成两家企业现场测试。"})
    page = (
        client_for(world, "counsellor").get(f"/proposals/problems/{problem.pk}/").content.decode()
    )
    assert "已完成两家企业现场测试" in page
    # Someone who has not volunteered cannot write progress.
    response = client_for(world, "counsellor").post(
        f"/proposals/problems/{problem.pk}/", {"text": "x"}
    )
    assert response.status_code == 403
    admin.post(f"/proposals/problems/{problem.pk}/close/", {"solved": "1"})
    problem.refresh_from_db()
    assert problem.status == "solved"
    with pytest.raises(ValidationError, match="不再征集"):
        services.key_problem_volunteer(problem=problem, acting_user=world.users.unit_admin_a)


def test_only_the_org_admin_publishes_key_problems(world, campaign):
    response = client_for(world, "unit_admin_a").post(
        "/proposals/problems/", {"campaign": campaign.pk, "title": "x", "description": "y"}
    )
    assert response.status_code == 403 and not KeyProblem.objects.exists()


def test_the_api(world, campaign):
    talent = client_for(world, "talent")
    response = talent.post(
        "/api/v1/proposals",
        json.dumps(
            {"campaign_id": campaign.pk, "topic": "建议", "problem": "问题", "suggestion": " "}
        ),
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == [
        "body",
        "suggestion",
    ]
    response = talent.post(
        "/api/v1/proposals",
        json.dumps(
            {"campaign_id": campaign.pk, "topic": "建议", "problem": "问题", "suggestion": "对策"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    decided = client_for(world, "org_admin").post(
        f"/api/v1/proposals/{response.json()['id']}/decide",
        json.dumps({"decision": "noted", "feedback": "已阅，供参考"}),
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "noted"


def test_the_org_admin_does_not_decide_their_own_proposal(world, campaign):
    own = proposal(world, campaign, acting_user=world.users.org_admin)
    with pytest.raises(ValidationError, match="本人"):
        services.proposal_decide(
            proposal=own, acting_user=world.users.org_admin, decision="adopted", feedback="好"
        )
    assert not LedgerEntry.objects.exists()


def test_a_crafted_office_file_is_refused_not_a_server_error(world, campaign):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    crafted = bytearray(buffer.getvalue())
    central = crafted.rfind(b"PK\x01\x02")
    crafted[central + 6] = 0xFF  # "version needed to extract" no zipfile supports
    upload = SimpleUploadedFile("方案.docx", bytes(crafted))
    with pytest.raises(ValidationError) as error:
        proposal(world, campaign, files=[upload])
    assert "attachments" in error.value.message_dict
