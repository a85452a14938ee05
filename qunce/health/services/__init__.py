"""Writes of the daily check-in, a module a job; the app's pages, API, tasks and other apps
call them through this one name (`health.services`)."""

from .alerts import alert_advance
from .answers import ANSWER_FIELDS, EMPTY_ANSWERS, WHEREABOUTS_FIELDS, checkin_answers_clean
from .checkins import (
    Submission,
    checkin_answers,
    checkin_document,
    checkin_fields_withheld,
    checkin_submit,
    checkin_window,
    checkin_window_message,
)
from .policy import checkin_policy_save
from .reads_log import checkin_reads_log
from .reminders import checkin_reminders_send
from .retention import (
    checkin_partitions_prepare,
    checkin_statistics_refresh,
    checkins_erase_for_person,
    checkins_purge,
)

__all__ = [
    "ANSWER_FIELDS",
    "EMPTY_ANSWERS",
    "WHEREABOUTS_FIELDS",
    "Submission",
    "alert_advance",
    "checkin_answers",
    "checkin_answers_clean",
    "checkin_document",
    "checkin_fields_withheld",
    "checkin_partitions_prepare",
    "checkin_policy_save",
    "checkin_reads_log",
    "checkin_reminders_send",
    "checkin_statistics_refresh",
    "checkin_submit",
    "checkin_window",
    "checkin_window_message",
    "checkins_erase_for_person",
    "checkins_purge",
]
