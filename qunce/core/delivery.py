"""Sending what a Delivery row holds, one attempt at a time (the body of the `deliver` task),
and the periodic sweep that enqueues retries and settles rows a dead worker left.

A send that fails is tried again after a growing pause (DELIVERY_RETRY_DELAYS) and then marked
failed; a target that no longer exists (a deleted account or robot, a robot switched off) ends
the delivery at once with the reason."""

import base64
import datetime
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Delivery, GroupRobot

logger = logging.getLogger("qunce.notify")

WEBHOOK_TIMEOUT_SECONDS = 5
# Longer than any one send can take (the webhook timeout, a slow SMTP dialogue): a row still
# "sending" after this was left by a worker that died.
SENDING_LEASE = datetime.timedelta(minutes=2)
# A row whose task has not run this long after it was enqueued is enqueued again (the queue
# lost it, or the web process died between the commit and the enqueue).
REQUEUE_AFTER = datetime.timedelta(minutes=10)
Outcome = Delivery.Outcome


class LogSmsBackend:
    def send(self, mobile, text):
        # Only the last four digits: the log is not the place for a full phone number.
        logger.info("SMS to ****%s: %s", mobile[-4:], text)


class TargetGone(Exception):
    """The delivery's recipient or robot no longer exists or takes messages: not retried."""


def email_of(user):
    person = getattr(user, "person", None)
    return user.email or (person.email if person else "")


def delivery_attempt(delivery_id, *, now=None):
    """One attempt at sending a queued delivery (the body of the `deliver` task). Returns the
    row's outcome afterwards, or "" when there was nothing to do (already claimed or done, not
    yet due, or gone): a task enqueued twice sends once."""
    now = now or timezone.now()
    claimed = _move(
        Delivery.objects.filter(pk=delivery_id, next_attempt_at__lte=now),
        Outcome.PENDING,
        Outcome.SENDING,
        # Counted as it starts: an attempt cut short by a dead worker is an attempt too.
        attempts=F("attempts") + 1,
        claimed_until=now + SENDING_LEASE,
    )
    if not claimed:
        return ""
    delivery = Delivery.objects.select_related("recipient__person", "robot").get(pk=delivery_id)
    try:
        _send(delivery)
    except TargetGone as gone:
        return _finish(delivery, Outcome.FAILED, str(gone))
    except Exception as exc:
        # Any other failure is the far end's or the network's (refused, timed out, HTTP 5xx, the
        # platform's errcode): tried again after a pause, then given up.
        logger.warning("delivery %s attempt %s failed: %s", delivery.pk, delivery.attempts, exc)
        delays = settings.DELIVERY_RETRY_DELAYS
        if delivery.attempts > len(delays):
            return _finish(delivery, Outcome.FAILED, str(exc) or type(exc).__name__)
        retry_at = now + datetime.timedelta(seconds=delays[delivery.attempts - 1])
        _move(
            Delivery.objects.filter(pk=delivery.pk),
            Outcome.SENDING,
            Outcome.PENDING,
            attempts=delivery.attempts,
            error=(str(exc) or type(exc).__name__)[:300],
            next_attempt_at=retry_at,
            enqueued_at=None,
            claimed_until=None,
        )
        return Outcome.PENDING
    return _finish(delivery, Outcome.SENT, "")


def _move(rows, from_state, to_state, **fields):
    """Move the rows still in `from_state` (one conditional UPDATE, so of two workers racing for
    a row exactly one wins); returns how many moved."""
    if to_state not in Delivery.TRANSITIONS[from_state]:
        raise ValueError(f"delivery cannot go from {from_state} to {to_state}")
    return rows.filter(outcome=from_state).update(outcome=to_state, **fields)


def _finish(delivery, outcome, error):
    # What was to be sent (texts, addresses, phone numbers) is not kept once it is settled.
    _move(
        Delivery.objects.filter(pk=delivery.pk),
        Outcome.SENDING,
        outcome,
        attempts=delivery.attempts,
        error=error[:300],
        payload={},
        claimed_until=None,
        finished_at=timezone.now(),
    )
    return outcome


def _send(delivery):
    payload = delivery.payload
    if delivery.channel == Delivery.Channel.EMAIL:
        address = email_of(delivery.recipient) if delivery.recipient else ""
        if not address:
            raise TargetGone(_("收件人账号已删除或没有电子邮箱。"))
        message = EmailMessage(
            delivery.subject,
            payload["body"],
            to=[address],
            connection=get_connection(fail_silently=False),
            # The same id on every attempt, so a mail client can tell a resend from a new mail.
            headers={"Message-ID": f"<delivery-{delivery.pk}@{_mail_domain()}>"},
        )
        message.send()
    elif delivery.channel == Delivery.Channel.WEBHOOK:
        robot = delivery.robot
        if robot is None:
            raise TargetGone(_("群机器人已删除。"))
        if not robot.active:
            raise TargetGone(_("群机器人已停用。"))
        _webhook_post(robot, payload["text"], payload.get("mention_mobiles", []))
    elif delivery.channel == Delivery.Channel.SMS:
        import_string(settings.SMS_BACKEND)().send(payload["mobile"], payload["text"])
    else:
        raise TargetGone(_("该渠道无需后台发送。"))


def _mail_domain():
    return urllib.parse.urlsplit(settings.SITE_URL).hostname or "localhost"


def deliveries_due(*, now=None):
    """The periodic sweep: settle rows that a dead worker left "sending" (failed, not resent:
    the message may have arrived, and a second copy is worse than a recorded doubt), and claim
    for enqueueing the retries that are due and the rows whose task was lost. Returns (settled,
    ids to enqueue)."""
    now = now or timezone.now()
    settled = _move(
        Delivery.objects.filter(claimed_until__lt=now),
        Outcome.SENDING,
        Outcome.FAILED,
        error=_("发送时后台进程中断，可能已经送达；为免重复发送，未自动重发。"),
        payload={},
        claimed_until=None,
        finished_at=now,
    )
    due = list(
        Delivery.objects.filter(outcome=Outcome.PENDING, next_attempt_at__lte=now)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - REQUEUE_AFTER))
        .values_list("pk", flat=True)[:5000]
    )
    Delivery.objects.filter(pk__in=due).update(enqueued_at=now)
    return settled, due


def robot_message(robot, text, mention_mobiles):
    """The message body each platform's group robot expects for a text message with @s."""
    if robot.kind == GroupRobot.Kind.WECOM:
        return {
            "msgtype": "text",
            "text": {"content": text, "mentioned_mobile_list": mention_mobiles},
        }
    return {
        "msgtype": "text",
        "text": {"content": text},
        "at": {"atMobiles": mention_mobiles, "isAtAll": False},
    }


def _webhook_post(robot, text, mention_mobiles):
    url = robot.webhook_url
    if robot.kind == GroupRobot.Kind.DINGTALK and robot.secret:
        timestamp = str(round(time.time() * 1000))
        digest = hmac.new(
            robot.secret.encode(), f"{timestamp}\n{robot.secret}".encode(), hashlib.sha256
        ).digest()
        sign = urllib.parse.quote_plus(base64.b64encode(digest))
        url += f"{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"
    request = urllib.request.Request(
        url,
        data=json.dumps(robot_message(robot, text, mention_mobiles)).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
        answer = json.loads(response.read() or b"{}")
    # Both platforms answer 200 with errcode 0 on success and a non-zero errcode otherwise.
    if answer.get("errcode", 0) != 0:
        raise ValueError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")
