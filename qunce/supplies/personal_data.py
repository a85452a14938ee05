from django.utils.translation import gettext as _

from qunce.core.personal_data import section

from .models import Pledge


def sections(person):
    return [
        section(
            key="donations",
            title=_("捐赠认捐"),
            records=Pledge.objects.filter(donor_person=person).select_related("need"),
            fields=["pledged_at", "need", "quantity", "named_publicly"],
            kept_because=_("物资收发台账的一部分，按财务与捐赠管理要求保存。"),
        )
    ]
