"""The one table of actions beyond one's own records (`restrict`, `may`, `may.` in templates):
who holds each, the message a refusal carries, and that pages and API ask the same rule."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from qunce.conftest import signed_in
from qunce.org.access import ANONYMOUS, GRANTS, Access, Action, Permissions, may, restrict
from qunce.org.models import Person

ORG_ADMIN = Access(is_authenticated=True, is_org_admin=True, person_id=1)
UNIT_ADMIN = Access(is_authenticated=True, admin_unit_paths=("0001.0002",), person_id=2)
TALENT = Access(is_authenticated=True, person_id=3)
COUNSELLOR = Access(is_authenticated=True, is_counsellor=True, person_id=4)
COORDINATOR = Access(is_authenticated=True, is_counselling_coordinator=True)
PROVINCE = Access(is_authenticated=True, province_unit_paths=("0009",))
PROVINCE_SHARED = Access(
    is_authenticated=True, province_unit_paths=("0009",), shared_unit_paths=("0009.0001",)
)
PERSONAS = {
    "org_admin": ORG_ADMIN,
    "unit_admin": UNIT_ADMIN,
    "talent": TALENT,
    "counsellor": COUNSELLOR,
    "coordinator": COORDINATOR,
    "province": PROVINCE,
    "province_shared": PROVINCE_SHARED,
    "anonymous": ANONYMOUS,
}
ADMINS = {"org_admin", "unit_admin"}
# Written out, not derived from the rules: the table below is what the department decided.
HOLDERS = {
    Action.MANAGE_CAMPAIGNS: {"org_admin"},
    Action.SET_CHECKIN_POLICY: {"org_admin"},
    Action.PUBLISH_NOTICES: {"org_admin"},
    Action.PUBLISH_CONSENT_NOTICES: {"org_admin"},
    Action.PUBLISH_PLEDGES: {"org_admin"},
    Action.DECIDE_PROPOSALS: {"org_admin"},
    Action.MANAGE_KEY_PROBLEMS: {"org_admin"},
    Action.SET_LEDGER_RULES: {"org_admin"},
    Action.FINALIZE_RECOMMENDATIONS: {"org_admin"},
    Action.DECIDE_COMMENDATIONS: {"org_admin"},
    Action.CORRECT_TEAM_ENTRIES: {"org_admin"},
    Action.MANAGE_API_TOKENS: {"org_admin"},
    Action.READ_COUNSELLING_COUNTS: {"org_admin"},
    Action.MANAGE_UNITS: ADMINS,
    Action.IMPORT_TALENTS: ADMINS,
    Action.ACT_FOR_UNIT_PEOPLE: ADMINS,
    Action.VERIFY_RECORDS: ADMINS,
    Action.READ_UNIT_REPORTS: ADMINS,
    Action.REGISTER_FRONTLINE: ADMINS,
    Action.RECOMMEND_COMMENDATIONS: ADMINS,
    Action.POST_SUPPLY_NEEDS: ADMINS,
    Action.VERIFY_SUPPLIERS: ADMINS,
    Action.MANAGE_ROBOTS: ADMINS,
    Action.READ_ACCESS_LOG: ADMINS,
    Action.READ_PEOPLE: ADMINS | {"province_shared"},
    Action.READ_REQUEST_REPORT: ADMINS | {"province", "province_shared"},
    Action.HANDLE_RIGHTS_REQUESTS: ADMINS | {"coordinator"},
    Action.USE_COUNSELLING_DESK: {"org_admin", "counsellor", "coordinator"},
}


def test_every_action_has_a_rule_and_a_chinese_refusal():
    assert set(GRANTS) == set(Action) == set(HOLDERS)
    for action, grant in GRANTS.items():
        assert re.search(r"[\u4e00-\u9fff]", str(grant.refusal)), action


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_each_action_is_held_by_exactly_its_roles(action):
    holders = {name for name, access in PERSONAS.items() if GRANTS[action].allows(access)}
    assert holders == HOLDERS[action]


def test_templates_ask_the_same_table_and_an_unknown_name_is_a_key_error():
    may_in_templates = Permissions(UNIT_ADMIN)
    assert may_in_templates["import_talents"] is True
    assert may_in_templates["publish_notices"] is False
    with pytest.raises(KeyError):
        may_in_templates["publish_everything"]


def test_every_may_in_a_template_names_an_action():
    """A misspelt name would hide a button from everyone, silently."""
    root = Path(__file__).resolve().parents[2]
    asked = set()
    for template in root.glob("**/templates/**/*.html"):
        asked |= set(re.findall(r"\bmay\.(\w+)", template.read_text(encoding="utf-8")))
    assert asked, "no template asks the table"
    assert asked <= {action.value for action in Action}, asked - set(Action)


@pytest.mark.django_db
def test_restrict_returns_the_access_or_refuses_with_who_may(world):
    access = restrict(world.users.org_admin, Action.PUBLISH_NOTICES)
    assert access.is_org_admin
    with pytest.raises(PermissionDenied, match="只有组织部管理员可以拟发和印发通知"):
        restrict(world.users.unit_admin_a, Action.PUBLISH_NOTICES)
    assert may(world.users.unit_admin_a, Action.IMPORT_TALENTS)
    assert not may(world.users.talent, Action.IMPORT_TALENTS)


@pytest.mark.django_db
def test_the_api_says_why_it_refuses(world):
    response = signed_in(world.users.talent).get("/api/v1/health/stats")
    assert response.status_code == 403
    assert response.json()["detail"] == "只有组织部和单位管理员可以查看统计。"


def test_the_request_report_page_and_api_admit_the_province_admin_alike(province):
    overseer = signed_in(province["overseer"])
    assert overseer.get("/assistance/report/").status_code == 200
    assert overseer.get("/api/v1/assistance/report").status_code == 200
    talent = (
        Person.objects.filter(unit__path__startswith=province["first"].path, user__isnull=False)
        .exclude(user__role_grants__isnull=False)
        .first()
    )
    assert signed_in(talent.user).get("/assistance/report/").status_code == 403
    assert signed_in(talent.user).get("/api/v1/assistance/report").status_code == 403


def test_the_people_export_page_and_api_admit_a_shared_province_admin_alike(province):
    overseer = signed_in(province["overseer"])
    assert overseer.get("/talents/export.xlsx").status_code == 403
    assert overseer.get("/api/v1/talents/export").status_code == 403
    signed_in(province["first_admin"]).post(
        f"/org/units/{province['first'].pk}/sharing/",
        {"sharing": "shares_details", "shares": "1", "next": "/org/units/"},
    )
    assert overseer.get("/talents/export.xlsx").status_code == 200
    assert overseer.get("/api/v1/talents/export").status_code == 200


@pytest.mark.django_db
def test_the_refused_page_says_who_may(world):
    response = signed_in(world.users.talent).get("/talents/import/")
    assert response.status_code == 403
    assert "只有组织部和单位管理员可以导入人才信息。" in response.content.decode()
