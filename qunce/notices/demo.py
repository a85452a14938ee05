"""The notice that started it all, sent to every unit of the demo university, at every stage."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from qunce.org import selectors as org_selectors
from qunce.org.models import Campaign, Role, RoleGrant

from . import services
from .models import UnitReport
from .selectors import addressable_units

BODY = """新冠肺炎疫情发生以来，学校广大教职员工，特别是与疫情防控相关的专业技术人才，充分发挥了自身的知识优势、科技优势、资源优势，在落实学校疫情防控工作、保障教学秩序平稳运行、推动社会复工复产等方面发挥了重要作用。为在打赢疫情防控阻击战中进一步发挥人才作用，现就有关事项通知如下。
一、组织引导专业技术人才积极投身疫情防控阻击战。各级基层党组织要教育引导广大专业技术人才始终把人民群众生命安全和身体健康放在首位，自觉将投身疫情防控工作作为践行初心使命、体现责任担当的试金石。
二、充分发挥专业技术人才在疫情防控中的“八员”作用。引导专业技术人才当好参谋员、技术员、教育员、先锋员、宣传员、疏导员、自律员和爱心员，在各自岗位上为疫情防控贡献力量。
三、关心关爱疫情防控一线专业技术人才。各单位要及时了解一线人才的家庭困难，帮助解决后顾之忧；对表现突出的人才和团队，在推荐人才计划、评优评先、提能培训和发展党员时予以优先考虑。
请各单位于报告截止日期前，将本单位落实情况报组织部。"""

REPORT = "已召开专题会议传达通知精神，组建技术服务小组 {groups} 个，{people} 名专业技术人才参与线上答疑和企业技术指导。"


@transaction.atomic
def build_demo_notices(*, seed=2020):
    rng = random.Random(seed)
    org_admin = RoleGrant.objects.filter(role=Role.ORG_ADMIN).select_related("user").first().user
    campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
    today = timezone.localdate()
    units = list(addressable_units())
    notice = services.notice_draft(
        acting_user=org_admin,
        document_number="科大组织部〔2020〕6号",
        issuer="中共辽宁科技大学委员会组织部",
        title="关于在打赢疫情防控阻击战中进一步发挥专业技术人才作用的通知",
        addressee="各分党委、党总支、直属党支部",
        body=BODY,
        units=units,
        report_deadline=today + datetime.timedelta(days=2),
        campaign=campaign,
        publish=True,
        today=today,
    )
    reported = 0
    for report in UnitReport.objects.filter(notice=notice).select_related("unit"):
        admins = org_selectors.unit_admins_of(report.unit)
        stage = rng.random()
        if not admins or stage < 0.25:
            continue  # not yet signed: the laggards of the overview
        if stage < 0.5:
            services.report_receive(report=report, acting_user=admins[0])
            continue
        services.report_file(
            report=report,
            acting_user=admins[0],
            text=REPORT.format(groups=rng.randint(1, 4), people=rng.randint(5, 30)),
        )
        reported += 1
    services.notice_draft(
        acting_user=org_admin,
        document_number="科大组织部〔2020〕8号",
        issuer="中共辽宁科技大学委员会组织部",
        title="关于做好专业技术人才每日健康监测工作的通知",
        addressee="各分党委、党总支、直属党支部",
        body="请各单位督促本单位专业技术人才每日 11 时前完成健康打卡，对未报人员及时提醒，对异常情况及时跟进并报告。",
        units=units,
        report_deadline=today + datetime.timedelta(days=10),
        campaign=campaign,
        today=today,
    )
    return {"notices": 2, "notice_reports": reported, "notice_units": len(units)}
