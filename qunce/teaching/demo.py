"""Online teaching in the demo university's metallurgy school: courses, Q&A and supervision,
some of which have gone quiet for more than two weeks."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from qunce.org import demo as org_demo
from qunce.org import selectors as org_selectors
from qunce.org.models import Campaign, Person, Unit

from . import services

COURSES = ["冶金原理", "钢铁冶金学", "冶金传输原理", "有色金属冶金", "材料科学基础"]
STUDENTS = ["王晨阳", "刘思远", "张雨桐", "陈浩然", "李佳怡", "赵子墨"]
TOPICS = ["学位论文实验方案", "开题报告修改", "文献综述", "实验数据分析"]


@transaction.atomic
def build_demo_teaching(*, seed=2020):
    rng = random.Random(seed)
    campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
    school = Unit.objects.get(code=org_demo.METALLURGY_CODE)
    teachers = list(
        Person.objects.filter(
            unit__path__startswith=school.path, title_level__in=["senior", "associate"]
        )
        .select_related("unit")
        .order_by("staff_no")[:5]
    )
    admin = org_selectors.unit_admins_of(school)[0]
    today = timezone.localdate()
    count = 0
    for index, teacher in enumerate(teachers):
        gap = 20 if index == 0 else rng.randint(1, 6)  # one course has gone quiet
        record = services.teaching_record(
            acting_user=teacher.user,
            person=teacher,
            campaign=campaign,
            kind="course",
            held_on=today - datetime.timedelta(days=gap),
            course=COURSES[index],
            platform=rng.choice(["rain_classroom", "chaoxing", "tencent_meeting"]),
            sessions=rng.randint(2, 8),
            students_reached=rng.randint(30, 120),
        )
        if index % 2 == 0 and admin.pk != teacher.user_id:
            services.teaching_verify(record=record, acting_user=admin)
        services.teaching_record(
            acting_user=admin,
            person=teacher,
            campaign=campaign,
            kind="qa",
            held_on=today - datetime.timedelta(days=rng.randint(1, 5)),
            course=COURSES[index],
            platform="wechat",
            sessions=1,
            students_reached=rng.randint(10, 40),
        )
        for student in STUDENTS[index : index + 2]:
            services.teaching_record(
                acting_user=admin,
                person=teacher,
                campaign=campaign,
                kind="supervision",
                held_on=today - datetime.timedelta(days=rng.choice([2, 4, 9, 17])),
                student=student,
                topic=rng.choice(TOPICS),
                mode=rng.choice(["video", "wechat", "phone"]),
            )
        count += 4
    return {"teaching_records": count}
