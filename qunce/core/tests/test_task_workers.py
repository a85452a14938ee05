"""Deliveries sent by real worker processes: the database queue's `db_worker` (on whichever
database the suite runs) and RQ's `rqworker` over the local Redis. A worker killed in the middle
of a send loses nothing and sends nothing twice."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction
from django.utils import timezone

from qunce.conftest import RobotEndpoint
from qunce.core import notify
from qunce.core.delivery import SENDING_LEASE, deliveries_due
from qunce.core.models import Delivery, GroupRobot
from qunce.org.tests.factories import unit_root

ROOT = Path(__file__).resolve().parents[3]
TEST_REDIS = "redis://127.0.0.1:6379/7"


@pytest.fixture
def robot_endpoint(settings, robot_server):
    settings.ROBOT_WEBHOOK_HOSTS = ["127.0.0.1"]
    return robot_server


def texts_received():
    return sorted(message["text"]["content"] for _, message in RobotEndpoint.received)


def database_url():
    """The test database, as the worker process must be told it."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_environment(**extra):
    environment = {**os.environ, "DATABASE_URL": database_url(), "LOG_LEVEL": "WARNING"}
    environment.pop("QUNCE_ENV", None)
    return environment | extra


@contextmanager
def db_worker():
    """A real `db_worker` process on the test database, stopped (SIGTERM) on leaving."""
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
        ],
        cwd=ROOT,
        env=worker_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=20)


def robots(endpoint):
    unit = unit_root(name="测试大学", code="U")
    fast = GroupRobot.objects.create(
        unit=unit, kind="wecom", name="教职工群", webhook_url=f"{endpoint}/fast"
    )
    slow = GroupRobot.objects.create(
        unit=unit, kind="wecom", name="慢群", webhook_url=f"{endpoint}/slow"
    )
    return fast, slow


def queue_messages(robot, count, prefix):
    with transaction.atomic():  # sent once this commits, by whichever worker is running
        return [
            notify.notify_robot(dedupe_key=f"{prefix}-{n}", robot=robot, text=f"{prefix} {n}")
            for n in range(count)
        ]


def wait_until(condition, seconds=40):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def settled(deliveries):
    return not Delivery.objects.filter(
        pk__in=[d.pk for d in deliveries], outcome__in=["pending", "sending"]
    ).exists()


@pytest.fixture
def database_queue(settings, transactional_db):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }


def test_a_database_queue_worker_sends_each_message_once(database_queue, robot_endpoint):
    fast, _slow = robots(robot_endpoint)
    deliveries = queue_messages(fast, 8, "提醒")
    assert Delivery.objects.filter(outcome="pending").count() == 8  # nothing sent in-request
    with db_worker():
        assert wait_until(lambda: settled(deliveries)), "the worker did not send in time"
    assert texts_received() == sorted(f"提醒 {n}" for n in range(8))
    # Sent at the first attempt, and what was sent is no longer kept.
    for row in Delivery.objects.values_list("outcome", "attempts", "payload"):
        assert row == ("sent", 1, {})


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(
    database_queue, robot_endpoint
):
    fast, slow = robots(robot_endpoint)
    (in_flight,) = queue_messages(slow, 1, "慢")
    waiting = queue_messages(fast, 5, "快")
    with db_worker() as first:
        assert RobotEndpoint.slow_started.wait(30), "the worker never reached the slow robot"
        first.send_signal(signal.SIGKILL)  # mid-send: the robot has the message, no answer yet
        first.wait(timeout=10)
    with db_worker():
        assert wait_until(lambda: settled(waiting)), "the second worker did not take over"
    in_flight.refresh_from_db()
    assert in_flight.outcome == "sending"  # nobody may take it while its lease runs
    # Once the lease has run out the dispatch job settles it: failed with the reason, not resent.
    after_lease = timezone.now() + SENDING_LEASE + timedelta(seconds=1)
    assert deliveries_due(now=after_lease) == (1, [])
    in_flight.refresh_from_db()
    assert in_flight.outcome == "failed" and "可能已经送达" in in_flight.error
    assert in_flight.attempts == 1
    assert texts_received() == sorted(["慢 0"] + [f"快 {n}" for n in range(5)])
    assert Delivery.objects.filter(outcome__in=["pending", "sending"]).count() == 0


def test_a_revoked_robot_ends_its_delivery_with_the_reason(database_queue, robot_endpoint):
    fast, _slow = robots(robot_endpoint)
    deliveries = queue_messages(fast, 1, "停用")
    fast.active = False
    fast.save()
    with db_worker():
        assert wait_until(lambda: settled(deliveries))
    (delivery,) = Delivery.objects.all()
    assert (delivery.outcome, delivery.attempts, delivery.error) == (
        "failed",
        1,
        "群机器人已停用。",
    )
    assert RobotEndpoint.received == []


@pytest.fixture
def rq_queue(settings, transactional_db):
    try:
        redis.Redis.from_url(TEST_REDIS).flushdb()
    except redis.ConnectionError:
        pytest.fail("Redis must listen on 127.0.0.1:6379 for the RQ worker test")
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": settings.TASK_QUEUES}
    }
    settings.RQ_QUEUES = {name: {"URL": TEST_REDIS} for name in settings.TASK_QUEUES}
    yield
    redis.Redis.from_url(TEST_REDIS).flushdb()


def test_an_rq_worker_over_redis_sends_each_message_once(rq_queue, robot_endpoint):
    fast, _slow = robots(robot_endpoint)
    deliveries = queue_messages(fast, 4, "RQ")
    assert Delivery.objects.filter(outcome="pending").count() == 4
    subprocess.run(
        [
            *(sys.executable, "manage.py", "rqworker", "--burst", "notifications", "default"),
            *("--job-class", "django_tasks_rq.Job"),
        ],
        cwd=ROOT,
        env=worker_environment(TASK_BACKEND="rq", RQ_URL=TEST_REDIS),
        check=True,
        timeout=120,
        capture_output=True,
    )
    assert settled(deliveries)
    assert texts_received() == sorted(f"RQ {n}" for n in range(4))
    assert set(Delivery.objects.values_list("outcome", "attempts")) == {("sent", 1)}


def test_the_scheduler_process_enqueues_each_job_and_stops_on_sigterm(database_queue, settings):
    from django_tasks_db.models import DBTaskResult

    from qunce.core.models import ScheduledRun

    scheduler = subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler", "--interval", "0.2"],
        cwd=ROOT,
        env=worker_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        jobs = len(settings.PERIODIC_TASKS)
        assert wait_until(lambda: ScheduledRun.objects.count() >= jobs)
        assert DBTaskResult.objects.count() >= jobs  # queued for the workers, not run here
        scheduler.terminate()
        assert scheduler.wait(timeout=5) == 0
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
