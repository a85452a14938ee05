"""Accounts' periodic job, run by the scheduler (settings.PERIODIC_TASKS)."""

from django_tasks import task

from .services import ended_sessions_purge


@task()
def purge_ended_sessions() -> int:
    return ended_sessions_purge()
