"""A notice as the organization department writes it, for the tests to vary."""

import datetime

from django.utils import timezone

from qunce.notices import services

NUMBER = "科大组织部〔2020〕6号"


def notice_values(world, **changes):
    return {
        "document_number": NUMBER,
        "issuer": "中共辽宁科技大学委员会组织部",
        "title": "关于在打赢疫情防控阻击战中进一步发挥专业技术人才作用的通知",
        "addressee": "各分党委、党总支、直属党支部",
        "body": "为深入贯彻落实习近平总书记关于疫情防控工作的重要指示精神……\n一、加强组织领导\n二、发挥“八员”作用",
        "units": [world.unit_a, world.unit_b],
        "report_deadline": timezone.localdate() + datetime.timedelta(days=7),
        **changes,
    }


def published(world, **changes):
    return services.notice_draft(
        acting_user=world.users.org_admin, publish=True, **notice_values(world, **changes)
    )
