"""Care's periodic job, run by the scheduler (settings.PERIODIC_TASKS)."""

from django_tasks import task

from .services import stall_reminders_send


@task()
def remind_stalled_family_needs() -> int:
    return stall_reminders_send()
