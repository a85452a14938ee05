from django.utils.translation import gettext as _

from qunce.core.personal_data import section
from qunce.org.models import Campaign

from .models import Checkin, CheckinAccess, HealthAlert, Symptom


def sections(person):
    checkins = Checkin.objects.filter(person=person).select_related("campaign", "region")
    ended = checkins.exclude(campaign__status=Campaign.Status.ACTIVE).count()
    return [
        section(
            key="checkins",
            title=_("健康打卡"),
            records=checkins,
            fields=[
                "day",
                "campaign",
                "region",
                "on_campus",
                "temperature",
                (
                    _("症状"),
                    lambda checkin: "、".join(
                        str(Symptom(code).label) for code in checkin.symptoms
                    ),
                ),
                "visited_risk_area",
                "contact",
                "isolation",
                "health_code",
                "vaccination",
                "note",
                "updated_at",
            ],
            kept_because=_(
                "进行中专项行动的打卡是疫情防控的依法记录，保存至专项行动的保存期限届满后自动删除；已结束专项行动的打卡可申请删除。"
            ),
            deletable=ended,
        ),
        section(
            key="health_alerts",
            title=_("健康预警"),
            records=HealthAlert.objects.filter(person=person),
            labels={"reason_labels": _("预警原因")},
            fields=[
                "day",
                "reason_labels",
                "status",
                "opened_at",
                "closed_at",
                "follow_up",
            ],
            kept_because=_("与对应的健康打卡一同保存和删除。"),
        ),
        section(
            key="checkin_reads",
            title=_("查看我的健康记录"),
            records=CheckinAccess.objects.filter(person=person).select_related("viewer")[:500],
            fields=["at", "viewer", "what", "detail"],
            kept_because=_("访问日志，按网络安全等级保护要求保存，不可删除。"),
            reads=True,
        ),
    ]
