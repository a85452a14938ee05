"""Articles of the demo university: protection know-how, requirements, and one exemplar's story."""

from django.db import transaction

from qunce.ledger.models import Commendation
from qunce.org import selectors as org_selectors
from qunce.org.models import Campaign, Person, Role, RoleGrant

from . import services
from .models import Article

ARTICLES = [
    (
        Article.Category.KNOWLEDGE,
        "居家办公期间如何做好个人防护",
        "一、每天开窗通风两到三次，每次不少于 30 分钟。\n"
        "二、外出取快递、倒垃圾时佩戴口罩，回家后用流动水和洗手液洗手。\n"
        "三、家中常备体温计，每日早晚各测一次体温并如实填报健康打卡。",
        "published",
    ),
    (
        Article.Category.KNOWLEDGE,
        "实验室复工前的消毒要点",
        "含氯消毒剂按 500 mg/L 配制，擦拭台面、门把手和仪器表面，作用 30 分钟后用清水擦净。"
        "精密仪器表面使用 75% 酒精擦拭，避免喷洒。\n消毒记录由实验室安全员签字存档。",
        "published",
    ),
    (
        Article.Category.REQUIREMENTS,
        "关于返校人员健康监测的提示",
        "返校前 14 天每日完成健康打卡；返校当日出示健康码和行程码；"
        "返校后 7 天内每日两次测温，出现发热、干咳等症状立即报告所在单位并就医。",
        "published",
    ),
    (
        Article.Category.REQUIREMENTS,
        "线上教学期间师生交流注意事项",
        "答疑群内不转发未经核实的疫情信息；研究生指导会议优先使用学校统一的会议平台。",
        "submitted",
    ),
    (
        Article.Category.KNOWLEDGE,
        "口罩的选择与佩戴",
        "医用外科口罩即可满足日常防护需要，佩戴时金属条朝上，压紧鼻梁。",
        "returned",
    ),
]
EXEMPLAR = (
    "远程指导企业复工复产的冶金专家",
    "疫情期间，他通过电话和视频连线，先后为省内 6 家钢铁企业解决高炉操作和能耗问题，"
    "累计服务 40 余小时，帮助企业平稳恢复生产。",
)


@transaction.atomic
def build_demo_articles():
    campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
    authors = list(
        Person.objects.filter(profile__isnull=False, user__isnull=False)
        .select_related("unit", "user")
        .order_by("staff_no")[: len(ARTICLES)]
    )
    count = 0
    for author, (category, title, body, stage) in zip(authors, ARTICLES, strict=False):
        article = services.article_save(
            acting_user=author.user,
            author=author,
            campaign=campaign,
            category=category,
            title=title,
            body=body,
        )
        services.article_submit(article=article, acting_user=author.user)
        count += 1
        if stage == "submitted":
            continue
        services.article_review(
            article=article,
            acting_user=_reviewer_of(author),
            publish=stage == "published",
            reason="请注明出处（如国家卫健委指南）后再提交。" if stage == "returned" else "",
        )
    commendation = (
        Commendation.objects.filter(status=Commendation.Status.APPROVED, person__isnull=False)
        .select_related("person__unit")
        .first()
    )
    if commendation is not None:
        writer = commendation.person.user
        story = services.article_save(
            acting_user=writer,
            author=commendation.person,
            campaign=campaign,
            category=Article.Category.EXEMPLARS,
            title=EXEMPLAR[0],
            body=EXEMPLAR[1],
            commendation=commendation,
        )
        services.article_submit(article=story, acting_user=writer)
        services.article_review(
            article=story, acting_user=_reviewer_of(commendation.person), publish=True
        )
        count += 1
    return {"articles": count}


def _reviewer_of(author):
    """An admin of the author's unit who is not the author, or else an org admin."""
    admins = [a for a in org_selectors.unit_admins_of(author.unit) if a.pk != author.user_id]
    if admins:
        return admins[0]
    org_admins = RoleGrant.objects.filter(role=Role.ORG_ADMIN).exclude(user_id=author.user_id)
    return org_admins.select_related("user").first().user
