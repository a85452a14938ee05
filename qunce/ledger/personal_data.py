from django.utils.translation import gettext as _

from qunce.core.personal_data import section

from .models import Claim, Commendation, FrontlineService, LedgerEntry

KEPT = _(
    "贡献台账是表彰奖励和人才项目推荐的依据，链式防篡改记录，按档案管理要求长期保存，不能删除；有误可申请更正（以更正记录追加）。"
)


def sections(person):
    return [
        section(
            key="ledger",
            title=_("贡献台账"),
            records=LedgerEntry.objects.filter(person=person).select_related("campaign"),
            fields=[
                "recorded_at",
                "campaign",
                "role",
                "date_from",
                "date_to",
                "summary",
                "hours",
                "points",
            ],
            kept_because=KEPT,
        ),
        section(
            key="claims",
            title=_("贡献申报"),
            records=Claim.objects.filter(person=person),
            fields=["submitted_at", "role", "summary", "hours", "status", "rejection_reason"],
            kept_because=KEPT,
        ),
        section(
            key="frontline",
            title=_("一线服务记录"),
            records=FrontlineService.objects.filter(person=person),
            fields=["starts_on", "ends_on", "description", "confirmed_at"],
            kept_because=KEPT,
        ),
        section(
            key="commendations",
            title=_("表彰"),
            records=Commendation.objects.filter(person=person),
            fields=["title", "awarding_body", "awarded_on", "status"],
            kept_because=KEPT,
        ),
    ]
