"""Text messages to people without an account (requesters, donors), through a pluggable sender.

SMS_BACKEND names a class with send(mobile, text); the default writes the message to the log,
so nothing leaves the machine until an operator configures a real gateway."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("qunce.sms")


class LogSmsBackend:
    def send(self, mobile, text):
        # Only the last four digits: the log is not the place for a full phone number.
        logger.info("SMS to ****%s: %s", mobile[-4:], text)


def sms_send(mobile, text):
    import_string(settings.SMS_BACKEND)().send(mobile, text)
