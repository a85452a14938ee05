"""Group robots from a page: a unit admin adds their group's robot, tests it against a real
webhook on a loopback port, switches it off; nobody manages another unit's robot."""

import pytest

from qunce.conftest import RobotEndpoint, client_for
from qunce.core.models import Delivery, GroupRobot

pytestmark = pytest.mark.django_db


@pytest.fixture
def loopback_robots(settings):
    settings.ROBOT_WEBHOOK_HOSTS = ["127.0.0.1", "oapi.dingtalk.com"]


def _add(world, persona, **body):
    return client_for(world, persona).post(
        "/org/robots/",
        {
            "unit": world.unit_a.pk,
            "kind": "dingtalk",
            "name": "甲学院教职工群",
            "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
            "secret": "SECabc123",
        }
        | body,
    )


def test_a_unit_admin_adds_tests_and_switches_off_their_robot(
    world, robot_server, loopback_robots, django_capture_on_commit_callbacks
):
    response = _add(world, "unit_admin_a", webhook_url=f"{robot_server}/robot/send?access_token=t")
    assert response.status_code == 302
    robot = GroupRobot.objects.get()
    assert robot.unit == world.unit_a and robot.active
    client = client_for(world, "unit_admin_a")
    with django_capture_on_commit_callbacks(execute=True):  # the worker's turn, after commit
        client.post(f"/org/robots/{robot.pk}/", {"action": "test"})
    page = client.get("/org/robots/").content.decode()
    assert "测试消息已交给后台发送" in page
    assert "已送达" in page  # the row's latest delivery, once the worker has sent it
    ((path, message),) = RobotEndpoint.received
    assert path.startswith("/robot/send?access_token=t&timestamp=") and "&sign=" in path
    assert "群机器人测试消息" in message["text"]["content"]
    assert Delivery.objects.get(robot=robot).outcome == "sent"

    client.post(f"/org/robots/{robot.pk}/", {"action": "off"})
    robot.refresh_from_db()
    assert not robot.active
    page = client.get("/org/robots/").content.decode()
    assert "已停用" in page and "发送测试消息" not in page  # a switched-off robot takes none


def test_a_robot_that_cannot_be_reached_says_why(
    world, loopback_robots, django_capture_on_commit_callbacks
):
    _add(world, "unit_admin_a", webhook_url="http://127.0.0.1:9/robot/send", secret="")
    robot = GroupRobot.objects.get()
    client = client_for(world, "unit_admin_a")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/org/robots/{robot.pk}/", {"action": "test"})
    delivery = Delivery.objects.get(robot=robot)
    # Refused: to be tried again later; the robot's row says so, and why.
    assert delivery.outcome == "pending" and delivery.attempts == 1
    row = client.get("/org/robots/").content.decode()
    assert "第 1 次未送达" in row and "重试" in row and "Connection" in row


@pytest.mark.parametrize(
    "body, message",
    [
        ({"webhook_url": "https://intranet.example.edu.cn/hook"}, "Webhook 地址应为企业微信或钉钉"),
        ({"webhook_url": "http://oapi.dingtalk.com/robot/send"}, "Webhook 地址应为企业微信或钉钉"),
        ({"webhook_url": "not a url"}, "输入一个有效的 URL"),
        ({"secret": "abc"}, "以 SEC 开头"),
        ({"name": ""}, "这个字段是必填项"),
        ({"kind": "feishu"}, "选择一个有效的选项"),
        ({"unit": "99999999"}, "所选单位不存在或不在您的管理范围内"),
    ],
)
def test_bad_robot_input_is_a_message_and_nothing_is_saved(world, body, message):
    response = _add(world, "unit_admin_a", **body)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GroupRobot.objects.exists()


def test_nobody_manages_another_units_robot(world):
    response = _add(world, "unit_admin_a", unit=world.unit_b.pk)
    assert "所选单位不存在或不在您的管理范围内" in response.content.decode()
    robot = GroupRobot.objects.create(
        unit=world.unit_b,
        kind="wecom",
        name="乙学院群",
        webhook_url="https://qyapi.weixin.qq.com/x",
    )
    client = client_for(world, "unit_admin_a")
    assert "乙学院群" not in client.get("/org/robots/").content.decode()
    assert client.post(f"/org/robots/{robot.pk}/", {"action": "off"}).status_code == 404
    for persona in ["talent", "counsellor"]:
        assert client_for(world, persona).get("/org/robots/").status_code == 403
    assert "乙学院群" in client_for(world, "org_admin").get("/org/robots/").content.decode()
