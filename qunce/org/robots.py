"""Group robots (WeCom / DingTalk) managed from pages by the admins of their units: add one,
switch it off or on, and send a test message that says at once whether it arrives."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from qunce.core.models import Delivery, GroupRobot
from qunce.core.notify import notify_robot
from qunce.core.services import audit_record

from .access import access_for


def robots_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return GroupRobot.objects.all()
    return GroupRobot.objects.filter(access.unit_path_filter("unit__path"))


def robots_with_last_delivery(user):
    """The user's robots, each with `last_delivery` (or None): two queries in all."""
    latest = Delivery.objects.filter(robot=OuterRef("pk")).order_by("-pk").values("pk")[:1]
    robots = list(
        robots_visible_to(user)
        .select_related("unit")
        .annotate(last_delivery_id=Subquery(latest))
        .order_by("unit__path", "name")
    )
    deliveries = Delivery.objects.in_bulk(
        [r.last_delivery_id for r in robots if r.last_delivery_id]
    )
    for robot in robots:
        robot.last_delivery = deliveries.get(robot.last_delivery_id)
    return robots


def _require_admin_of(user, unit):
    if not access_for(user).administers_unit(unit):
        raise PermissionDenied(_("您无权管理该单位的群机器人。"))


def _check_webhook(url):
    parts = urlsplit(url)
    # Plain http only to a loopback host that the settings list (a test's or a demo's robot).
    secure = parts.scheme == "https" or parts.hostname == "127.0.0.1"
    if not secure or parts.hostname not in settings.ROBOT_WEBHOOK_HOSTS:
        raise ValidationError(
            {
                "webhook_url": _("Webhook 地址应为企业微信或钉钉机器人的 https 地址（%(hosts)s）。")
                % {"hosts": "、".join(settings.ROBOT_WEBHOOK_HOSTS)}
            }
        )


@transaction.atomic
def robot_create(*, acting_user, unit, kind, name, webhook_url, secret=""):
    _require_admin_of(acting_user, unit)
    robot = GroupRobot(
        unit=unit, kind=kind, name=name.strip(), webhook_url=webhook_url.strip(), secret=secret
    )
    robot.full_clean()
    _check_webhook(robot.webhook_url)
    if kind == GroupRobot.Kind.DINGTALK and secret and not secret.startswith("SEC"):
        raise ValidationError({"secret": _("钉钉加签密钥以 SEC 开头，请从机器人设置中复制。")})
    robot.save()
    audit_record(actor=acting_user, action="robot_create", target=robot)
    return robot


@transaction.atomic
def robot_set_active(*, acting_user, robot, active):
    _require_admin_of(acting_user, robot.unit)
    robot = GroupRobot.objects.select_for_update().get(pk=robot.pk)
    if robot.active != active:
        robot.active = active
        robot.save(update_fields=["active"])
        audit_record(
            actor=acting_user, action="robot_set_active", target=robot, changes={"active": active}
        )
    return robot


def robot_test(*, acting_user, robot):
    """Post a test message now; returns its delivery row (sent or failed, with the error)."""
    _require_admin_of(acting_user, robot.unit)
    now = timezone.localtime()
    return notify_robot(
        dedupe_key=f"robot-test:{now:%Y%m%d%H%M%S%f}",
        robot=robot,
        text=_("【群策】%(unit)s 的群机器人测试消息（%(at)s）。收到即表示打卡提醒能送达本群。")
        % {"unit": robot.unit.name, "at": f"{now:%Y-%m-%d %H:%M}"},
    )
