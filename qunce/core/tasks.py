"""Background tasks of the ground floor: sending what the notification rows hold."""

import logging

from django_tasks import task

from .delivery import deliveries_due, delivery_attempt

logger = logging.getLogger("qunce.notify")

NOTIFICATIONS_QUEUE = "notifications"


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
