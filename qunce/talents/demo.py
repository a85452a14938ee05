"""Talent profiles for the demo university: made-up expertise that fits each school."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from qunce.org.demo import METALLURGY_CODE
from qunce.org.models import Person, TitleLevel, Unit

from .models import Availability, ContactChannel, ServiceRole, TalentProfile, volunteer_field
from .services import profile_reminders_send

# Top-level unit code → (disciplines, expertise keywords, research fields)
EXPERTISE = {
    METALLURGY_CODE: (
        ["0806", "0805", "0856"],
        [
            "高炉炼铁",
            "转炉炼钢",
            "连铸",
            "烧结球团",
            "冶金节能",
            "余热回收",
            "湿法冶金",
            "有色金属提取",
            "冶金固废利用",
            "钢铁材料",
            "耐火材料",
            "金属腐蚀与防护",
            "热处理",
            "轧制工艺",
            "湿法炼锌",
            "浸出工艺",
            "铸造工艺",
            "球墨铸铁",
            "隧道窑烧成",
        ],
        ["钢铁冶金", "有色金属冶金", "冶金物理化学", "材料加工工程"],
    ),
    "202": (
        ["0817", "0830", "0703"],
        [
            "化工工艺",
            "消毒剂生产",
            "精细化工",
            "污水处理",
            "废气治理",
            "催化剂",
            "过程安全",
            "医用酒精",
            "化学品储运",
            "环境监测",
            "消毒凝胶配方",
            "产品质量控制",
            "换热网络优化",
            "石油炼制",
        ],
        ["化学工程", "应用化学", "环境工程"],
    ),
    "203": (
        ["0802", "0855"],
        [
            "机械设计",
            "设备故障诊断",
            "液压系统",
            "数控加工",
            "口罩机调试",
            "工业机器人",
            "设备维修",
            "机电一体化",
            "硅片切割",
            "金刚线切割",
        ],
        ["机械设计及理论", "机械电子工程", "工业工程"],
    ),
    "204": (
        ["0811", "0810", "0808", "0854"],
        ["自动控制", "PLC", "电力电子", "变频调速", "物联网", "无线通信", "信号处理", "电机控制"],
        ["控制理论与控制工程", "通信与信息系统", "电力系统"],
    ),
    "205": (
        ["0812", "0835", "0839"],
        [
            "大数据分析",
            "网络安全",
            "在线教学平台",
            "数据库",
            "人工智能",
            "机器视觉",
            "软件开发",
            "云计算",
        ],
        ["计算机应用技术", "软件工程", "网络空间安全"],
    ),
    "206": (
        ["0814", "0801", "0837"],
        ["结构检测", "岩土工程", "安全评价", "应急管理", "方舱设计", "建筑结构", "消防安全"],
        ["结构工程", "工程力学", "安全工程"],
    ),
    "207": (
        ["0819", "0857"],
        ["采矿工艺", "选矿", "尾矿处理", "矿山安全", "铁矿石加工", "露天开采"],
        ["采矿工程", "矿物加工工程"],
    ),
    "208": (
        ["0202", "0301", "0351"],
        ["区域经济", "复工复产政策", "劳动合同", "企业法律风险", "财税政策", "产业经济"],
        ["应用经济学", "经济法", "民商法"],
    ),
    "209": (
        ["1202", "1201", "1251", "1253"],
        [
            "企业管理",
            "供应链管理",
            "财务管理",
            "市场营销",
            "中小企业融资",
            "会计实务",
            "生产计划排产",
            "企业防疫管理",
        ],
        ["企业管理", "管理科学", "会计学"],
    ),
    "210": (
        ["0701", "0702", "0703", "0252"],
        ["统计建模", "疫情数据分析", "光学检测", "分析化学", "数学建模", "红外测温", "计量校准"],
        ["应用数学", "凝聚态物理", "分析化学"],
    ),
    "211": (["0502"], ["英语教学", "日语翻译", "科技翻译", "跨文化交际"], ["外国语言学", "翻译"]),
    "212": (
        ["0813", "1403"],
        ["建筑设计", "宣传设计", "视觉传达", "室内环境"],
        ["建筑设计", "设计学"],
    ),
    "213": (
        ["0305"],
        ["思想政治教育", "理论宣讲", "党史教育"],
        ["马克思主义基本原理", "思想政治教育"],
    ),
    "214": (["0502", "0451"], ["留学生管理", "汉语国际教育"], ["国际教育"]),
    "215": (["0802", "0812"], ["职业技能培训", "实训教学", "电工技术"], ["职业教育"]),
    "216": (
        ["0904", "0901", "0902", "0905"],
        [
            "霜霉病防治",
            "果树腐烂病",
            "设施蔬菜病害",
            "病虫害绿色防控",
            "水稻育秧",
            "作物栽培",
            "生猪养殖",
            "饲料配方",
            "动物疫病防控",
            "土壤改良",
        ],
        ["植物病理学", "作物栽培学与耕作学", "动物营养与饲料科学"],
    ),
    "301": (["0403"], ["体育锻炼指导", "居家健身", "运动康复"], ["体育教育训练学"]),
}
# In a school of several sciences, what a person works on says which one is theirs: a metrologist
# of infrared thermometers is a physicist, not a mathematician.
KEYWORD_DISCIPLINES = {
    "统计建模": "0252",
    "疫情数据分析": "0252",
    "数学建模": "0701",
    "光学检测": "0702",
    "红外测温": "0702",
    "计量校准": "0702",
    "分析化学": "0703",
}
WORK_TEMPLATES = [
    "国家自然科学基金面上项目：{kw}机理研究",
    "辽宁省科技计划项目：{kw}关键技术开发",
    "{kw}技术及应用，获辽宁省科技进步二等奖",
    "发明专利：一种{kw}的方法",
    "论文：{kw}的实验研究",
    "横向课题：企业{kw}技术服务",
]
LIAONING_CITIES = ["210300", "210300", "210300", "210100", "210200", "210500", "210600", "210800"]
ROLE_ODDS = {
    ServiceRole.ADVISOR: 0.3,
    ServiceRole.TECHNICIAN: 0.45,
    ServiceRole.EDUCATOR: 0.5,
    ServiceRole.VANGUARD: 0.35,
    ServiceRole.PUBLICIST: 0.15,
    ServiceRole.COUNSELLOR: 0.05,
    ServiceRole.SELF_DISCIPLINE: 0.6,
    ServiceRole.CARING: 0.25,
}


@transaction.atomic
def build_demo_profiles(*, seed=2020):
    """A profile for most people in schools with expertise; ~70% confirmed, some long ago."""
    rng = random.Random(seed)
    now = timezone.now()
    top_units = {unit.path: unit.code for unit in Unit.objects.filter(depth=2)}
    people = Person.objects.select_related("unit").exclude(title_level=TitleLevel.NONE)
    profiles, links, regions = [], [], []
    through_disciplines = TalentProfile.disciplines.through
    through_regions = TalentProfile.service_regions.through
    for person in people:
        top_code = top_units.get(person.unit.path[: Unit.steplen * 2])
        if top_code not in EXPERTISE or rng.random() < 0.12:
            continue
        disciplines, keywords, fields = EXPERTISE[top_code]
        chosen_keywords = rng.sample(keywords, k=min(len(keywords), rng.randint(2, 4)))
        confirmed = rng.random() < 0.7
        profile = TalentProfile(
            person=person,
            research_fields="、".join(rng.sample(fields, k=min(len(fields), rng.randint(1, 2)))),
            keywords="、".join(chosen_keywords),
            summary=f"主要从事{chosen_keywords[0]}方面的教学与研究，可提供{chosen_keywords[-1]}咨询。",
            works="\n".join(rng.choice(WORK_TEMPLATES).format(kw=kw) for kw in chosen_keywords[:2]),
            preferred_channel=rng.choice(ContactChannel.values),
            availability=rng.choices(Availability.values, weights=[80, 15, 5])[0],
            confirmed_at=now - timedelta(days=rng.randint(5, 320)) if confirmed else None,
            **{volunteer_field(role): rng.random() < odds for role, odds in ROLE_ODDS.items()},
        )
        profile.refresh_search_text()
        profiles.append(profile)
        # Drawn even when the keywords decide, so every later draw of the demo stays the same.
        drawn = rng.sample(disciplines, k=min(len(disciplines), rng.randint(1, 2)))
        named = sorted({KEYWORD_DISCIPLINES.get(word) for word in chosen_keywords} - {None})
        links.append(named or drawn)
        regions.append(sorted(set(rng.sample(LIAONING_CITIES, k=rng.randint(1, 2)))))
    TalentProfile.objects.bulk_create(profiles, batch_size=500)
    through_disciplines.objects.bulk_create(
        [
            through_disciplines(talentprofile_id=profile.pk, discipline_id=code)
            for profile, codes in zip(profiles, links, strict=True)
            for code in codes
        ],
        batch_size=1000,
    )
    through_regions.objects.bulk_create(
        [
            through_regions(talentprofile_id=profile.pk, region_id=code)
            for profile, codes in zip(profiles, regions, strict=True)
            for code in codes
        ],
        batch_size=1000,
    )
    _demo_talent_profile(now)
    # Profiles were "created" long ago in the story the demo tells.
    TalentProfile.objects.filter(confirmed_at__isnull=True).update(
        unconfirmed_since=now - timedelta(days=400)
    )
    return {"profiles": len(profiles) + 1, "reminded": profile_reminders_send(now=now)}


def _demo_talent_profile(now):
    person = Person.objects.get(user__username="talent")
    profile, _ = TalentProfile.objects.update_or_create(
        person=person,
        defaults={
            "research_fields": "钢铁冶金、冶金过程节能",
            "keywords": "高炉炼铁、转炉炼钢、余热回收、冶金固废利用",
            "summary": "长期从事高炉低碳冶炼与钢铁企业节能研究，熟悉鞍钢、本钢等企业的生产工艺，"
            "可为钢铁企业复工复产提供工艺诊断与技术方案。",
            "works": "国家重点研发计划课题：高炉低碳冶炼关键技术\n"
            "发明专利：一种高炉煤气余热回收的方法\n"
            "高炉炼铁节能技术及应用，获辽宁省科技进步二等奖",
            "volunteers_advisor": True,
            "volunteers_technician": True,
            "volunteers_educator": True,
            "volunteers_vanguard": True,
            "volunteers_self_discipline": True,
            "preferred_channel": ContactChannel.WECHAT,
            "availability": Availability.AVAILABLE,
            # Confirmed 200 days ago: the demo's reminder job has something to say to them.
            "confirmed_at": now - timedelta(days=200),
        },
    )
    profile.refresh_search_text()
    profile.save(update_fields=["search_text"])
    profile.disciplines.set(["0806", "0805"])
    profile.service_regions.set(["210300", "210100", "210500"])
