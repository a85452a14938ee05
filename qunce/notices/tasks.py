"""Notices' periodic job, run by the scheduler (settings.PERIODIC_TASKS)."""

from django_tasks import task

from .services import reports_remind


@task()
def remind_notice_reports() -> int:
    return reports_remind()
