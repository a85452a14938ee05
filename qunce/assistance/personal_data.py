from django.utils.translation import gettext as _

from qunce.core.personal_data import section

from .models import Consultation


def sections(person):
    return [
        section(
            key="consultations",
            title=_("技术服务记录（作为专家）"),
            records=Consultation.objects.filter(expert=person).select_related("request"),
            fields=["held_on", "request", "channel", "minutes"],
            kept_because=_("技术服务的办理记录，是贡献台账的依据，随专项行动档案保存。"),
        )
    ]
