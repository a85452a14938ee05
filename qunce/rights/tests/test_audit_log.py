"""The organization department searches the audit trail and the read logs, and exports them."""

import io

from openpyxl import load_workbook

from qunce.conftest import client_for
from qunce.core.services import audit_record
from qunce.counselling.models import CaseAccess
from qunce.health.models import CheckinAccess
from qunce.health.services import checkin_reads_log
from qunce.org.models import PersonRead


def _traces(world):
    checkin_reads_log(
        viewer=world.users.unit_admin_a, people=[world.person_a], what=CheckinAccess.What.HISTORY
    )
    PersonRead.objects.create(
        viewer=world.users.unit_admin_b,
        person=world.person_b,
        person_number=world.person_b.pk,
        via=PersonRead.Via.PAGE,
    )
    CaseAccess.objects.create(case=None, case_number=41, user=world.users.counsellor, action="read")
    audit_record(actor=world.users.org_admin, action="person_update", target=world.person_a)


def test_the_org_admin_sees_every_kind_newest_first(world):
    _traces(world)
    page = client_for(world, "org_admin").get("/mydata/audit/").content.decode()
    for text in (
        "查看打卡记录",
        "查看人员页面",
        "心理咨询个案 #41",
        "person_update",
        "甲某",
        "乙某",
    ):
        assert text in page
    assert page.index("person_update") < page.index("查看打卡记录")


def test_filters_by_who_whom_kind_and_dates(world):
    _traces(world)
    client = client_for(world, "org_admin")
    by_who = client.get("/mydata/audit/", {"who": "unit_admin_b"}).content.decode()
    assert "乙某" in by_who and "查看打卡记录" not in by_who
    by_whom = client.get("/mydata/audit/", {"whom": "甲某"}).content.decode()
    assert "查看打卡记录" in by_whom and "查看人员页面" not in by_whom
    by_kind = client.get("/mydata/audit/", {"kinds": "counselling"}).content.decode()
    assert "心理咨询个案 #41" in by_kind and "person_update" not in by_kind
    old = client.get("/mydata/audit/", {"until": "2020-01-01"}).content.decode()
    assert "没有符合条件的记录" in old


def test_bad_dates_are_a_message(world):
    client = client_for(world, "org_admin")
    for query in (
        {"since": "2020-02-30"},
        {"since": "2024-03-02", "until": "2024-03-01"},
        {"since": "x" * 300},
    ):
        response = client.get("/mydata/audit/", query)
        assert response.status_code == 200
    assert (
        "结束日期不能早于开始日期"
        in client.get(
            "/mydata/audit/", {"since": "2024-03-02", "until": "2024-03-01"}
        ).content.decode()
    )


def test_the_export_holds_the_rows(world):
    _traces(world)
    response = client_for(world, "org_admin").get("/mydata/audit/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 5
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == {
        "操作记录",
        "查看健康记录",
        "查看人员信息",
        "查看心理咨询个案",
    }


def test_a_units_admin_searches_what_concerns_their_own_people_only(world):
    """Unit A's admin: the reads of A's people and the writes to their records, not B's, and
    never a counselling case's reads (the page and the export alike)."""
    _traces(world)
    from qunce.talents.models import TalentProfile
    from qunce.talents.services import profile_update

    profile_update(
        profile=TalentProfile.objects.create(person=world.person_a),
        acting_user=world.users.org_admin,
        changes={"keywords": "高炉"},
    )
    audit_record(actor=world.users.org_admin, action="person_update_b", target=world.person_b)
    client = client_for(world, "unit_admin_a")
    page = client.get("/mydata/audit/").content.decode()
    for text in ("查看打卡记录", "甲某", "person_update", "talents.talentprofile #"):
        assert text in page
    for text in (
        "查看人员页面",
        "乙某",
        "person_update_b",
        "心理咨询个案 #41",
        'value="counselling"',
    ):
        assert text not in page
    assert "你所管理单位人员的记录" in page
    # A search by name stays inside the unit; asking for counselling is refused by the form.
    assert "没有符合条件的记录" in client.get("/mydata/audit/", {"whom": "乙某"}).content.decode()
    refused = client.get("/mydata/audit/", {"kinds": "counselling"}).content.decode()
    assert "心理咨询个案 #41" not in refused and "counselling" in refused
    sheet = load_workbook(
        io.BytesIO(client.get("/mydata/audit/", {"format": "xlsx"}).content)
    ).active
    whom = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert "乙某" not in whom and sheet.max_row == 4  # heading, A's read and two writes
    page_b = client_for(world, "unit_admin_b").get("/mydata/audit/").content.decode()
    assert "乙某" in page_b and "person_update_b" in page_b and "甲某" not in page_b


def test_nobody_but_admins_searches_the_logs(world):
    for persona in ("talent", "counsellor"):
        assert client_for(world, persona).get("/mydata/audit/").status_code == 403
        assert (
            client_for(world, persona).get("/mydata/audit/", {"format": "xlsx"}).status_code == 403
        )


def test_a_search_by_person_finds_the_edits_of_their_profile(world):
    from qunce.talents.models import TalentProfile
    from qunce.talents.services import profile_update

    mine = TalentProfile.objects.create(person=world.person_a)
    other = TalentProfile.objects.create(person=world.person_b)
    profile_update(profile=mine, acting_user=world.users.org_admin, changes={"keywords": "高炉"})
    profile_update(profile=other, acting_user=world.users.org_admin, changes={"keywords": "铁水"})
    page = client_for(world, "org_admin").get("/mydata/audit/", {"whom": "甲某"}).content.decode()
    assert f"talents.talentprofile #{mine.pk}" in page
    assert f"talents.talentprofile #{other.pk}" not in page
