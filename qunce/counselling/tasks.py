"""Counselling's periodic job, run by the scheduler (settings.PERIODIC_TASKS)."""

from django_tasks import task

from .services import counselling_purge


@task()
def purge_counselling() -> int:
    return counselling_purge()
