"""A believable ledger for the demo university: claims across the eight roles, most verified,
some waiting or sent back, frontline service, a team entry and one finalized list."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from qunce.org.demo import COUNSELLING_CENTRE_CODE, METALLURGY_CODE
from qunce.org.models import Campaign, Person, Role, RoleGrant, ServiceRole, Unit

from . import services
from .models import Claim, LedgerEntry, RecommendationKind, RecommendationSnapshot
from .selectors import effective_entries

# role → (summaries, hours range, people served range, items range)
STORIES = {
    ServiceRole.ADVISOR: (
        [
            "提交《关于校园封闭管理期间物资配送的建议》",
            "参与制定复学疫情防控预案",
            "为市疫情防控指挥部提供消毒方案论证意见",
        ],
        (2, 12),
        (0, 0),
        (0, 0),
    ),
    ServiceRole.TECHNICIAN: (
        [
            "通过微信视频为鞍山某钢厂诊断高炉复产工艺问题",
            "电话指导海城某镁砂企业恢复生产线",
            "为台安县蔬菜合作社远程指导大棚病虫害防治",
            "协助本溪某药企调试口罩生产设备",
        ],
        (1, 16),
        (1, 6),
        (0, 0),
    ),
    ServiceRole.EDUCATOR: (
        [
            "开设《冶金原理》在线直播课",
            "组织研究生线上组会并审阅论文",
            "在线答疑辅导本科生毕业设计",
        ],
        (2, 20),
        (10, 120),
        (0, 0),
    ),
    ServiceRole.VANGUARD: (
        ["带头落实不聚集、少外出要求，承担楼栋值守", "作为党员志愿者参加社区卡口执勤"],
        (4, 24),
        (0, 0),
        (0, 0),
    ),
    ServiceRole.PUBLICIST: (
        ["撰写防护知识推文《居家办公如何做好个人防护》", "制作先进事迹宣传短视频"],
        (1, 6),
        (0, 0),
        (0, 0),
    ),
    ServiceRole.COUNSELLOR: (
        ["为居家学生提供线上心理疏导", "开展教职工心理健康讲座"],
        (1, 8),
        (1, 30),
        (0, 0),
    ),
    ServiceRole.SELF_DISCIPLINE: (
        ["连续 30 天按时完成健康打卡，主动报告行程"],
        (0, 0),
        (0, 0),
        (0, 0),
    ),
    ServiceRole.CARING: (
        ["联系校友企业捐赠医用口罩", "组织捐赠消毒液和测温枪"],
        (1, 6),
        (0, 0),
        (200, 5000),
    ),
}
REJECTIONS = [
    "证明材料不足，请补充聊天记录截图或对方单位证明",
    "服务日期不在专项行动期间",
    "与已核实的记录重复",
]


@transaction.atomic
def build_demo_ledger(*, seed=2020):
    rng = random.Random(seed)
    campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
    end = campaign.ends_on or date(2020, 6, 30)
    people = list(
        Person.objects.select_related("unit").filter(profile__isnull=False).order_by("staff_no")
    )
    reviewers = _reviewers()

    org_admin_user = (
        RoleGrant.objects.filter(role=Role.ORG_ADMIN).select_related("user").first().user
    )
    frontline_people = rng.sample(people, k=min(40, len(people)))
    frontline_people += list(Person.objects.filter(unit__code=COUNSELLING_CENTRE_CODE))
    for person in frontline_people:
        reviewer = reviewers[_top(person.unit).pk]
        if reviewer == person.user:  # nobody records their own frontline service
            reviewer = org_admin_user
        start = campaign.starts_on + timedelta(days=rng.randint(0, 20))
        services.frontline_record(
            person=person,
            campaign=campaign,
            starts_on=start,
            ends_on=start + timedelta(days=rng.randint(14, 60)),
            description=rng.choice(
                ["发热门诊支援", "社区疫情防控值守", "校园封闭管理值守", "隔离点保障"]
            ),
            acting_user=reviewer,
        )

    counts = {"verified": 0, "submitted": 0, "rejected": 0}
    org_admin_user = (
        RoleGrant.objects.filter(role=Role.ORG_ADMIN).select_related("user").first().user
    )
    talent = Person.objects.get(user__username="talent")
    for person in [talent, *rng.sample(people, k=min(450, len(people)))]:
        reviewer = reviewers[_top(person.unit).pk]
        if reviewer == person.user:  # nobody reviews their own record
            reviewer = org_admin_user
        for _ in range(rng.randint(1, 4)):
            role = rng.choice(list(STORIES))
            summaries, hours, served, items = STORIES[role]
            start = campaign.starts_on + timedelta(
                days=rng.randint(0, (end - campaign.starts_on).days - 10)
            )
            claim = Claim.objects.create(
                person=person,
                role=role,
                campaign=campaign,
                date_from=start,
                date_to=start + timedelta(days=rng.randint(0, 6)),
                summary=rng.choice(summaries),
                hours=Decimal(rng.randint(*hours)),
                people_served=rng.randint(*served),
                items_donated=rng.randint(*items),
                submitted_by=person.user,
            )
            fate = rng.random()
            if fate < 0.8:
                services.claim_verify(claim=claim, acting_user=reviewer)
                counts["verified"] += 1
            elif fate < 0.9:
                services.claim_reject(
                    claim=claim, acting_user=reviewer, reason=rng.choice(REJECTIONS)
                )
                counts["rejected"] += 1
            else:
                counts["submitted"] += 1

    org_admin_user = (
        RoleGrant.objects.filter(role=Role.ORG_ADMIN).select_related("user").first().user
    )
    services.ledger_record(
        team_name="材料与冶金学院抗疫志愿服务队",
        role=ServiceRole.VANGUARD,
        campaign=campaign,
        date_from=date(2020, 2, 1),
        date_to=date(2020, 3, 15),
        summary="组织 32 名党员教师参加鞍山市铁东区社区卡口值守，累计服务 1,200 小时",
        hours=Decimal("1200"),
        source=Unit.objects.get(code=METALLURGY_CODE),
        acting_user=org_admin_user,
    )
    services.recommendation_finalize(
        kind=RecommendationKind.AWARDS,
        campaign=campaign,
        unit=Unit.objects.get(depth=1),
        acting_user=org_admin_user,
    )
    return counts


def _top(unit):
    return Unit.objects.get(path=unit.path[: Unit.steplen * 2]) if unit.depth > 1 else unit


def _reviewers():
    """Each top-level unit's admin account, by unit id."""
    return {
        grant.unit_id: grant.user
        for grant in RoleGrant.objects.filter(role=Role.UNIT_ADMIN, unit__depth=2).select_related(
            "user"
        )
    }


@transaction.atomic
def build_demo_commendations(*, seed=2020):
    """Approved commendations for the first of the finalized awards list and the volunteer team,
    and one proposal waiting for the organization department."""
    rng = random.Random(seed)
    campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
    org_admin_user = (
        RoleGrant.objects.filter(role=Role.ORG_ADMIN).select_related("user").first().user
    )
    reviewers = _reviewers()
    snapshot = RecommendationSnapshot.objects.filter(kind=RecommendationKind.AWARDS).first()
    honourees = [
        Person.objects.select_related("unit").get(pk=row["person_id"]) for row in snapshot.rows[:3]
    ]
    for person in honourees:
        entries = list(effective_entries().filter(person=person, campaign=campaign))
        roles = "、".join(sorted({entry.get_role_display() for entry in entries}))
        proposal = services.commendation_propose(
            acting_user=org_admin_user
            if reviewers[_top(person.unit).pk] == person.user
            else reviewers[_top(person.unit).pk],
            person=person,
            campaign=campaign,
            title="疫情防控先进个人",
            awarding_body="中共辽宁科技大学委员会",
            awarded_on=date(2020, 7, 1),
            citation=(
                f"{person.name}同志在疫情防控期间担任{roles}，"
                f"{rng.choice(CITATIONS)}，累计完成 {len(entries)} 项经核实的服务。"
            ),
            entries=entries,
        )
        services.commendation_decide(
            commendation=proposal, acting_user=org_admin_user, approve=True
        )
    team_entry = LedgerEntry.objects.filter(person__isnull=True).first()
    team = services.commendation_propose(
        acting_user=org_admin_user,
        team_name=team_entry.team_name,
        campaign=campaign,
        title="疫情防控先进集体",
        awarding_body="中共辽宁科技大学委员会",
        awarded_on=date(2020, 7, 1),
        citation="服务队党员教师主动请缨，连续 44 天在社区卡口值守，守护了上万居民的平安。",
        entries=[team_entry],
    )
    services.commendation_decide(commendation=team, acting_user=org_admin_user, approve=True)
    talent = Person.objects.select_related("unit").get(user__username="talent")
    services.commendation_propose(
        acting_user=reviewers[_top(talent.unit).pk],
        person=talent,
        campaign=campaign,
        title="复工复产技术服务先进个人",
        awarding_body="中共辽宁科技大学委员会",
        awarded_on=date(2020, 7, 1),
        citation="通过微信、电话为鞍山、本溪多家钢铁企业远程诊断复产工艺难题，帮助企业尽快恢复生产。",
        entries=list(effective_entries().filter(person=talent, campaign=campaign)),
    )
    return {"commendations": 5}


CITATIONS = [
    "不畏艰险、挺身而出，主动承担急难险重任务",
    "发挥专业优势，帮助多家企业解决复工复产中的技术难题",
    "坚持线上教学与科研两不误，守护学生学业与心理健康",
]
