from django.utils.translation import gettext as _

from qunce.core.personal_data import section

from .models import TalentProfile


def sections(person):
    profiles = list(TalentProfile.objects.filter(person=person))
    return [
        section(
            key="talent_profile",
            title=_("人才档案"),
            records=profiles,
            fields=[
                "research_fields",
                "keywords",
                "summary",
                "works",
                "preferred_channel",
                "availability",
                "confirmed_at",
                "updated_at",
            ],
            kept_because=_("您自愿填写，用于匹配技术服务需求；可申请删除，删除后不再被推荐。"),
            deletable=len(profiles),
        )
    ]
