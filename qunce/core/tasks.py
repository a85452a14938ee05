"""Background tasks of the ground floor: sending what the notification rows hold."""

from django_tasks import task

from .notify import deliveries_dispatch, delivery_attempt

NOTIFICATIONS_QUEUE = "notifications"


@task(queue_name=NOTIFICATIONS_QUEUE)
def deliver(delivery_id: int) -> str:
    """One attempt at one delivery; a retry is enqueued later by `dispatch_deliveries`."""
    return delivery_attempt(delivery_id)


@task(queue_name=NOTIFICATIONS_QUEUE)
def dispatch_deliveries() -> dict:
    settled, enqueued = deliveries_dispatch()
    return {"settled_after_dead_worker": settled, "enqueued": enqueued}
