"""Background tasks of the ground floor: sending what the notification rows hold."""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .delivery import deliveries_due, delivery_attempt

logger = logging.getLogger("qunce.notify")

NOTIFICATIONS_QUEUE = "notifications"
# The database queue keeps a row per task run; a week shows what ran (what was sent is the
# Delivery rows' record). RQ expires its own results.
TASK_RESULTS_KEPT = timedelta(days=7)


@task(queue_name=NOTIFICATIONS_QUEUE)
def deliver(delivery_id: int) -> str:
    """One attempt at one delivery; a retry is enqueued later by `dispatch_deliveries`."""
    return delivery_attempt(delivery_id)


@task(queue_name=NOTIFICATIONS_QUEUE)
def dispatch_deliveries() -> dict:
    settled, due = deliveries_due()
    deliveries_enqueue(due)
    return {"settled_after_dead_worker": settled, "enqueued": len(due)}


def deliveries_enqueue(ids):
    for delivery_id in ids:
        try:
            deliver.enqueue(delivery_id)
        except Exception:
            # The queue is away (Redis restarting): the row stays pending and the dispatch job
            # enqueues it again. The write that caused it has committed and must not fail now.
            logger.exception("could not enqueue delivery %s", delivery_id)


@task()
def prune_task_results() -> int:
    if not isinstance(deliver.get_backend(), DatabaseBackend):
        return 0
    finished = DBTaskResult.objects.finished()
    return finished.filter(finished_at__lt=timezone.now() - TASK_RESULTS_KEPT).delete()[0]
