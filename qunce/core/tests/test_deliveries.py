"""Notifications that leave the machine: sent by a task after the write commits, retried with
pauses, settled with their reason; run here in-process (the worker processes have their own
tests in test_task_workers.py)."""

import datetime
import time
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from qunce.conftest import RobotEndpoint
from qunce.core import delivery as sending
from qunce.core import notify
from qunce.core.delivery import REQUEUE_AFTER, delivery_attempt
from qunce.core.models import Delivery, GroupRobot, InboxMessage
from qunce.core.tasks import deliveries_enqueue, dispatch_deliveries
from qunce.org.tests.factories import PersonFactory, UserFactory, unit_root


@pytest.fixture
def endpoint(settings, robot_server):
    settings.ROBOT_WEBHOOK_HOSTS = ["127.0.0.1"]
    return f"{robot_server}/send"


def hits():
    return len(RobotEndpoint.received)


@pytest.fixture
def robot(db, endpoint):
    return GroupRobot.objects.create(
        unit=unit_root(name="测试大学", code="U"), kind="wecom", name="群", webhook_url=endpoint
    )


def post(robot, key="k"):
    return notify.notify_robot(dedupe_key=key, robot=robot, text="打卡提醒")


def dispatch():
    """The periodic job, run here: (rows settled after a dead worker, deliveries enqueued)."""
    result = dispatch_deliveries.call()
    return result["settled_after_dead_worker"], result["enqueued"]


def after_pause(delivery):
    delivery.refresh_from_db()
    return delivery.next_attempt_at + datetime.timedelta(seconds=1)


def test_nothing_leaves_before_the_write_commits_and_nothing_after_a_rollback(
    robot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        delivery = post(robot)
        assert hits() == 0  # not inside the request's transaction
    assert len(callbacks) == 1 and hits() == 1
    delivery.refresh_from_db()
    assert (delivery.outcome, delivery.attempts, delivery.payload) == ("sent", 1, {})
    assert delivery.finished_at is not None

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                post(robot, key="rolled-back")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and not Delivery.objects.filter(dedupe_key__startswith="rolled")


def test_the_same_key_is_one_delivery(robot):
    assert post(robot) is not None
    assert post(robot) is None
    assert Delivery.objects.count() == 1


def test_a_task_run_twice_sends_once(robot):
    delivery = post(robot)  # in the test's transaction: its task has not run
    assert delivery_attempt(delivery.pk) == "sent"
    assert delivery_attempt(delivery.pk) == ""
    assert hits() == 1


def test_a_webhook_answering_500_is_retried_with_pauses_then_marked_failed(robot, settings):
    settings.DELIVERY_RETRY_DELAYS = [60, 600]
    RobotEndpoint.status = 500
    delivery = post(robot)
    started = timezone.now()
    assert delivery_attempt(delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and "500" in delivery.error
    assert delivery.next_attempt_at - started >= datetime.timedelta(seconds=59)
    assert delivery.payload["text"] == "打卡提醒"  # kept until it is settled
    second = after_pause(delivery)
    assert delivery_attempt(delivery.pk, now=second) == "pending"
    assert after_pause(delivery) - second >= datetime.timedelta(seconds=599)
    assert delivery_attempt(delivery.pk, now=after_pause(delivery)) == "failed"
    delivery.refresh_from_db()
    assert (delivery.outcome, delivery.attempts, delivery.payload) == ("failed", 3, {})
    assert hits() == 3


def test_a_webhook_that_hangs_times_out_and_is_retried(robot, monkeypatch):
    monkeypatch.setattr(sending, "WEBHOOK_TIMEOUT_SECONDS", 0.3)
    RobotEndpoint.delay = 1.0
    delivery = post(robot)
    started = time.monotonic()
    assert delivery_attempt(delivery.pk) == "pending"
    assert time.monotonic() - started < 1.0  # the worker is not held by the far end
    delivery.refresh_from_db()
    assert "timed out" in delivery.error


@pytest.mark.parametrize("change", ["deleted", "switched_off"])
def test_a_robot_gone_ends_its_delivery_with_the_reason_not_retried(robot, change):
    delivery = post(robot)
    if change == "deleted":
        robot.delete()
    else:
        robot.active = False
        robot.save()
    assert delivery_attempt(delivery.pk) == "failed"
    delivery.refresh_from_db()
    reason = "群机器人已删除。" if change == "deleted" else "群机器人已停用。"
    assert (delivery.attempts, delivery.error) == (1, reason)
    assert hits() == 0


def test_an_account_deleted_before_its_mail_is_sent_ends_with_the_reason(db):
    user = UserFactory(email="someone@example.edu.cn")
    notify.notify_users(dedupe_key="n", recipients=[user], subject="通知", body="正文")
    mail_row = Delivery.objects.get(channel="email")
    assert mail_row.outcome == "pending" and InboxMessage.objects.filter(recipient=user).exists()
    user.delete()
    assert delivery_attempt(mail_row.pk) == "failed"
    mail_row.refresh_from_db()
    assert mail_row.error == "收件人账号已删除或没有电子邮箱。" and mail.outbox == []


def test_a_mail_keeps_its_message_id_on_every_attempt(db, django_capture_on_commit_callbacks):
    user = UserFactory(email="")
    PersonFactory(
        user=user, unit=unit_root(name="测试大学", code="U"), email="person@example.edu.cn"
    )
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify_users(dedupe_key="m", recipients=[user], subject="通知", link="/health/")
    (message,) = mail.outbox
    delivery = Delivery.objects.get(channel="email")
    assert message.to == ["person@example.edu.cn"]
    assert message.extra_headers["Message-ID"] == f"<delivery-{delivery.pk}@127.0.0.1>"
    assert message.body.endswith("/health/")
    delivery.refresh_from_db()
    assert (delivery.outcome, delivery.payload) == ("sent", {})


def test_the_dispatch_job_enqueues_due_retries_and_lost_tasks_and_settles_dead_workers(
    robot, settings
):
    settings.DELIVERY_RETRY_DELAYS = [0]
    RobotEndpoint.status = 500
    retried = post(robot, key="retried")
    delivery_attempt(retried.pk)  # failed once, due again at once
    RobotEndpoint.status = 200
    now = timezone.now()
    lost = post(robot, key="lost")  # its task was enqueued long ago and never ran
    Delivery.objects.filter(pk=lost.pk).update(
        enqueued_at=now - REQUEUE_AFTER - datetime.timedelta(seconds=1)
    )
    dead = post(robot, key="dead")  # its worker died mid-send, and the lease has run out
    Delivery.objects.filter(pk=dead.pk).update(
        outcome="sending", claimed_until=now - datetime.timedelta(seconds=1)
    )
    post(robot, key="fresh")  # enqueued a moment ago: left to its own task
    assert dispatch() == (1, 2)
    outcomes = dict(Delivery.objects.values_list("dedupe_key", "outcome"))
    assert outcomes == {
        f"retried:r{robot.pk}": "sent",
        f"lost:r{robot.pk}": "sent",
        f"dead:r{robot.pk}": "failed",
        f"fresh:r{robot.pk}": "pending",
    }
    assert "可能已经送达" in Delivery.objects.get(pk=dead.pk).error
    assert dispatch() == (0, 0)


def test_a_queue_that_is_away_leaves_the_row_for_the_dispatch_job(robot, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Redis is restarting")

    monkeypatch.setattr("qunce.core.tasks.deliver", SimpleNamespace(enqueue=refuse))
    deliveries_enqueue([post(robot).pk])  # logged, not raised: the write has committed
    assert Delivery.objects.get().outcome == "pending"


def test_a_text_message_to_a_requester_is_a_delivery_settled_without_the_number(
    db, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        notify.notify_sms(dedupe_key="s", mobile="13912345678", text="【群策】已接单")
    delivery = Delivery.objects.get(channel="sms")
    assert (delivery.outcome, delivery.payload) == ("sent", {})
    assert "****5678" in caplog.text and "13912345678" not in caplog.text
