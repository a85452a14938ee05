"""Help requests in the demo university, at every step of the workflow."""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from qunce.accounts.models import User
from qunce.codes.models import Industry, Region
from qunce.org.demo import DEMO_PASSWORD
from qunce.org.models import Person, Role, RoleGrant

from . import services
from .matching import experts_for
from .models import HelpRequest

# (requester type, organization, category, industry 大类, region, description)
ASKS = [
    (
        "enterprise",
        "鞍山某钢铁公司炼铁厂",
        "resumption",
        "31",
        "210302",
        "复产后高炉炉温波动大，煤气余热回收系统运行不稳定，需要工艺诊断。",
    ),
    (
        "enterprise",
        "本溪某特钢公司",
        "process",
        "31",
        "210502",
        "转炉炼钢终点碳含量控制不稳，返吹率高。",
    ),
    (
        "enterprise",
        "海城某镁业公司",
        "process",
        "30",
        "210381",
        "电熔镁炉能耗偏高，希望优化冶炼工艺和耐火材料选型。",
    ),
    (
        "enterprise",
        "营口某耐火材料厂",
        "equipment",
        "30",
        "210802",
        "隧道窑烧成温度不均，产品开裂率上升。",
    ),
    (
        "enterprise",
        "辽阳某化工公司",
        "epidemic_supplies",
        "26",
        "211002",
        "转产次氯酸钠消毒液，需要生产工艺和质量检测指导。",
    ),
    (
        "enterprise",
        "沈阳某机械厂",
        "equipment",
        "35",
        "210106",
        "新购口罩机调试困难，耳带焊接不牢。",
    ),
    (
        "enterprise",
        "大连某软件公司",
        "management",
        "65",
        "210204",
        "疫情期间远程办公，需要网络安全和数据备份方案。",
    ),
    (
        "farmer",
        "台安县某蔬菜种植户",
        "farming",
        "01",
        "210321",
        "大棚黄瓜叶片出现黄斑，怀疑霜霉病，如何防治？",
    ),
    (
        "cooperative",
        "岫岩满族自治县某养殖合作社",
        "farming",
        "03",
        "210323",
        "饲料运输受阻，生猪存栏压力大，需要养殖调整建议。",
    ),
    (
        "cooperative",
        "铁岭某水稻合作社",
        "farming",
        "01",
        "211221",
        "春耕育秧期间低温，秧苗生长缓慢。",
    ),
    (
        "enterprise",
        "抚顺某食品公司",
        "resumption",
        "14",
        "210402",
        "复工后员工返岗不足，生产线排产和防疫管理需要指导。",
    ),
    (
        "government",
        "鞍山市铁东区某街道办事处",
        "law",
        "72",
        "210302",
        "辖区小微企业咨询疫情期间劳动合同和社保减免政策。",
    ),
    (
        "enterprise",
        "锦州某光伏企业",
        "process",
        "38",
        "210703",
        "单晶硅片切割损耗高，金刚线断线频繁。",
    ),
    (
        "enterprise",
        "丹东某仪器仪表公司",
        "equipment",
        "40",
        "210602",
        "红外测温仪订单激增，校准设备不足。",
    ),
    (
        "enterprise",
        "盘锦某石化企业",
        "process",
        "25",
        "211102",
        "常减压装置换热网络结垢，能耗上升。",
    ),
    (
        "enterprise",
        "阜新某铸造厂",
        "process",
        "33",
        "210902",
        "球墨铸铁件气孔缺陷多，需要工艺改进。",
    ),
    ("farmer", "凌源市某果农", "farming", "01", "211382", "苹果树腐烂病发病严重，求防治方案。"),
    (
        "enterprise",
        "朝阳某建材公司",
        "management",
        "30",
        "211302",
        "资金周转困难，咨询疫情期间中小企业融资和减税政策。",
    ),
    (
        "enterprise",
        "葫芦岛某锌冶炼厂",
        "process",
        "32",
        "211402",
        "湿法炼锌浸出率下降，渣含锌偏高。",
    ),
    (
        "other",
        "鞍山某社区卫生服务中心",
        "epidemic_supplies",
        "84",
        "210303",
        "需要自制免洗手消毒凝胶的配方和质量控制方法。",
    ),
]
# How far each request gets, in order (the last ones stop early).
STAGES = (
    ["closed"] * 6
    + ["followed_up"] * 3
    + ["resolved"] * 3
    + ["in_service"] * 3
    + ["accepted"] * 2
    + ["invited"] * 3
    + ["triaged"] * 3
    + ["rejected"] * 2
    + ["submitted"] * 5
)


def ask_submit(rng, ask, **overrides):
    """One of ASKS through the public form's service, from a made-up contact; returns what the
    service does (the request, its tracking token)."""
    kind, organization, category, industry, region, description = ask
    return services.help_request_submit(
        **{
            "requester_type": kind,
            "organization": organization,
            "contact_name": rng.choice(["王经理", "李工", "张主任", "刘大姐", "赵师傅"]),
            "mobile": f"13{rng.randint(0, 999999999):09d}",
            "region": Region.objects.get(code=region),
            "industry": Industry.objects.get(code=industry),
            "category": category,
            "description": description,
            "urgency": rng.choice(["normal", "normal", "urgent", "critical"]),
            "preferred_channel": rng.choice(["phone", "wechat", "qq", "video"]),
            "consent": True,
            **overrides,
        }
    )


@transaction.atomic
def build_demo_help_requests(*, seed=2020):
    rng = random.Random(seed)
    office = RoleGrant.objects.filter(role=Role.ORG_ADMIN).select_related("user").first().user
    talent = Person.objects.get(user__username="talent")
    password = make_password(DEMO_PASSWORD)
    now = timezone.now()
    counts = {}
    for number, stage in enumerate(STAGES):
        ask = ASKS[number % len(ASKS)]
        help_request, _token = ask_submit(
            rng, ask, description=ask[-1] if number < len(ASKS) else f"{ask[-1]}（第二次咨询）"
        )
        counts[stage] = counts.get(stage, 0) + 1
        _walk(help_request, stage, office, talent if number in (16, 19) else None, password, rng)
        age = timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 23))
        if stage == "submitted":
            age = timedelta(hours=2 if number % 2 else 30)  # one of them is overdue for triage
        HelpRequest.objects.filter(pk=help_request.pk).update(submitted_at=now - age)
    return {"help_requests": len(STAGES), "help_request_reminders": services.reminders_send()}


ORDER = ["triaged", "invited", "accepted", "in_service", "resolved", "followed_up", "closed"]


def _walk(help_request, stage, office, invitee, password, rng):
    if stage == "submitted":
        return
    if stage == "rejected":
        services.help_request_triage(
            help_request=help_request,
            acting_user=office,
            reject_reason="与学校专业领域无关，建议咨询当地农业技术推广站",
        )
        return
    services.help_request_triage(help_request=help_request, acting_user=office)
    if stage == "triaged":
        return
    expert = invitee or _best_expert(help_request, password)
    services.help_request_invite(help_request=help_request, experts=[expert], acting_user=office)
    if stage == "invited":
        return
    services.invitation_accept(help_request=help_request, acting_user=expert.user)
    if stage == "accepted":
        return
    for _consultation in range(rng.randint(1, 3)):
        services.consultation_log(
            help_request=help_request,
            acting_user=expert.user,
            held_on=timezone.localdate(),
            channel=help_request.preferred_channel
            if help_request.preferred_channel != "on_site"
            else "phone",
            minutes=rng.choice([30, 45, 60, 90, 120]),
            advice=rng.choice(
                [
                    "远程查看现场视频，分析原因并给出调整参数。",
                    "提供操作规程和检测方法，约定一周后复查。",
                    "整理相关政策文件并逐条解读。",
                ]
            ),
        )
    if ORDER.index(stage) < ORDER.index("resolved"):
        return
    services.help_request_resolve(
        help_request=help_request,
        acting_user=expert.user,
        summary="按建议调整后问题基本解决，企业已恢复正常生产。",
    )
    if ORDER.index(stage) < ORDER.index("followed_up"):
        return
    services.help_request_follow_up(
        help_request=help_request,
        acting_user=office,
        satisfaction=rng.choice([4, 5, 5]),
        solved=True,
        note="电话回访，企业表示满意。",
    )
    if stage == "closed":
        services.help_request_close(help_request=help_request, acting_user=office)
        services.requester_rate(
            help_request=help_request, rating=rng.choice([4, 5]), comment="专家回复及时"
        )


def _best_expert(help_request, password):
    """The top match, given a demo login if they had none (must change it at first login)."""
    for match in experts_for(help_request, limit=5):
        person = Person.objects.select_related("user").get(pk=int(match.expert_id))
        if person.user is None and not User.objects.filter(username=person.staff_no).exists():
            person.user = User.objects.create(
                username=person.staff_no,
                first_name=person.name,
                password=password,
                must_change_password=True,
            )
            person.save(update_fields=["user"])
        if person.user is not None:
            return person
    return Person.objects.get(user__username="talent")
