"""The demo university: made-up people in a unit tree modelled on a university of science and
technology in Liaoning. Nothing here is a real person's data."""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from qunce.core.models import Delivery, GroupRobot

from . import services
from .models import (
    Campaign,
    Gender,
    Person,
    PoliticalStatus,
    Role,
    RoleGrant,
    ServiceRole,
    TitleLevel,
    Unit,
)

User = get_user_model()
DEMO_PASSWORD = "qunce2020"
DEMO_LOGINS = {
    "orgadmin": "组织部管理员（全校）",
    "unitadmin": "单位管理员（材料与冶金学院分党委）",
    "talent": "专业技术人才（材料与冶金学院教授）",
    "counsellor": "心理咨询师（心理健康教育与咨询中心）",
    "coordinator": "心理咨询协调员（心理健康教育与咨询中心，分派咨询个案）",
}
ROOT_CODE = "10146"  # the university's code in the MOE list of institutions
METALLURGY_CODE = "201"
COUNSELLING_CENTRE_CODE = "304"
PARTY_OFFICE_CODE = "100"

# (code, name, kind, relative size, faculty?, branches)
UNITS = [
    (
        "100",
        "机关党委",
        Unit.Kind.PARTY_COMMITTEE,
        10,
        False,
        [
            "党委组织部党支部",
            "学生工作部党支部",
            "教务处党支部",
            "科学技术研究院党支部",
            "财务处党支部",
        ],
    ),
    (
        "201",
        "材料与冶金学院分党委",
        Unit.Kind.PARTY_COMMITTEE,
        9,
        True,
        [
            "钢铁冶金系教工党支部",
            "有色金属冶金系教工党支部",
            "材料科学与工程系教工党支部",
            "冶金实验中心党支部",
        ],
    ),
    (
        "202",
        "化学工程学院分党委",
        Unit.Kind.PARTY_COMMITTEE,
        7,
        True,
        ["化学工程与工艺系教工党支部", "应用化学系教工党支部", "环境工程系教工党支部"],
    ),
    (
        "203",
        "机械工程与自动化学院分党委",
        Unit.Kind.PARTY_COMMITTEE,
        8,
        True,
        ["机械设计系教工党支部", "机械电子系教工党支部", "工业工程系教工党支部"],
    ),
    (
        "204",
        "电子与信息工程学院分党委",
        Unit.Kind.PARTY_COMMITTEE,
        7,
        True,
        ["自动化系教工党支部", "电子信息工程系教工党支部", "电气工程系教工党支部"],
    ),
    (
        "205",
        "计算机与软件工程学院分党委",
        Unit.Kind.PARTY_COMMITTEE,
        7,
        True,
        ["计算机科学系教工党支部", "软件工程系教工党支部", "网络工程系教工党支部"],
    ),
    (
        "206",
        "土木工程学院分党委",
        Unit.Kind.PARTY_COMMITTEE,
        6,
        True,
        ["土木工程系教工党支部", "工程力学系教工党支部", "安全工程系教工党支部"],
    ),
    (
        "207",
        "矿业工程学院分党委",
        Unit.Kind.PARTY_COMMITTEE,
        5,
        True,
        ["采矿工程系教工党支部", "矿物加工工程系教工党支部"],
    ),
    (
        "208",
        "经济与法律学院分党委",
        Unit.Kind.PARTY_COMMITTEE,
        5,
        True,
        ["经济学系教工党支部", "法学系教工党支部"],
    ),
    (
        "209",
        "工商管理学院分党委",
        Unit.Kind.PARTY_COMMITTEE,
        5,
        True,
        ["工商管理系教工党支部", "会计学系教工党支部", "信息管理系教工党支部"],
    ),
    (
        "210",
        "理学院分党委",
        Unit.Kind.PARTY_COMMITTEE,
        6,
        True,
        ["数学系教工党支部", "物理系教工党支部", "化学系教工党支部"],
    ),
    (
        "211",
        "外国语学院党总支",
        Unit.Kind.GENERAL_BRANCH,
        4,
        True,
        ["英语系教工党支部", "日语系教工党支部", "大学外语教学部党支部"],
    ),
    (
        "212",
        "建筑与艺术设计学院党总支",
        Unit.Kind.GENERAL_BRANCH,
        3,
        True,
        ["建筑学系教工党支部", "设计学系教工党支部"],
    ),
    (
        "213",
        "马克思主义学院党总支",
        Unit.Kind.GENERAL_BRANCH,
        3,
        True,
        ["思想政治理论教研党支部", "马克思主义理论研究党支部"],
    ),
    ("214", "国际教育学院党总支", Unit.Kind.GENERAL_BRANCH, 2, True, ["国际教育学院教工党支部"]),
    (
        "215",
        "应用技术学院党总支",
        Unit.Kind.GENERAL_BRANCH,
        3,
        True,
        ["应用技术学院第一党支部", "应用技术学院第二党支部"],
    ),
    (
        "216",
        "生命科学与农学院党总支",
        Unit.Kind.GENERAL_BRANCH,
        3,
        True,
        ["植物保护系教工党支部", "动物科学系教工党支部"],
    ),
    ("301", "体育部直属党支部", Unit.Kind.DIRECT_BRANCH, 2, True, []),
    ("302", "图书馆直属党支部", Unit.Kind.DIRECT_BRANCH, 2, False, []),
    ("303", "后勤管理处直属党支部", Unit.Kind.DIRECT_BRANCH, 3, False, []),
    ("304", "心理健康教育与咨询中心直属党支部", Unit.Kind.DIRECT_BRANCH, 1, False, []),
]

SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵赵吴周周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董"
    "袁潘于于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤关佟那常"
)
GIVEN_MALE = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵罡恒鸿桦骅剑娇纪宽苛灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦宇雨洋忠宗曼紫逸贤蝶菡绿蓝儿翠烟"

FACULTY_TITLES = {
    TitleLevel.SENIOR: ["教授", "教授", "研究员", "正高级工程师"],
    TitleLevel.ASSOCIATE: ["副教授", "副教授", "高级工程师", "副研究员", "高级实验师"],
    TitleLevel.INTERMEDIATE: ["讲师", "讲师", "工程师", "实验师"],
    TitleLevel.JUNIOR: ["助教", "助理工程师"],
}
STAFF_TITLES = {
    TitleLevel.SENIOR: ["研究员"],
    TitleLevel.ASSOCIATE: ["副研究员", "高级会计师", "副研究馆员", "高级工程师"],
    TitleLevel.INTERMEDIATE: ["助理研究员", "会计师", "馆员", "工程师"],
    TitleLevel.JUNIOR: ["研究实习员", "助理馆员", "助理会计师"],
}
TITLE_WEIGHTS = {
    True: [
        (TitleLevel.SENIOR, 20),
        (TitleLevel.ASSOCIATE, 35),
        (TitleLevel.INTERMEDIATE, 35),
        (TitleLevel.JUNIOR, 7),
        (TitleLevel.NONE, 3),
    ],
    False: [
        (TitleLevel.SENIOR, 5),
        (TitleLevel.ASSOCIATE, 25),
        (TitleLevel.INTERMEDIATE, 45),
        (TitleLevel.JUNIOR, 15),
        (TitleLevel.NONE, 10),
    ],
}
POLITICAL_WEIGHTS = [
    (PoliticalStatus.CPC_MEMBER, 56),
    (PoliticalStatus.CPC_PROBATIONARY, 3),
    (PoliticalStatus.CPC_ACTIVIST, 5),
    (PoliticalStatus.LEAGUE_MEMBER, 4),
    (PoliticalStatus.DEMOCRATIC_PARTY, 6),
    (PoliticalStatus.MASSES, 26),
]
FACULTY_POSTS = [
    "",
    "",
    "",
    "",
    "",
    "",
    "系主任",
    "副系主任",
    "教研室主任",
    "实验中心主任",
    "研究所所长",
]
STAFF_POSTS = ["", "", "", "科员", "科员", "副科长", "科长", "副处长"]


def weighted_choice(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def made_up_name(rng, gender):
    chars = GIVEN_MALE if gender == Gender.MALE else GIVEN_FEMALE
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def demo_exists():
    return Unit.objects.filter(code=ROOT_CODE).exists()


@transaction.atomic
def build_demo_university(*, people=2000, seed=2020):
    """Create the demo campaign, unit tree, people, role grants and demo logins. Returns counts."""
    rng = random.Random(seed)
    Campaign.objects.get_or_create(
        name="2020 新冠肺炎疫情防控",
        defaults={
            "starts_on": date(2020, 1, 25),
            "status": Campaign.Status.ACTIVE,
            "retention_days": 180,
        },
    )
    Campaign.objects.get_or_create(
        name="2019 汛期防汛抗旱",
        defaults={
            "starts_on": date(2019, 6, 1),
            "ends_on": date(2019, 9, 30),
            "status": Campaign.Status.ENDED,
            "retention_days": 90,
            # A flood needs engineers, volunteers at the levee, publicity and donations.
            "roles": [
                ServiceRole.TECHNICIAN,
                ServiceRole.VANGUARD,
                ServiceRole.PUBLICIST,
                ServiceRole.CARING,
            ],
        },
    )
    root = Unit.objects.add_root(
        {
            "name": "辽宁科技大学（演示）",
            "short_name": "演示科大",
            "code": ROOT_CODE,
            "kind": Unit.Kind.UNIVERSITY,
        }
    )

    # Where people go: each unit's leaf branches (or the unit itself when it has none).
    slots = []
    top_units = {}
    for code, name, kind, size, faculty, branches in UNITS:
        short_name = name.replace("分党委", "").replace("党总支", "")
        top = Unit.objects.add_child(
            root, {"name": name, "short_name": short_name, "code": code, "kind": kind}
        )
        top_units[code] = top
        if not branches:
            slots.append((top, size, faculty))
        for number, branch_name in enumerate(branches, start=1):
            branch = Unit.objects.add_child(
                top, {"name": branch_name, "code": f"{code}-{number:02d}", "kind": Unit.Kind.BRANCH}
            )
            slots.append((branch, size / len(branches), faculty))

    total_weight = sum(weight for _, weight, _ in slots)
    people_rows = []
    serial = 10  # the fixed demo logins have serials 1-4: generated numbers never meet them
    for unit, weight, faculty in slots:
        count = max(3, round(people * weight / total_weight))
        for _ in range(count):
            serial += 1
            gender = Gender.MALE if rng.random() < 0.58 else Gender.FEMALE
            level = weighted_choice(rng, TITLE_WEIGHTS[faculty])
            titles = (FACULTY_TITLES if faculty else STAFF_TITLES).get(level, [""])
            hired = rng.randint(1988, 2022)
            staff_no = f"{hired}{serial:04d}"
            people_rows.append(
                Person(
                    staff_no=staff_no,
                    name=made_up_name(rng, gender),
                    gender=gender,
                    unit=unit,
                    title_level=level,
                    title=rng.choice(titles),
                    post=rng.choice(FACULTY_POSTS if faculty else STAFF_POSTS),
                    political_status=weighted_choice(rng, POLITICAL_WEIGHTS),
                    mobile=f"1{rng.choice('35789')}{rng.randint(0, 999999999):09d}",
                    wechat_id=f"wx{staff_no}" if rng.random() < 0.8 else "",
                    qq=str(rng.randint(10000000, 2999999999)) if rng.random() < 0.6 else "",
                    email=f"{staff_no}@ustl-demo.example",
                )
            )
    Person.objects.bulk_create(people_rows, batch_size=500)

    password_hash = make_password(DEMO_PASSWORD)
    met_branch = Unit.objects.get(code=f"{METALLURGY_CODE}-01")
    demo_people = {
        "orgadmin": _demo_person(
            rng,
            "19990001",
            "周立群",
            Gender.FEMALE,
            Unit.objects.get(code=f"{PARTY_OFFICE_CODE}-01"),
            TitleLevel.ASSOCIATE,
            "副研究员",
            "组织部副部长",
        ),
        "unitadmin": _demo_person(
            rng,
            "20030002",
            "孙建华",
            Gender.MALE,
            top_units[METALLURGY_CODE],
            TitleLevel.SENIOR,
            "教授",
            "分党委书记",
        ),
        "talent": _demo_person(
            rng,
            "20080003",
            "李冶钢",
            Gender.MALE,
            met_branch,
            TitleLevel.SENIOR,
            "教授",
            "钢铁冶金研究所所长",
        ),
        "counsellor": _demo_person(
            rng,
            "20120004",
            "陈心怡",
            Gender.FEMALE,
            top_units[COUNSELLING_CENTRE_CODE],
            TitleLevel.INTERMEDIATE,
            "讲师",
            "心理咨询师",
        ),
    }
    # Its own random stream, so adding this login changed nobody else's made-up data.
    demo_people["coordinator"] = _demo_person(
        random.Random(20150005),
        "20150005",
        "林静宜",
        Gender.FEMALE,
        top_units[COUNSELLING_CENTRE_CODE],
        TitleLevel.INTERMEDIATE,
        "讲师",
        "心理咨询协调员",
    )
    for username, person in demo_people.items():
        user = User.objects.create(
            username=username, first_name=person.name, password=password_hash
        )
        person.user = user
        person.save(update_fields=["user"])
    RoleGrant.objects.create(user=demo_people["orgadmin"].user, role=Role.ORG_ADMIN)
    _let_browse_code_lists(demo_people["orgadmin"].user)
    RoleGrant.objects.create(
        user=demo_people["unitadmin"].user, role=Role.UNIT_ADMIN, unit=top_units[METALLURGY_CODE]
    )
    RoleGrant.objects.create(user=demo_people["counsellor"].user, role=Role.COUNSELLOR)
    RoleGrant.objects.create(
        user=demo_people["coordinator"].user, role=Role.COUNSELLING_COORDINATOR
    )

    # Every other top unit gets a secretary whose account was created by the department: same
    # demo password, but they must choose their own at first login.
    for code, top in top_units.items():
        if code == METALLURGY_CODE:
            continue
        secretary = (
            Person.objects.filter(unit__path__startswith=top.path, user__isnull=True)
            .order_by("staff_no")
            .first()
        )
        user = User.objects.create(
            username=secretary.staff_no,
            first_name=secretary.name,
            password=password_hash,
            must_change_password=True,
        )
        secretary.user = user
        secretary.post = "书记" if top.kind != Unit.Kind.PARTY_COMMITTEE else "分党委书记"
        secretary.save(update_fields=["user", "post"])
        RoleGrant.objects.create(user=user, role=Role.UNIT_ADMIN, unit=top)

    return {
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "accounts": User.objects.count(),
    }


def _demo_person(rng, staff_no, name, gender, unit, level, title, post):
    return Person.objects.create(
        staff_no=staff_no,
        name=name,
        gender=gender,
        unit=unit,
        title_level=level,
        title=title,
        post=post,
        political_status=PoliticalStatus.CPC_MEMBER,
        mobile=f"139{rng.randint(0, 99999999):08d}",
        wechat_id=f"wx{staff_no}",
        email=f"{staff_no}@ustl-demo.example",
    )


def _let_browse_code_lists(user):
    """The org admin reads the national code lists in the admin site (they are not editable)."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="codes", codename__startswith="view_")
    )


NEXT_CAMPAIGN = "2026—2027 冬春季呼吸道传染病防控"


def build_demo_campaign_plan():
    """The next campaign, planned by the department from the 2020 one's settings (run after the
    check-in settings exist, so they are copied too)."""
    services.campaign_create(
        acting_user=User.objects.get(username="orgadmin"),
        name=NEXT_CAMPAIGN,
        starts_on=date(2026, 12, 15),
        copy_from=Campaign.objects.get(name="2020 新冠肺炎疫情防控"),
    )
    return {"campaigns": Campaign.objects.count()}


def build_demo_group_robots():
    """Two group robots, switched off: the demo has no real group to post to, and its reminders
    must not wait on the network."""
    root = Unit.objects.get(code=ROOT_CODE)
    metallurgy = Unit.objects.get(code=METALLURGY_CODE)
    school_group, metallurgy_group = GroupRobot.objects.bulk_create(
        [
            GroupRobot(
                unit=root,
                kind=GroupRobot.Kind.WECOM,
                name="全校疫情防控工作群（演示，未连接）",
                webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo",
                active=False,
            ),
            GroupRobot(
                unit=metallurgy,
                kind=GroupRobot.Kind.DINGTALK,
                name="材料与冶金学院教职工群（演示，未连接）",
                webhook_url="https://oapi.dingtalk.com/robot/send?access_token=demo",
                secret="SECdemo",
                active=False,
            ),
        ]
    )
    # What the robots page shows of their past: the school group's key was wrong, so its
    # reminder was tried five times and given up; the metallurgy school's group took its own.
    yesterday_nine = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    yesterday_nine -= timedelta(days=1)
    past = Delivery.objects.bulk_create(
        [
            Delivery(
                channel=Delivery.Channel.WEBHOOK,
                dedupe_key=f"demo-reminder:{yesterday_nine:%Y%m%d}:r{school_group.pk}",
                robot=school_group,
                subject="【健康打卡提醒】全校尚未填报今日健康打卡",
                outcome=Delivery.Outcome.FAILED,
                attempts=5,
                error="errcode 93000: invalid webhook url, hint: [demo]",
                finished_at=yesterday_nine + timedelta(hours=2, minutes=37),
            ),
            Delivery(
                channel=Delivery.Channel.WEBHOOK,
                dedupe_key=f"demo-reminder:{yesterday_nine:%Y%m%d}:r{metallurgy_group.pk}",
                robot=metallurgy_group,
                subject="【健康打卡提醒】材料与冶金学院分党委尚未填报今日健康打卡",
                outcome=Delivery.Outcome.SENT,
                attempts=1,
                finished_at=yesterday_nine + timedelta(seconds=2),
            ),
        ]
    )
    # `at` is set on insert; the demo's past is yesterday morning.
    Delivery.objects.filter(pk__in=[d.pk for d in past]).update(at=yesterday_nine)
    return {"robots": 2}
