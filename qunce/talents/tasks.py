"""The registry's periodic jobs, run by the scheduler (settings.PERIODIC_TASKS)."""

from django_tasks import task

from .importing import stale_previews_discard
from .services import profile_reminders_send


@task()
def remind_stale_profiles() -> int:
    return profile_reminders_send()


@task()
def purge_import_uploads() -> int:
    return stale_previews_discard()
