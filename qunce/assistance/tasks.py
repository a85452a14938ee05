"""Help requests' periodic jobs, run by the scheduler (settings.PERIODIC_TASKS)."""

from django_tasks import task

from .matching import build_index
from .services import match_index_store, reminders_send


@task()
def remind_help_requests() -> int:
    return reminders_send()


@task()
def build_match_index() -> int:
    """Rebuild the persisted match index, so a restarted web process loads it instead of
    building its own; returns the profiles indexed."""
    index, as_of = build_index()
    return match_index_store(index=index, profiles_as_of=as_of).profiles
