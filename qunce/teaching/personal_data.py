from django.utils.translation import gettext as _

from qunce.core.personal_data import section

from .models import TeachingRecord


def sections(person):
    return [
        section(
            key="teaching",
            title=_("线上教学与辅导记录"),
            records=TeachingRecord.objects.filter(person=person),
            fields=["held_on", "kind", "course", "sessions", "students_reached", "status"],
            kept_because=_("教学工作量记录，随专项行动档案保存；有误可申请更正。"),
        )
    ]
