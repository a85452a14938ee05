"""Proposals at every stage and key problems with their volunteers, in the demo university."""

from django.db import transaction

from qunce.org.models import Campaign, Person, Role, RoleGrant

from . import services

PROPOSALS = [
    (
        "建议在返校前建立分学院错峰报到机制",
        "返校集中在两三天内，校门口和宿舍区人员聚集。",
        "按学院分批次、分时段报到，提前在线填报行程，现场只核验健康码。",
        ("adopted", "已纳入学校返校工作方案第三条。", ""),
    ),
    (
        "关于实验室废弃口罩集中处理的建议",
        "部分实验楼废弃口罩与普通垃圾混放。",
        "每栋楼设置专用回收桶，由后勤统一按医疗废物处置。",
        ("referred", "已转后勤管理处研究落实。", "后勤管理处"),
    ),
    (
        "建议开放图书馆电子资源校外访问",
        "居家期间教师查阅文献不便。",
        "开通 VPN 并延长校外访问时限。",
        ("noted", "图书馆已于 2 月初开通，谢谢建议。", ""),
    ),
    (
        "关于为一线医护子女提供线上辅导的建议",
        "一线医护人员子女居家学习缺少辅导。",
        "组织师范类专业教师和研究生志愿者提供一对一线上辅导。",
        None,
    ),
]
PROBLEMS = [
    ("复工企业集中空调通风系统的消毒与运行方案", "需要暖通、环境工程专业，形成可推广的操作指引。"),
    ("校园疫情传播风险的数据建模", "需要统计、信息类专业，基于打卡与门禁数据评估风险。"),
    ("防护用品国产替代材料评价", "需要材料、化工专业，评价熔喷布替代材料的过滤效率。"),
]


@transaction.atomic
def build_demo_proposals():
    campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
    org_admin = RoleGrant.objects.filter(role=Role.ORG_ADMIN).select_related("user").first().user
    authors = list(
        Person.objects.filter(profile__isnull=False, user__isnull=False)
        .select_related("user")
        .order_by("-staff_no")[: len(PROPOSALS)]
    )
    for author, (topic, problem, suggestion, decision) in zip(authors, PROPOSALS, strict=True):
        proposal = services.proposal_submit(
            acting_user=author.user,
            campaign=campaign,
            topic=topic,
            problem=problem,
            suggestion=suggestion,
        )
        if decision:
            status, feedback, referred_to = decision
            services.proposal_decide(
                proposal=proposal,
                acting_user=org_admin,
                decision=status,
                feedback=feedback,
                referred_to=referred_to,
            )
    volunteers = list(
        Person.objects.filter(profile__isnull=False, user__isnull=False)
        .select_related("user")
        .order_by("staff_no")[10:16]
    )
    for index, (title, description) in enumerate(PROBLEMS):
        problem = services.key_problem_publish(
            acting_user=org_admin, campaign=campaign, title=title, description=description
        )
        for person in volunteers[index * 2 : index * 2 + 2]:
            services.key_problem_volunteer(problem=problem, acting_user=person.user)
            services.key_problem_progress(
                problem=problem, acting_user=person.user, text="已组建小组，完成文献调研。"
            )
    return {"proposals": len(PROPOSALS), "key_problems": len(PROBLEMS)}
