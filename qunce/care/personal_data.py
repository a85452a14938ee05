from django.utils.translation import gettext as _

from qunce.core.personal_data import section

from .models import FamilyNeed


def sections(person):
    return [
        section(
            key="family_needs",
            title=_("家庭困难与帮扶"),
            records=FamilyNeed.objects.filter(person=person),
            fields=["recorded_at", "category", "description", "status"],
            kept_because=_(
                "关心关爱一线人员家庭的工作记录，帮扶完成后随专项行动档案保存；有误可申请更正。"
            ),
        )
    ]
