"""Counselling in the demo university: a coordinator, cases at every step, contents made up."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from qunce.accounts.models import User

from . import services

CASES = [
    (
        "epidemic_anxiety",
        "phone",
        "工作日晚上",
        "居家隔离两周，总担心自己被感染，夜里睡不好。",
        "closed",
    ),
    ("study", "wechat", "周末下午", "网课跟不上，毕业论文进度落后，很焦虑。", "in_sessions"),
    (
        "family",
        "video",
        "晚上 8 点以后",
        "父母都在医院一线，我一个人在家，心里很慌。",
        "in_sessions",
    ),
    ("mood", "anonymous_message", "随时", "最近情绪低落，提不起精神。", "assigned"),
    ("relationships", "in_person", "返校后", "和室友因为防疫要求发生矛盾。", "requested"),
    ("mood", "anonymous_message", "现在", "压力太大了，有时候觉得活着没意思。", "requested"),
]


@transaction.atomic
def build_demo_counselling():
    """The demo coordinator assigns; the demo counsellor takes the cases."""
    coordinator = User.objects.get(username="coordinator")
    counsellor = User.objects.get(username="counsellor")
    today = timezone.localdate()
    for category, channel, window, description, stage in CASES:
        case, _token = services.counselling_request(
            requester=counsellor,
            anonymous=True,
            category=category,
            channel=channel,
            time_window=window,
            description=description,
            contact="" if channel == "anonymous_message" else "139****0000",
            consent_version=1,
        )
        if stage == "requested":
            continue
        services.case_assign(case=case, counsellor=counsellor, acting_user=coordinator)
        if stage == "assigned":
            continue
        for days_ago in (6, 2):
            services.case_session_log(
                case=case,
                acting_user=counsellor,
                held_on=today - timedelta(days=days_ago),
                minutes=50,
                content="倾听、情绪疏导与放松训练，约定下次时间。",
            )
        if stage == "closed":
            services.case_close(case=case, acting_user=counsellor)
    return {"counselling_cases": len(CASES)}
