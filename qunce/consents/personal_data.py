from django.utils.translation import gettext as _

from qunce.core.personal_data import section

from .models import ConsentDecision


def sections(person):
    if person.user_id is None:
        return []
    return [
        section(
            key="consents",
            title=_("个人信息授权记录"),
            records=ConsentDecision.objects.filter(user_id=person.user_id).select_related("notice"),
            fields=["at", "purpose", "notice", "to_status", "via"],
            kept_because=_("证明您何时同意或撤回，按《个人信息保护法》要求保存，不能删除。"),
        )
    ]
