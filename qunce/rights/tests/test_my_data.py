"""我的数据 (PIPL Arts. 44-47): what is kept about a person, who read it, exports, and
correction and deletion requests answered by their unit's admins."""

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from openpyxl import load_workbook

from qunce.conftest import client_for
from qunce.core.models import InboxMessage
from qunce.counselling.tests.factories import counselling_asked
from qunce.health.models import Checkin, CheckinAccess
from qunce.health.services import checkin_reads_log
from qunce.org.models import Campaign
from qunce.rights import services
from qunce.rights.models import RightsRequest
from qunce.talents.models import TalentProfile


@pytest.fixture
def campaigns(db):
    running = Campaign.objects.create(
        name="进行中", starts_on=datetime.date(2022, 3, 1), status=Campaign.Status.ACTIVE
    )
    ended = Campaign.objects.create(
        name="已结束", starts_on=datetime.date(2020, 1, 25), status=Campaign.Status.ENDED
    )
    return running, ended


def _talent_asks(world, kind, section, detail):
    return services.rights_request_submit(
        person=world.users.talent.person,
        acting_user=world.users.talent,
        kind=kind,
        section=section,
        detail=detail,
    )


def _checkin(person, campaign, day):
    return Checkin.objects.create(
        campaign=campaign, person=person, unit=person.unit, day=day, pledged=True
    )


def test_the_page_shows_every_kind_of_record_and_who_read_them(world, campaigns):
    person = world.users.talent.person
    _checkin(person, campaigns[0], datetime.date(2022, 3, 2))
    TalentProfile.objects.create(person=person, keywords="高炉炼铁")
    checkin_reads_log(
        viewer=world.users.unit_admin_a, people=[person], what=CheckinAccess.What.HISTORY
    )
    page = client_for(world, "talent").get("/mydata/").content.decode()
    for title in (
        "人员信息",
        "人才档案",
        "健康打卡",
        "贡献台账",
        "个人信息授权记录",
        "谁查看过我的信息",
    ):
        assert title in page
    assert "高炉炼铁" in page and "2022-03-02" in page
    assert "unit_admin_a" in page  # the admin who read the history


def test_the_exports_hold_every_section_even_with_odd_text(world, campaigns):
    person = world.users.talent.person
    person.name = "甲\x07某"
    person.save()
    client = client_for(world, "talent")
    document = json.loads(client.get("/mydata/export.json").content)
    keys = {section["key"] for section in document["sections"]}
    assert {"person", "checkins", "ledger", "consents", "checkin_reads"} <= keys
    workbook = load_workbook(io.BytesIO(client.get("/mydata/export.xlsx").content))
    assert "人员信息" in workbook.sheetnames and len(workbook.sheetnames) == len(keys)
    assert workbook["人员信息"]["B3"].value == "甲某"


def test_a_correction_goes_to_the_unit_admin_and_is_answered(world):
    talent = client_for(world, "talent")
    talent.post(
        "/mydata/",
        {"kind": "correction", "section": "person", "detail": "手机号应为 13900001111"},
    )
    request = RightsRequest.objects.get()
    assert InboxMessage.objects.filter(recipient=world.users.unit_admin_a).exists()
    assert (
        "手机号应为" in client_for(world, "unit_admin_a").get("/mydata/requests/").content.decode()
    )
    assert (
        "手机号应为"
        not in client_for(world, "unit_admin_b").get("/mydata/requests/").content.decode()
    )
    assert (
        client_for(world, "unit_admin_b").get(f"/mydata/requests/{request.pk}/").status_code == 404
    )
    assert talent.get("/mydata/requests/").status_code == 403

    admin = client_for(world, "unit_admin_a")
    empty = admin.post(f"/mydata/requests/{request.pk}/", {"decision": "done", "reply": ""})
    assert empty.status_code == 200 and RightsRequest.objects.get().status == "submitted"
    admin.post(f"/mydata/requests/{request.pk}/", {"decision": "done", "reply": "已更正手机号。"})
    request.refresh_from_db()
    assert request.status == "done" and request.handled_by == world.users.unit_admin_a
    assert "已更正手机号" in talent.get("/mydata/").content.decode()
    assert InboxMessage.objects.filter(
        recipient=world.users.talent, subject__contains="已答复"
    ).exists()


def test_nobody_asks_for_another_person_or_answers_their_own(world):
    with pytest.raises(PermissionDenied):
        services.rights_request_submit(
            person=world.person_a,
            acting_user=world.users.talent,
            kind="correction",
            section="person",
            detail="改别人的",
        )
    own = services.rights_request_submit(
        person=world.users.unit_admin_a.person,
        acting_user=world.users.unit_admin_a,
        kind="correction",
        section="person",
        detail="职称有误",
    )
    with pytest.raises(PermissionDenied):
        services.rights_request_handle(
            request=own, acting_user=world.users.unit_admin_a, to_status="done", reply="好"
        )


@pytest.mark.parametrize(
    ("kind", "section", "detail", "field"),
    [
        ("rename", "person", "x", "kind"),
        ("correction", "nothing-like-this", "x", "section"),
        ("correction", "checkin_reads", "x", "section"),
        ("correction", "person", "   ", "detail"),
    ],
)
def test_bad_requests_are_refused_at_their_field(world, kind, section, detail, field):
    with pytest.raises(ValidationError) as refused:
        _talent_asks(world, kind, section, detail)
    assert field in refused.value.message_dict
    assert not RightsRequest.objects.exists()


def test_a_deletion_removes_what_no_duty_keeps_and_says_why_the_rest_stays(world, campaigns):
    running, ended = campaigns
    person = world.users.talent.person
    _checkin(person, running, datetime.date(2022, 3, 2))
    _checkin(person, ended, datetime.date(2020, 2, 2))
    _checkin(person, ended, datetime.date(2020, 2, 3))
    request = _talent_asks(world, "deletion", "checkins", "专项行动已结束，请删除我的打卡记录")
    page = client_for(world, "unit_admin_a").get(f"/mydata/requests/{request.pk}/").content
    assert "办理后可删除 2 条" in page.decode()
    services.rights_request_handle(
        request=request, acting_user=world.users.unit_admin_a, to_status="done", reply="已办理。"
    )
    assert list(Checkin.objects.values_list("campaign__name", flat=True)) == ["进行中"]
    request.refresh_from_db()
    assert "已删除“健康打卡” 2 条" in request.reply
    assert "保留 1 条" in request.reply and "进行中专项行动" in request.reply


def test_a_profile_is_deleted_on_request_and_a_ledger_deletion_is_refused(world):
    request = _talent_asks(world, "deletion", "talent_profile", "不再参与人才库")
    TalentProfile.objects.create(person=world.users.talent.person, keywords="霜霉病")
    services.rights_request_handle(
        request=request, acting_user=world.users.org_admin, to_status="done", reply="已删除。"
    )
    assert not TalentProfile.objects.exists()
    ledger = _talent_asks(world, "deletion", "ledger", "删除台账")
    services.rights_request_handle(
        request=ledger,
        acting_user=world.users.org_admin,
        to_status="refused",
        reply="台账须长期保存。",
    )
    ledger.refresh_from_db()
    assert ledger.status == "refused" and "已删除" not in ledger.reply


def test_a_request_about_counselling_goes_to_the_coordinator_not_the_unit(world):
    from qunce.org.tests.factories import Role, UserFactory, grant

    coordinator = UserFactory(username="coordinator")
    grant(coordinator, Role.COUNSELLING_COORDINATOR)
    counselling_asked(world.users.talent)
    request = _talent_asks(world, "deletion", "counselling_cases", "请删除我的咨询记录")
    for admin in ("unit_admin_a", "org_admin"):
        page = client_for(world, admin).get("/mydata/requests/").content.decode()
        assert "请删除我的咨询记录" not in page
        assert client_for(world, admin).get(f"/mydata/requests/{request.pk}/").status_code == 404
    assert not InboxMessage.objects.filter(recipient=world.users.unit_admin_a).exists()
    assert InboxMessage.objects.filter(recipient=coordinator).exists()
    with pytest.raises(PermissionDenied):
        services.rights_request_handle(
            request=request, acting_user=world.users.org_admin, to_status="done", reply="好"
        )
    coordinating = Client()
    coordinating.force_login(coordinator)
    assert "请删除我的咨询记录" in coordinating.get("/mydata/requests/").content.decode()
    coordinating.post(
        f"/mydata/requests/{request.pk}/", {"decision": "done", "reply": "已结束的个案已删除。"}
    )
    request.refresh_from_db()
    assert request.status == "done" and "保留 1 条" in request.reply  # the case is still open
