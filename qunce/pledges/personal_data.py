from django.utils.translation import gettext as _

from qunce.core.personal_data import section

from .models import Signature, VanguardAct


def sections(person):
    kept = _("党员承诺和先锋事迹是党组织的工作记录，随专项行动档案保存。")
    return [
        section(
            key="pledge_signatures",
            title=_("承诺签署"),
            records=Signature.objects.filter(person=person).select_related("template"),
            fields=["template", "signed_at"],
            kept_because=kept,
        ),
        section(
            key="vanguard_acts",
            title=_("先锋事迹"),
            records=VanguardAct.objects.filter(person=person),
            fields=["done_on", "description", "hours", "status"],
            kept_because=kept,
        ),
    ]
