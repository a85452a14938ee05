"""The check-in's periodic jobs, run by the scheduler (settings.PERIODIC_TASKS)."""

from django_tasks import task

from .selectors import dashboard_counts_keep
from .services import (
    checkin_partitions_prepare,
    checkin_reminders_send,
    checkin_statistics_refresh,
    checkins_purge,
)


@task()
def send_checkin_reminders() -> int:
    return checkin_reminders_send()


@task()
def purge_health_records() -> dict:
    return checkins_purge()


@task()
def prepare_checkin_partitions() -> list:
    return checkin_partitions_prepare()


@task()
def refresh_checkin_statistics() -> str | None:
    return checkin_statistics_refresh()


@task()
def keep_dashboard_counts() -> list:
    return dashboard_counts_keep()
