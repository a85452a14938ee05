from django.utils.translation import gettext as _

from qunce.core.personal_data import section

from .models import Proposal


def sections(person):
    return [
        section(
            key="proposals",
            title=_("建言献策"),
            records=Proposal.objects.filter(author=person),
            fields=["submitted_at", "topic", "problem", "suggestion", "status", "feedback"],
            kept_because=_("建言及其办理情况随专项行动档案保存。"),
        )
    ]
