"""The first version of each notice, so that a new installation can ask before it collects."""

from django.db import migrations

NOTICES = [
    (
        "health",
        "健康打卡个人信息处理告知书",
        """收集什么：每日健康打卡中本次专项行动开启的问题——体温、症状、健康码颜色、接触史、隔离观察和疫苗接种情况，以及您的本人承诺。
为什么收集：落实学校疫情防控要求，及早发现发热、接触等情况，安排关心和处置。
谁能看到：您本人；您所在单位的管理员和组织部管理员，仅为防控工作查看。每次查看都会留下记录，您可以在“我的数据”中看到谁在何时查看过。
保存多久：按本次专项行动设定的保存期限保存，期满自动删除，不另作他用。
如何撤回：可随时在“我的授权”中撤回。撤回后不再在线收集您的健康打卡，请按单位要求以其他方式报告；撤回不影响撤回前已进行的处理。
依据：《中华人民共和国个人信息保护法》第十三条、第十四条、第二十八条、第二十九条。""",
    ),
    (
        "whereabouts",
        "行程与所在地信息处理告知书",
        """收集什么：健康打卡中的当前所在地（到区县）、是否在校、14 天内是否到过中高风险地区。
为什么收集：判断是否需要关心和协助，所在城市变化时提醒单位跟进。
谁能看到：您本人、您所在单位的管理员和组织部管理员；每次查看都会留下记录。
保存多久：与健康打卡相同，按专项行动的保存期限保存，期满自动删除。
如果不同意或撤回：健康打卡中不再询问这些问题，其余打卡照常；撤回不影响撤回前已进行的处理。
依据：《中华人民共和国个人信息保护法》第十四条、第二十八条、第二十九条。""",
    ),
    (
        "counselling",
        "心理咨询个人信息处理告知书",
        """收集什么：您填写的求助内容、方便联系的时间和联系方式（选择“匿名留言”时不需要联系方式），以及之后的留言和咨询记录。
为什么收集：安排心理咨询师与您联系并提供帮助。
谁能看到：心理咨询协调员和负责您个案的咨询师；单位管理员和组织部看不到内容。内容加密保存，每次查看都会留下记录。
特别说明：如内容表明您或他人的生命安全面临紧急危险，咨询师可能联系您或相关人员，以保护生命安全。
保存多久：个案结束后按专项行动的保存期限保存，期满自动删除。
如何撤回：登录用户可在“我的授权”中撤回；撤回后不再接收您的新留言，再次申请咨询时会重新请您同意。撤回不影响撤回前已进行的处理。
依据：《中华人民共和国个人信息保护法》第十四条、第二十八条、第二十九条。""",
    ),
]


def publish(apps, schema_editor):
    ConsentNotice = apps.get_model("consents", "ConsentNotice")
    for purpose, title, body in NOTICES:
        ConsentNotice.objects.get_or_create(
            purpose=purpose, version=1, defaults={"title": title, "body": body}
        )


def unpublish(apps, schema_editor):
    apps.get_model("consents", "ConsentNotice").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("consents", "0001_consent_notices")]
    operations = [migrations.RunPython(publish, unpublish)]
