"""The one scheduler of the periodic jobs: each due time (cron, Beijing time) enqueued once."""

import datetime
from io import StringIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from qunce.core import scheduler
from qunce.core.models import ScheduledRun

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour, minute, second=0):
    return datetime.datetime(2026, 12, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def two_jobs(settings):
    settings.PERIODIC_TASKS = {
        "dispatch": ("* * * * *", "qunce.core.tasks.dispatch_deliveries"),
        "nightly-purge": ("30 2 * * *", "qunce.health.tasks.purge_health_records"),
    }


@pytest.mark.parametrize(
    "cron, now, due",
    [
        ("30 2 * * *", at(4, 3, 0), at(4, 2, 30)),
        ("30 2 * * *", at(4, 2, 30), at(4, 2, 30)),  # the due second itself counts
        ("30 2 * * *", at(4, 2, 29, 59), at(3, 2, 30)),
        ("*/5 * * * *", at(4, 9, 7, 30), at(4, 9, 5)),
        ("30 9 * * 1", at(4, 12, 0), at(30, 9, 30) - datetime.timedelta(days=30)),
    ],
)
def test_the_latest_due_time_is_read_in_beijing_time(cron, now, due):
    # Given in UTC, as the server's clock is: 02:30 in Beijing is 18:30 the day before in UTC.
    assert scheduler.latest_due_time(cron, now.astimezone(datetime.UTC)) == due


def test_the_weekly_due_time_is_last_monday():
    # 2026-12-04 is a Friday; the Monday before is 11-30.
    due = scheduler.latest_due_time("30 9 * * 1", at(4, 12, 0))
    assert (due.date(), due.hour, due.minute) == (datetime.date(2026, 11, 30), 9, 30)


def test_each_due_time_is_enqueued_once_however_often_the_scheduler_ticks(db, two_jobs):
    assert sorted(scheduler.periodic_runs_enqueue(now=at(4, 3, 0, 10))) == [
        "dispatch",
        "nightly-purge",
    ]
    assert scheduler.periodic_runs_enqueue(now=at(4, 3, 0, 40)) == []  # a second scheduler too
    assert scheduler.periodic_runs_enqueue(now=at(4, 3, 1, 5)) == ["dispatch"]
    runs = ScheduledRun.objects.order_by("job", "due_at")
    assert [(run.job, timezone_local(run.due_at)) for run in runs] == [
        ("dispatch", at(4, 3, 0)),
        ("dispatch", at(4, 3, 1)),
        ("nightly-purge", at(4, 2, 30)),
    ]
    assert all(run.task_id for run in runs)


def timezone_local(value):
    return value.astimezone(SHANGHAI)


def test_a_scheduler_that_was_down_runs_the_latest_due_time_only(db, two_jobs):
    scheduler.periodic_runs_enqueue(now=at(1, 3, 0))
    # Down for three days: one purge, not three.
    assert "nightly-purge" in scheduler.periodic_runs_enqueue(now=at(4, 9, 0))
    assert ScheduledRun.objects.filter(job="nightly-purge").count() == 2


def test_a_queue_that_is_away_leaves_no_run_so_the_next_tick_enqueues_it(db, two_jobs, monkeypatch):
    def refuse():
        raise ConnectionError("Redis is restarting")

    real = scheduler.import_string
    monkeypatch.setattr(scheduler, "import_string", lambda path: SimpleNamespace(enqueue=refuse))
    with pytest.raises(ConnectionError):
        scheduler.periodic_runs_enqueue(now=at(4, 3, 0))
    assert not ScheduledRun.objects.exists()
    monkeypatch.setattr(scheduler, "import_string", real)
    assert len(scheduler.periodic_runs_enqueue(now=at(4, 3, 0))) == 2


def test_every_scheduled_task_exists_and_runs(db, settings):
    """The real table: each path names a task, and each runs on an empty database."""
    for job, (cron, path) in settings.PERIODIC_TASKS.items():
        scheduler.latest_due_time(cron, at(4, 3, 0))  # a valid expression
        task = scheduler.import_string(path)
        result = task.enqueue()
        assert result.status == "SUCCESSFUL", (job, result.errors)


def test_the_command_enqueues_what_is_due_and_says_so(db, two_jobs):
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "已排队：dispatch" in out.getvalue() and "已排队：nightly-purge" in out.getvalue()
    call_command("run_scheduler", "--once", stdout=out)
    assert ScheduledRun.objects.count() == 2


def test_the_database_queue_forgets_task_runs_after_a_week(db, settings):
    from django_tasks_db.models import DBTaskResult

    from qunce.core.tasks import TASK_RESULTS_KEPT, dispatch_deliveries, prune_task_results

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    old, recent, waiting = (dispatch_deliveries.enqueue() for _ in range(3))
    now = datetime.datetime.now(datetime.UTC)
    DBTaskResult.objects.filter(id=old.id).update(
        status="SUCCESSFUL", finished_at=now - TASK_RESULTS_KEPT - datetime.timedelta(hours=1)
    )
    DBTaskResult.objects.filter(id=recent.id).update(status="SUCCESSFUL", finished_at=now)
    assert prune_task_results.call() == 1
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {
        recent.db_result.id,
        waiting.db_result.id,
    }
