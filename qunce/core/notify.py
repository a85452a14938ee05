"""Notifications through one interface: the in-app inbox, e-mail over SMTP, group-robot
webhooks (WeCom / DingTalk) and, for people without an account, text messages.

Every delivery is a Delivery row whose dedupe key is unique per channel, so a periodic job that
runs twice, or two workers that run at once, send a message once."""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request
from functools import partial

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from .models import Delivery, GroupRobot, InboxMessage

logger = logging.getLogger("qunce.notify")

WEBHOOK_TIMEOUT_SECONDS = 5


class LogSmsBackend:
    def send(self, mobile, text):
        # Only the last four digits: the log is not the place for a full phone number.
        logger.info("SMS to ****%s: %s", mobile[-4:], text)


def sms_send(mobile, text):
    import_string(settings.SMS_BACKEND)().send(mobile, text)


def notify_users(*, dedupe_key, recipients, subject, body="", link="", email=True):
    """Inbox message (and e-mail, where the person has an address) to each recipient not yet
    sent this key. Returns how many recipients were reached for the first time."""
    recipients = list(recipients)
    already = set(
        Delivery.objects.filter(
            channel=Delivery.Channel.INBOX,
            dedupe_key__in=[_user_key(dedupe_key, user) for user in recipients],
        ).values_list("dedupe_key", flat=True)
    )
    fresh = [user for user in recipients if _user_key(dedupe_key, user) not in already]
    if not fresh:
        return 0
    try:
        with transaction.atomic():
            InboxMessage.objects.bulk_create(
                InboxMessage(recipient=user, subject=subject, body=body, link=link)
                for user in fresh
            )
            Delivery.objects.bulk_create(
                Delivery(
                    channel=Delivery.Channel.INBOX,
                    dedupe_key=_user_key(dedupe_key, user),
                    recipient=user,
                    subject=subject[:200],
                    outcome=Delivery.Outcome.SENT,
                )
                for user in fresh
            )
    except IntegrityError:
        # Another run claimed these keys between our read and our write: it sends them.
        return 0
    if email:
        # After the caller's transaction commits: no mail for a write that is rolled back, and no
        # SMTP round trips while a database lock is held.
        transaction.on_commit(partial(_email_send, dedupe_key, fresh, subject, body, link))
    return len(fresh)


def _user_key(dedupe_key, user):
    return f"{dedupe_key}:u{user.pk}"


def _email_send(dedupe_key, users, subject, body, link):
    """One e-mail per user with an address, each recorded as it goes: a failure is recorded
    and the others still go out."""
    text = f"{body}\n\n{settings.SITE_URL}{link}" if link else body
    connection = get_connection(fail_silently=False)
    for user in users:
        address = _email_of(user)
        if not address:
            continue
        outcome, error = Delivery.Outcome.SENT, ""
        try:
            EmailMessage(subject, text, to=[address], connection=connection).send()
        except Exception as exc:
            outcome, error = Delivery.Outcome.FAILED, str(exc)[:300]
            logger.warning("e-mail to user %s failed: %s", user.pk, exc)
        Delivery.objects.bulk_create(
            [
                Delivery(
                    channel=Delivery.Channel.EMAIL,
                    dedupe_key=_user_key(dedupe_key, user),
                    recipient=user,
                    subject=subject[:200],
                    outcome=outcome,
                    error=error,
                )
            ],
            ignore_conflicts=True,
        )


def _email_of(user):
    person = getattr(user, "person", None)
    return user.email or (person.email if person else "")


def notify_robot(*, dedupe_key, robot, text, mention_mobiles=()):
    """Post `text` to a group robot once per key; the Delivery row says whether it arrived."""
    key = f"{dedupe_key}:r{robot.pk}"
    try:
        with transaction.atomic():
            # Claimed as pending first: a crash during the post leaves "pending", not "sent".
            delivery = Delivery.objects.create(
                channel=Delivery.Channel.WEBHOOK,
                dedupe_key=key,
                robot=robot,
                subject=text.splitlines()[0][:200],
                outcome=Delivery.Outcome.PENDING,
            )
    except IntegrityError:
        return None
    try:
        _webhook_post(robot, text, list(mention_mobiles))
    except (OSError, ValueError) as exc:
        delivery.outcome, delivery.error = Delivery.Outcome.FAILED, str(exc)[:300]
        logger.warning("group robot %s failed: %s", robot.pk, exc)
    else:
        delivery.outcome = Delivery.Outcome.SENT
    delivery.save(update_fields=["outcome", "error"])
    return delivery


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
