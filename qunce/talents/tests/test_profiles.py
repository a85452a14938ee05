from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qunce.conftest import client_for
from qunce.core.models import InboxMessage
from qunce.org.models import Person, ServiceRole
from qunce.org.tests.factories import PersonFactory
from qunce.talents import importing
from qunce.talents.models import Availability, TalentProfile, volunteer_field
from qunce.talents.services import PROFILE_FIELDS, profile_reminders_send, profile_update

from .xlsx import person_row, workbook_bytes


def _profile(person, **values):
    profile = TalentProfile.objects.create(person=person, **values)
    profile.refresh_search_text()
    profile.save()
    return profile


def _edit_form(**overrides):
    data = {
        "disciplines": ["0806"],
        "research_fields": "钢铁冶金",
        "keywords": "高炉炼铁",
        "summary": "",
        "works": "",
        "volunteers_technician": "on",
        "service_regions": ["210300"],
        "preferred_channel": "wechat",
        "availability": "available",
        "availability_from": "",
        "availability_until": "",
    }
    data.update(overrides)
    return data


def test_talent_edits_own_profile_and_confirmation_is_withdrawn(world):
    person = world.users.talent.person
    _profile(person, confirmed_at=timezone.now())
    response = client_for(world, "talent").post("/talents/me/", _edit_form())
    assert response.status_code == 302
    profile = TalentProfile.objects.get(person=person)
    assert profile.confirmed_at is None
    assert profile.keywords == "高炉炼铁"
    assert [d.code for d in profile.disciplines.all()] == ["0806"]
    assert profile.volunteers_technician


def test_saving_without_changes_keeps_the_confirmation(world):
    person = world.users.talent.person
    client = client_for(world, "talent")
    client.post("/talents/me/", _edit_form())
    TalentProfile.objects.filter(person=person).update(confirmed_at=timezone.now())
    client.post("/talents/me/", _edit_form())
    assert TalentProfile.objects.get(person=person).confirmed_at is not None


def test_profile_form_rejects_more_than_three_disciplines_and_a_reversed_period(world):
    response = client_for(world, "talent").post(
        "/talents/me/",
        _edit_form(
            disciplines=["0806", "0805", "0812", "0701"],
            availability="frontline",
            availability_from="2020-02-10",
            availability_until="2020-02-01",
        ),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "最多选择 3 个学科" in content
    assert "结束日期早于开始日期" in content
    assert not TalentProfile.objects.filter(keywords="高炉炼铁").exists()


def test_unit_admin_confirms_but_the_talent_cannot(world):
    person = world.users.talent.person
    _profile(person)
    assert client_for(world, "talent").post(f"/talents/{person.pk}/confirm/").status_code == 403
    assert (
        client_for(world, "unit_admin_b").post(f"/talents/{person.pk}/confirm/").status_code == 404
    )
    assert (
        client_for(world, "unit_admin_a").post(f"/talents/{person.pk}/confirm/").status_code == 302
    )
    profile = TalentProfile.objects.get(person=person)
    assert profile.confirmed_by == world.users.unit_admin_a


def test_registry_filters_combine(world):
    metallurgist = PersonFactory(unit=world.branch_a, name="冶金某")
    _profile(
        metallurgist,
        keywords="高炉炼铁、余热回收",
        volunteers_technician=True,
        confirmed_at=timezone.now(),
    )
    metallurgist.profile.disciplines.set(["0806"])
    coder = PersonFactory(unit=world.branch_b, name="程序某")
    _profile(coder, keywords="大数据", availability=Availability.BUSY)
    coder.profile.disciplines.set(["0812"])
    client = client_for(world, "org_admin")

    def names(**params):
        return {p.name for p in client.get("/talents/people/", params).context["page"].object_list}

    assert names(keyword="余热") == {"冶金某"}
    assert names(discipline="08") == {"冶金某", "程序某"}
    assert names(discipline="0806") == {"冶金某"}
    assert names(discipline="08", role="technician") == {"冶金某"}
    assert names(availability="busy") == {"程序某"}
    assert names(confirmed="yes") == {"冶金某"}
    assert "冶金某" not in names(confirmed="no")
    assert names(discipline="08", unit=world.unit_b.pk) == {"程序某"}


def test_people_list_query_count_does_not_grow_with_page_size(world):
    for number in range(30):
        person = PersonFactory(unit=world.branch_a, name=f"档案{number}")
        _profile(person, keywords="冶金")
        person.profile.disciplines.set(["0806", "0805"])
    client = client_for(world, "org_admin")
    client.get("/talents/people/")
    with CaptureQueriesContext(connection) as small:
        client.get("/talents/people/", {"q": "档案2"})  # 1 + 档案20…29 = 11 rows
    with CaptureQueriesContext(connection) as large:
        client.get("/talents/people/", {"q": "档案"})  # 30 rows
    assert len(large) == len(small)


def test_stale_profiles_are_reminded_once_per_lapse(world):
    person = world.users.talent.person
    long_ago = timezone.now() - timedelta(days=181)
    _profile(person, confirmed_at=long_ago)
    assert profile_reminders_send() == 1
    assert profile_reminders_send() == 0
    talent_messages = InboxMessage.objects.filter(recipient=world.users.talent)
    admin_messages = InboxMessage.objects.filter(recipient=world.users.unit_admin_a)
    assert talent_messages.count() == 1
    assert admin_messages.count() == 1
    assert not InboxMessage.objects.filter(recipient=world.users.unit_admin_b).exists()
    # Confirmed again, then lapsed again: a new lapse, a new reminder.
    TalentProfile.objects.filter(person=person).update(confirmed_at=long_ago - timedelta(days=1))
    assert profile_reminders_send() == 1


def test_recently_confirmed_profiles_are_not_reminded(world):
    _profile(world.users.talent.person, confirmed_at=timezone.now() - timedelta(days=100))
    assert profile_reminders_send() == 0


def test_inbox_lists_and_marks_messages_read(world):
    _profile(world.users.talent.person, confirmed_at=timezone.now() - timedelta(days=200))
    profile_reminders_send()
    client = client_for(world, "talent")
    page = client.get("/inbox/")
    assert "请更新并请单位确认您的人才档案" in page.content.decode()
    message = InboxMessage.objects.get(recipient=world.users.talent)
    client.post("/inbox/", {"message": [message.pk]})
    message.refresh_from_db()
    assert message.read_at is not None


def test_person_page_offers_reconfirmation_once_the_confirmation_has_lapsed(world):
    person = world.users.talent.person
    profile = _profile(person, confirmed_at=timezone.now() - timedelta(days=10))
    client = client_for(world, "unit_admin_a")
    assert "确认档案" not in client.get(f"/talents/people/{person.pk}/").content.decode()
    TalentProfile.objects.filter(pk=profile.pk).update(
        confirmed_at=timezone.now() - timedelta(days=200)
    )
    assert "确认档案" in client.get(f"/talents/people/{person.pk}/").content.decode()


def test_nobody_confirms_their_own_profile(world):
    own = world.users.unit_admin_a.person
    profile = _profile(own, confirmed_at=None)
    client = client_for(world, "unit_admin_a")
    assert "确认档案" not in client.get(f"/talents/people/{own.pk}/").content.decode()
    page = client.post(f"/talents/{own.pk}/confirm/", follow=True).content.decode()
    assert "不能确认本人的人才档案" in page
    refused = client.post(f"/api/v1/talents/profiles/{own.pk}/confirm")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "status"]
    assert "不能确认本人的人才档案" in refused.json()["detail"][0]["msg"]
    profile.refresh_from_db()
    assert profile.confirmed_at is None
    client_for(world, "org_admin").post(f"/talents/{own.pk}/confirm/")
    profile.refresh_from_db()
    assert profile.confirmed_by == world.users.org_admin


def test_a_refused_confirm_keeps_the_fresh_report(world):
    batch = importing.talent_import_preview(
        uploaded=workbook_bytes([person_row("A-01")]), acting_user=world.users.unit_admin_a
    )
    # Meanwhile the same 工号 is given to someone in unit B.
    Person.objects.create(
        staff_no="X0000001",
        name="乙新",
        gender="male",
        unit=world.branch_b,
        political_status="masses",
    )
    with pytest.raises(Exception, match="未导入任何数据"):
        importing.talent_import_confirm(batch=batch, acting_user=world.users.unit_admin_a)
    batch.refresh_from_db()
    assert batch.report["counts"]["error"] == 1
    assert batch.report["rows"][0]["errors"][0]["column"] == "工号"


def test_withdrawn_confirmation_starts_a_new_lapse(world):
    person = world.users.talent.person
    long_ago = timezone.now() - timedelta(days=400)
    profile = TalentProfile.objects.create(
        person=person, confirmed_at=timezone.now() - timedelta(days=30)
    )
    TalentProfile.objects.filter(pk=profile.pk).update(
        created_at=long_ago, unconfirmed_since=long_ago
    )
    profile_update(profile=profile, acting_user=world.users.talent, changes={"keywords": "新专长"})
    assert profile_reminders_send() == 0  # just edited: not stale
    TalentProfile.objects.filter(pk=profile.pk).update(
        unconfirmed_since=timezone.now() - timedelta(days=181)
    )
    assert profile_reminders_send() == 1


def test_viewing_a_profile_creates_nothing(world):
    response = client_for(world, "org_admin").get(f"/api/v1/talents/profiles/{world.person_a.pk}")
    assert response.status_code == 404
    client_for(world, "org_admin").get(f"/talents/{world.person_a.pk}/edit/")
    assert not TalentProfile.objects.exists()


def test_a_profile_takes_a_volunteer_choice_for_each_of_the_eight_roles():
    volunteer_fields = {field for field in PROFILE_FIELDS if field.startswith("volunteers_")}
    assert volunteer_fields == {volunteer_field(role) for role in ServiceRole}
