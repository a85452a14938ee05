"""Who may do what: the role grants of one account, read once per request, and the one table
of actions that need more than one's own record (`restrict`, `may`).

What an account may *read* is each app's "visible to this user" selector, built on the unit-path
filters here; what it may *do* beyond its own records is an `Action` below, granted by one rule
that pages, API, services and templates all ask."""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Role, RoleGrant, Unit


@dataclass(frozen=True)
class Access:
    is_authenticated: bool = False
    is_org_admin: bool = False
    admin_unit_paths: tuple[str, ...] = ()
    # Units (a province's root) whose figures this account sees, summed over their universities.
    province_unit_paths: tuple[str, ...] = ()
    # Universities of those provinces that share their people's records with the province admin:
    # read, never changed, and never their counselling.
    shared_unit_paths: tuple[str, ...] = ()
    is_counsellor: bool = False
    is_counselling_coordinator: bool = False
    person_id: int | None = None
    person_unit_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_unit_admin(self):
        return bool(self.admin_unit_paths)

    @property
    def is_admin(self):
        return self.is_org_admin or self.is_unit_admin

    @property
    def oversees_province(self):
        return bool(self.province_unit_paths)

    @property
    def is_talent(self):
        return self.person_id is not None

    @property
    def holds_privileged_role(self):
        """A role that reads other people's records or counselling: such accounts are asked to
        turn on a second factor."""
        return (
            self.is_admin
            or self.oversees_province
            or self.is_counsellor
            or self.is_counselling_coordinator
        )

    def administers_path(self, path):
        return self.is_org_admin or any(path.startswith(prefix) for prefix in self.admin_unit_paths)

    def administers_unit(self, unit):
        return self.administers_path(unit.path)

    @property
    def reads_people(self):
        """Whether this account reads other people's records: an admin, or a province admin
        whom a university shares them with."""
        return self.is_admin or bool(self.shared_unit_paths)

    def reads_path(self, path):
        """Whether the people of the unit at `path` are this account's to read."""
        return self.administers_path(path) or any(
            path.startswith(prefix) for prefix in self.shared_unit_paths
        )

    def unit_path_filter(self, lookup):
        """Q over `lookup` (a path field) matching every unit this account administers."""
        return paths_filter(lookup, self.admin_unit_paths)

    def read_path_filter(self, lookup):
        """Q over `lookup` (a path field) matching every unit whose people this account reads:
        those it administers and those shared with it."""
        return paths_filter(lookup, self.admin_unit_paths + self.shared_unit_paths)


def paths_filter(lookup, paths):
    """Q over `lookup` (a unit path field) matching the units at or under any of `paths`
    (none when `paths` is empty)."""
    query = Q(pk__in=[])
    for prefix in paths:
        query |= Q(**{f"{lookup}__startswith": prefix})
    return query


ANONYMOUS = Access()


def _shared_universities(province_paths):
    if not province_paths:
        return ()
    return tuple(
        Unit.objects.filter(
            paths_filter("path", province_paths), kind=Unit.Kind.UNIVERSITY, shares_details=True
        )
        .order_by("path")
        .values_list("path", flat=True)
    )


def access_for(user):
    if not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_qunce_access", None)
    if cached is not None:
        return cached
    grants = list(
        RoleGrant.objects.filter(user=user).select_related("unit").only("role", "unit__path")
    )
    admin_paths = sorted({grant.unit.path for grant in grants if grant.role == Role.UNIT_ADMIN})
    # A path inside another administered path adds nothing to the filter.
    admin_paths = tuple(
        p for p in admin_paths if not any(p != q and p.startswith(q) for q in admin_paths)
    )
    province_paths = tuple(
        sorted({grant.unit.path for grant in grants if grant.role == Role.PROVINCE_ADMIN})
    )
    person = getattr(user, "person", None) if hasattr(user, "person") else None
    access = Access(
        is_authenticated=True,
        is_org_admin=any(grant.role == Role.ORG_ADMIN for grant in grants),
        admin_unit_paths=admin_paths,
        province_unit_paths=province_paths,
        shared_unit_paths=_shared_universities(province_paths),
        is_counsellor=any(grant.role == Role.COUNSELLOR for grant in grants),
        is_counselling_coordinator=any(
            grant.role == Role.COUNSELLING_COORDINATOR for grant in grants
        ),
        person_id=person.pk if person else None,
        person_unit_id=person.unit_id if person else None,
        roles=frozenset(grant.role for grant in grants),
    )
    user._qunce_access = access
    return access


class Action(StrEnum):
    """What an account may do beyond its own records. The value is also the name templates ask
    by (`{% if may.publish_notices %}`)."""

    # The organization department (组织部) alone.
    MANAGE_CAMPAIGNS = "manage_campaigns"
    SET_CHECKIN_POLICY = "set_checkin_policy"
    PUBLISH_NOTICES = "publish_notices"
    PUBLISH_CONSENT_NOTICES = "publish_consent_notices"
    PUBLISH_PLEDGES = "publish_pledges"
    DECIDE_PROPOSALS = "decide_proposals"
    MANAGE_KEY_PROBLEMS = "manage_key_problems"
    SET_LEDGER_RULES = "set_ledger_rules"
    FINALIZE_RECOMMENDATIONS = "finalize_recommendations"
    DECIDE_COMMENDATIONS = "decide_commendations"
    CORRECT_TEAM_ENTRIES = "correct_team_entries"
    MANAGE_API_TOKENS = "manage_api_tokens"
    READ_COUNSELLING_COUNTS = "read_counselling_counts"
    # The organization department and every unit's admins, within their units.
    MANAGE_UNITS = "manage_units"
    IMPORT_TALENTS = "import_talents"
    ACT_FOR_UNIT_PEOPLE = "act_for_unit_people"
    VERIFY_RECORDS = "verify_records"
    READ_UNIT_REPORTS = "read_unit_reports"
    REGISTER_FRONTLINE = "register_frontline"
    RECOMMEND_COMMENDATIONS = "recommend_commendations"
    POST_SUPPLY_NEEDS = "post_supply_needs"
    VERIFY_SUPPLIERS = "verify_suppliers"
    MANAGE_ROBOTS = "manage_robots"
    READ_ACCESS_LOG = "read_access_log"
    # Admins, and a province admin whom a university shares its people's records with.
    READ_PEOPLE = "read_people"
    # Admins, and a province admin (aggregates over the province's universities).
    READ_REQUEST_REPORT = "read_request_report"
    # Admins, and the counselling coordinator (for counselling records).
    HANDLE_RIGHTS_REQUESTS = "handle_rights_requests"
    # The counselling desk: counsellors, their coordinator, and the organization department.
    USE_COUNSELLING_DESK = "use_counselling_desk"


@dataclass(frozen=True)
class Grant:
    allows: Callable[[Access], bool]
    refusal: Promise


def _org_admin(access):
    return access.is_org_admin


def _admin(access):
    return access.is_admin


def _people_reader(access):
    return access.reads_people


def _admin_or_province(access):
    return access.is_admin or access.oversees_province


def _admin_or_coordinator(access):
    return access.is_admin or access.is_counselling_coordinator


def _counselling_staff(access):
    return access.is_org_admin or access.is_counsellor or access.is_counselling_coordinator


GRANTS: dict[Action, Grant] = {
    Action.MANAGE_CAMPAIGNS: Grant(_org_admin, _("只有组织部管理员可以管理专项行动。")),
    Action.SET_CHECKIN_POLICY: Grant(_org_admin, _("只有组织部管理员可以修改打卡设置。")),
    Action.PUBLISH_NOTICES: Grant(_org_admin, _("只有组织部管理员可以拟发和印发通知。")),
    Action.PUBLISH_CONSENT_NOTICES: Grant(_org_admin, _("只有组织部管理员可以发布告知书。")),
    Action.PUBLISH_PLEDGES: Grant(_org_admin, _("只有组织部管理员可以发布承诺书。")),
    Action.DECIDE_PROPOSALS: Grant(_org_admin, _("只有组织部管理员可以办理建议。")),
    Action.MANAGE_KEY_PROBLEMS: Grant(_org_admin, _("只有组织部管理员可以发布和关闭重点难题。")),
    Action.SET_LEDGER_RULES: Grant(_org_admin, _("只有组织部管理员可以修改积分规则。")),
    Action.FINALIZE_RECOMMENDATIONS: Grant(_org_admin, _("只有组织部管理员可以定稿推荐名单。")),
    Action.DECIDE_COMMENDATIONS: Grant(_org_admin, _("只有组织部管理员可以审批表彰。")),
    Action.CORRECT_TEAM_ENTRIES: Grant(_org_admin, _("团队记录只能由组织部更正。")),
    Action.MANAGE_API_TOKENS: Grant(_org_admin, _("只有组织部管理员可以管理他人的接口令牌。")),
    Action.READ_COUNSELLING_COUNTS: Grant(_org_admin, _("只有组织部管理员可以查看心理疏导统计。")),
    Action.MANAGE_UNITS: Grant(_admin, _("只有组织部和单位管理员可以管理组织机构。")),
    Action.IMPORT_TALENTS: Grant(_admin, _("只有组织部和单位管理员可以导入人才信息。")),
    Action.ACT_FOR_UNIT_PEOPLE: Grant(_admin, _("只有组织部和单位管理员可以代本单位人员登记。")),
    Action.VERIFY_RECORDS: Grant(_admin, _("只有组织部和单位管理员可以核实记录。")),
    Action.READ_UNIT_REPORTS: Grant(_admin, _("只有组织部和单位管理员可以查看统计。")),
    Action.REGISTER_FRONTLINE: Grant(_admin, _("只有组织部和单位管理员可以认定一线人员。")),
    Action.RECOMMEND_COMMENDATIONS: Grant(_admin, _("只有单位管理员可以推荐表彰。")),
    Action.POST_SUPPLY_NEEDS: Grant(_admin, _("只有组织部和单位管理员可以发布物资需求。")),
    Action.VERIFY_SUPPLIERS: Grant(_admin, _("只有管理员可以核实供应商。")),
    Action.MANAGE_ROBOTS: Grant(_admin, _("只有组织部和单位管理员可以设置群机器人。")),
    Action.READ_ACCESS_LOG: Grant(_admin, _("只有组织部和单位管理员可以查看操作与访问记录。")),
    Action.READ_PEOPLE: Grant(_people_reader, _("只有管理员可以查看人员信息。")),
    Action.READ_REQUEST_REPORT: Grant(_admin_or_province, _("只有管理员可以查看求助统计。")),
    Action.HANDLE_RIGHTS_REQUESTS: Grant(
        _admin_or_coordinator, _("只有管理员和心理疏导协调人可以办理更正与删除申请。")
    ),
    Action.USE_COUNSELLING_DESK: Grant(
        _counselling_staff, _("只有心理疏导员、协调人和组织部管理员可以进入疏导工作台。")
    ),
}


def may(user, action: Action) -> bool:
    return GRANTS[action].allows(access_for(user))


def restrict(user, action: Action) -> Access:
    """The account's access when it may do `action`; otherwise PermissionDenied with a message
    that says who may."""
    access = access_for(user)
    grant = GRANTS[action]
    if not grant.allows(access):
        raise PermissionDenied(grant.refusal)
    return access


class Permissions:
    """`may` in templates: `{% if may.publish_notices %}` asks the same table as `restrict`.
    A name that is no action raises KeyError, which a template shows as nothing; a test reads
    every template's `may.` names against the table."""

    def __init__(self, access: Access):
        self._access = access

    def __getitem__(self, name: str) -> bool:
        try:
            action = Action(name)
        except ValueError:
            raise KeyError(name) from None
        return GRANTS[action].allows(self._access)
