from django.utils.translation import gettext as _

from qunce.core.personal_data import section

from .models import PersonRead
from .services import PERSON_EDITABLE_FIELDS


def sections(person):
    return [
        section(
            key="person",
            title=_("人员信息"),
            records=[person],
            fields=list(PERSON_EDITABLE_FIELDS),
            kept_because=_("学校人事与组织工作所需，在职期间由组织部保存；信息有误可申请更正。"),
        ),
        section(
            key="person_reads",
            title=_("查看我的人员信息（含联系方式）"),
            records=PersonRead.objects.filter(person=person).select_related("viewer")[:500],
            fields=["at", "viewer", "via"],
            kept_because=_("访问日志，按网络安全等级保护要求保存，不可删除。"),
            reads=True,
        ),
    ]
