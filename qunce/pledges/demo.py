"""The party members' pledge of the demo campaign, signed by most members, and vanguard acts."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from qunce.org import selectors as org_selectors
from qunce.org.models import Campaign, Person, Role, RoleGrant

from . import services
from .models import PARTY_MEMBERS, Signature

ITEMS = "\n".join(
    [
        "不组织、不参加聚集性活动",
        "减少外出，非必要不离开本市",
        "做好个人安全防护，每日如实填报健康打卡",
        "服从学校和社区防控安排，带头做好本职工作",
    ]
)
ACTS = [
    "带头在校门卡口值守，测温登记 200 余人次",
    "为隔离观察的同事代购生活物资",
    "组织支部党员线上学习防控知识",
    "主动报名社区防控志愿服务，入户排查 80 户",
]


@transaction.atomic
def build_demo_pledges(*, seed=2020):
    rng = random.Random(seed)
    campaign = Campaign.objects.get(name="2020 新冠肺炎疫情防控")
    org_admin = RoleGrant.objects.filter(role=Role.ORG_ADMIN).select_related("user").first().user
    template = services.pledge_template_publish(
        acting_user=org_admin, campaign=campaign, title="共产党员疫情防控承诺书", items=ITEMS
    )
    members = list(
        Person.objects.filter(political_status__in=PARTY_MEMBERS).select_related("unit", "user")
    )
    # Signing through the service needs each member's own login; the demo's members sign in bulk.
    Signature.objects.bulk_create(
        Signature(template=template, person=person, unit=person.unit)
        for person in members
        if rng.random() < 0.8
    )
    today = timezone.localdate()
    acts = 0
    with_accounts = [person for person in members if person.user_id]
    for description, person in zip(ACTS, rng.sample(with_accounts, len(ACTS)), strict=True):
        admin = org_selectors.unit_admins_of(person.unit)[0]
        act = services.vanguard_act_record(
            acting_user=person.user,
            person=person,
            campaign=campaign,
            done_on=today - datetime.timedelta(days=rng.randint(1, 10)),
            description=description,
            hours=rng.choice([2, 4, 6]),
        )
        if acts % 2 == 0 and admin.pk != person.user_id:
            services.vanguard_act_review(act=act, acting_user=admin, verify=True)
        acts += 1
    return {"pledge_signatures": Signature.objects.count(), "vanguard_acts": acts}
