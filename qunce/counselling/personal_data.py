from django.utils.translation import gettext as _

from qunce.core.personal_data import section

from .models import CaseAccess, CounsellingCase


def sections(person):
    """Only the cases the person asked for by name: an anonymous request is not theirs to
    be found under their account."""
    if person.user_id is None:
        return []
    cases = CounsellingCase.objects.filter(requester_id=person.user_id).select_related("counsellor")
    closed = cases.filter(
        status__in=[CounsellingCase.Status.CLOSED, CounsellingCase.Status.REFERRED]
    ).count()
    return [
        section(
            key="counselling_cases",
            title=_("心理咨询申请（实名）"),
            records=cases,
            fields=["requested_at", "category", "channel", "time_window", "status", "counsellor"],
            kept_because=_(
                "进行中的个案由咨询师保存；已结束的个案可申请删除（由心理咨询协调员办理，所在单位和组织部看不到），否则在保存期限届满后自动删除（只留不含个人信息的月度统计）。内容不在导出中显示，请向咨询师了解。"
            ),
            deletable=closed,
        ),
        section(
            key="counselling_reads",
            title=_("查看我的心理咨询个案"),
            records=CaseAccess.objects.filter(case__in=cases).select_related("user")[:500],
            fields=["at", "user", "action"],
            labels={"user": _("查看人")},
            kept_because=_("访问日志，按网络安全等级保护要求保存，不可删除。"),
            reads=True,
        ),
    ]
