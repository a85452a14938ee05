"""Notifications through one interface: the in-app inbox, e-mail over SMTP, group-robot
webhooks (WeCom / DingTalk) and, for people without an account, text messages.

Every delivery is a Delivery row whose dedupe key is unique per channel, so a periodic job that
runs twice, or two workers that run at once, send a message once. The inbox is written at once,
in the caller's transaction; everything that leaves the machine is a row written in that same
transaction and sent by a background task (qunce.core.tasks.deliver, qunce/core/delivery.py)
once it commits, so that a slow SMTP server or webhook never holds up a web process and a
rolled-back write sends nothing."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .delivery import Outcome, email_of
from .models import Delivery, InboxMessage
from .tasks import deliveries_enqueue


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
    now = timezone.now()
    text = f"{body}\n\n{settings.SITE_URL}{link}" if link else body
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
                    outcome=Outcome.SENT,
                    finished_at=now,
                )
                for user in fresh
            )
            if email:
                mails = Delivery.objects.bulk_create(
                    _queued(
                        Delivery.Channel.EMAIL,
                        _user_key(dedupe_key, user),
                        subject,
                        {"body": text},
                        now,
                        recipient=user,
                    )
                    for user in fresh
                    if email_of(user)
                )
                _enqueue_after_commit(mails)
    except IntegrityError:
        # Another run claimed these keys between our read and our write: it sends them.
        return 0
    return len(fresh)


def notify_robot(*, dedupe_key, robot, text, mention_mobiles=()):
    """Post `text` to a group robot once per key; returns the delivery row, or None when the key
    was already used. The row says whether the message arrived once its task has run."""
    delivery = _queued(
        Delivery.Channel.WEBHOOK,
        f"{dedupe_key}:r{robot.pk}",
        text.splitlines()[0],
        {"text": text, "mention_mobiles": list(mention_mobiles)},
        timezone.now(),
        robot=robot,
    )
    return _queue_one(delivery)


def notify_sms(*, dedupe_key, mobile, text):
    """A text message to someone without an account (a requester), once per key."""
    delivery = _queued(
        Delivery.Channel.SMS,
        dedupe_key,
        text,
        {"mobile": mobile, "text": text},
        timezone.now(),
    )
    return _queue_one(delivery)


def _queued(channel, dedupe_key, subject, payload, now, **target):
    return Delivery(
        channel=channel,
        dedupe_key=dedupe_key,
        subject=subject[:200],
        payload=payload,
        outcome=Outcome.PENDING,
        next_attempt_at=now,
        enqueued_at=now,
        **target,
    )


def _queue_one(delivery):
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError:
        return None
    _enqueue_after_commit([delivery])
    return delivery


def _enqueue_after_commit(deliveries):
    ids = [delivery.pk for delivery in deliveries]
    if ids:
        transaction.on_commit(lambda: deliveries_enqueue(ids))


def _user_key(dedupe_key, user):
    return f"{dedupe_key}:u{user.pk}"
