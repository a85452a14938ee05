"""The one scheduler of the periodic jobs (settings.PERIODIC_TASKS): each tick enqueues every
job whose latest due time has not been enqueued yet.

Chosen over rq-scheduler and django-tasks-scheduler because it runs the same on both task
backends (the database queue of the embedded default and RQ in production) and keeps its
record where the data is: one ScheduledRun row per job and due time, unique, so two schedulers
(a second machine, an overlapping restart) enqueue a due time once. A scheduler that was down
enqueues only the latest due time of each job, not a burst of the missed ones."""

import datetime

from croniter import croniter
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun


def latest_due_time(cron, now):
    """The latest time at or before `now` that `cron` (read in Asia/Shanghai) names."""
    local = timezone.localtime(now).replace(microsecond=0)
    # croniter's get_prev is strictly before its start: a second later makes `now` itself count.
    return croniter(cron, local + datetime.timedelta(seconds=1)).get_prev(datetime.datetime)


def periodic_runs_enqueue(*, now=None):
    """Enqueue the jobs that have come due; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for job, (cron, task_path) in settings.PERIODIC_TASKS.items():
        due_at = latest_due_time(cron, now)
        try:
            # The run row and the enqueue stand or fall together: a queue that is away leaves
            # no row, so the next tick tries again.
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job, due_at=due_at)
                run.task_id = str(import_string(task_path).enqueue().id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # already enqueued, by this scheduler or another
        enqueued.append(job)
    return enqueued


def scheduled_runs_forget(*, before):
    """The run record is only needed while its due time can still come round again."""
    return ScheduledRun.objects.filter(due_at__lt=before).delete()[0]
