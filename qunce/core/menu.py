"""The main menu: the notice's three parts (组织引导 / 八员 / 关心关爱), then 报表 and 管理, each
showing only the pages this person can use.

One table names every page by its URL name, so the ground floor imports none of the apps it
links to, and the menu, the phone menu and the talents' quick actions cannot disagree."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PARTS = {
    "guide": _("组织引导"),
    "roles": _("八员"),
    "care": _("关心关爱"),
    "reports": _("报表"),
    "admin": _("管理"),
}

# Who may use a page; an entry lists the audiences it serves.
TALENT = "talent"
ADMIN = "admin"
ORG_ADMIN = "org_admin"
COUNSELLING = "counselling"
PROVINCE = "province"
# A province admin whom a university shares its people's records with.
SHARED = "shared"


def audiences_of(access):
    audiences = set()
    if access.is_talent:
        audiences.add(TALENT)
    if access.is_admin:
        audiences.add(ADMIN)
    if access.is_org_admin:
        audiences.add(ORG_ADMIN)
    if access.is_org_admin or access.is_counsellor or access.is_counselling_coordinator:
        audiences.add(COUNSELLING)
    if access.oversees_province:
        audiences.add(PROVINCE)
    if access.shared_unit_paths:
        audiences.add(SHARED)
    return audiences


@dataclass(frozen=True)
class Entry:
    part: str
    label: str
    url_name: str
    audiences: frozenset
    # One of the eight roles (八员), so a campaign that leaves the role off hides it.
    role: str = ""
    # One of a talent's three most used actions, kept at hand on a phone.
    quick_label: str = ""


def _entry(part, label, url_name, *audiences, role="", quick_label=""):
    return Entry(part, label, url_name, frozenset(audiences), role, quick_label)


ENTRIES = (
    _entry("guide", _("通知"), "notices:list", TALENT, ADMIN),
    _entry("guide", _("人才库"), "talents:people_list", ADMIN, SHARED),
    _entry("roles", _("参谋员 · 建言献策"), "proposals:list", TALENT, ADMIN, role="advisor"),
    _entry(
        "roles",
        _("技术员 · 技术服务"),
        "assistance:list",
        TALENT,
        ADMIN,
        role="technician",
        quick_label=_("技术服务"),
    ),
    _entry("roles", _("教育员 · 线上教学"), "teaching:records", TALENT, ADMIN, role="educator"),
    _entry("roles", _("先锋员 · 党员承诺"), "pledges:templates", TALENT, ADMIN, role="vanguard"),
    _entry("roles", _("宣传员 · 宣传文章"), "articles:manage", TALENT, ADMIN, role="publicist"),
    _entry("roles", _("疏导员 · 心理疏导"), "counselling:home", COUNSELLING, role="counsellor"),
    _entry(
        "roles",
        _("自律员 · 健康打卡"),
        "health:home",
        TALENT,
        role="self_discipline",
        quick_label=_("今日打卡"),
    ),
    _entry("roles", _("爱心员 · 爱心物资"), "supplies:needs", TALENT, ADMIN, role="caring"),
    _entry("care", _("后顾之忧"), "care:needs", TALENT, ADMIN),
    _entry("care", _("贡献台账"), "ledger:home", TALENT, ADMIN, quick_label=_("我的贡献")),
    _entry("care", _("一线人员"), "ledger:frontline", ADMIN),
    _entry("care", _("优先推荐"), "ledger:recommendations", ADMIN),
    _entry("care", _("表彰"), "ledger:commendations", ADMIN),
    _entry("reports", _("工作报表"), "reports:home", ADMIN),
    _entry("reports", _("打卡统计"), "health:dashboard", ADMIN, SHARED),
    _entry("reports", _("各校打卡汇总"), "health:province", PROVINCE),
    _entry("reports", _("健康预警"), "health:alerts", ADMIN, SHARED),
    _entry("reports", _("网课覆盖"), "teaching:coverage", ADMIN),
    _entry("reports", _("求助统计"), "assistance:report", ADMIN),
    _entry("admin", _("组织机构"), "org:unit_tree", ADMIN),
    _entry("admin", _("专项行动"), "org:campaigns", ORG_ADMIN),
    _entry("admin", _("积分规则"), "ledger:rules", ORG_ADMIN),
    _entry("admin", _("接口令牌"), "accounts:api_tokens", ORG_ADMIN),
    _entry("admin", _("群机器人"), "org:robots", ADMIN),
    _entry("admin", _("个人信息申请"), "rights:requests", ADMIN),
    _entry("admin", _("告知书"), "consents:notices", ORG_ADMIN),
    _entry("admin", _("操作与访问记录"), "rights:audit_log", ADMIN),
)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Part:
    title: str
    links: list

    @property
    def current(self):
        return any(link.current for link in self.links)


@dataclass(frozen=True)
class Menu:
    parts: list  # [Part] in the order of PARTS, empty parts left out
    quick: list  # [Link] for a talent's phone

    def __bool__(self):
        return bool(self.parts)


def menu_for(access, path, roles_off=frozenset()):
    """The menu of an account with `access` on the page at `path`. `roles_off` are the eight
    roles' keys that no running campaign has switched on."""
    audiences = audiences_of(access)
    shown = [
        (entry, reverse(entry.url_name))
        for entry in ENTRIES
        if audiences & entry.audiences and entry.role not in roles_off
    ]
    # The page is marked in the menu by the longest entry its address starts with.
    current = max((url for _, url in shown if path.startswith(url)), key=len, default=None)
    grouped = {key: [] for key in PARTS}
    quick = []
    for entry, url in shown:
        grouped[entry.part].append(Link(entry.label, url, url == current))
        if entry.quick_label and TALENT in audiences:
            quick.append(Link(entry.quick_label, url, url == current))
    parts = [Part(PARTS[key], links) for key, links in grouped.items() if links]
    return Menu(parts=parts, quick=quick)
