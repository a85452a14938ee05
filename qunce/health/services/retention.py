"""Check-ins that have served their purpose go: the retention purge, a person's deletion request,
and the monthly partitions it works on."""

import collections
import datetime
import functools

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from qunce.accounts.models import User
from qunce.core.models import InboxMessage, StateEvent
from qunce.core.services import audit_record
from qunce.org.models import Campaign, Person

from .. import partitions, selectors
from ..models import Checkin, CheckinReceipt, CheckinRevision, HealthAlert


def _checkin_dependents_delete(checkins):
    """Delete the versions, receipts and alerts of `checkins`; who followed each alert up, and
    when, outlives the alert, but what they wrote about someone's health does not."""
    alert_ids = [
        str(pk)
        for pk in HealthAlert.objects.filter(checkin__in=checkins).values_list("pk", flat=True)
    ]
    StateEvent.objects.filter(target_type="health.healthalert", target_id__in=alert_ids).update(
        note=""
    )
    InboxMessage.objects.filter(link__in=[f"/health/alerts/{pk}/" for pk in alert_ids]).delete()
    HealthAlert.objects.filter(checkin__in=checkins).delete()
    CheckinReceipt.objects.filter(checkin__in=checkins).delete()
    CheckinRevision.objects.filter(checkin__in=checkins).delete()


def _checkins_delete(checkins):
    """Delete `checkins` with what depends on them. Returns the number of check-ins deleted."""
    _checkin_dependents_delete(checkins)
    deleted = checkins.count()
    checkins.delete()
    return deleted


def _expired_months_drop(cutoffs):
    """Drop each month partition whose every record is past its campaign's retention (PostgreSQL);
    returns {campaign id: records dropped}. What is left is deleted row by row."""
    dropped: collections.Counter[int] = collections.Counter()
    for month in partitions.months():
        expired_campaigns = [pk for pk, cutoff in cutoffs.items() if cutoff >= month.next_first]
        if not expired_campaigns:
            continue
        with transaction.atomic():
            if not partitions.month_lock_if_only(month, expired_campaigns):
                continue
            in_month = Checkin.objects.filter(day__gte=month.first, day__lt=month.next_first)
            dropped.update(
                dict(in_month.values_list("campaign").annotate(count=Count("pk")).order_by())
            )
            _checkin_dependents_delete(in_month)
            partitions.month_drop(month)
    return dropped


@transaction.atomic
def checkins_erase_for_person(*, person: Person, acting_user: User) -> int:
    """A person's deletion request: their check-ins of campaigns no longer running go; those of
    a running campaign stay (the epidemic-control record) until its retention ends."""
    ended = Checkin.objects.filter(person=person).exclude(campaign__status=Campaign.Status.ACTIVE)
    deleted = _checkins_delete(ended)
    audit_record(
        actor=acting_user, action="health.erase", target=person, changes={"deleted": deleted}
    )
    return deleted


def checkin_partitions_prepare(*, today: datetime.date | None = None) -> list[str]:
    """The coming months' check-in partitions (PostgreSQL), made before their first check-in.
    Returns the months made, as YYYY-MM."""
    created = partitions.months_ensure(today or timezone.localdate())
    return [month.first.strftime("%Y-%m") for month in created]


def checkin_statistics_refresh(*, today: datetime.date | None = None) -> str | None:
    """The planner's statistics of this month's check-ins, brought up to today's (PostgreSQL);
    the partition analyzed, or None."""
    return partitions.month_analyze(today or timezone.localdate())


def checkins_purge(*, today: datetime.date | None = None) -> dict[str, int]:
    """Delete check-ins (with their versions, receipts and alerts) older than their campaign's
    retention period; the access log and the alerts' state events stay (their notes emptied).
    A month past every retention goes whole. Returns {campaign name: records deleted}."""
    today = today or timezone.localdate()
    campaigns = list(Campaign.objects.all())
    cutoffs = {c.pk: today - datetime.timedelta(days=c.retention_days) for c in campaigns}
    dropped = _expired_months_drop(cutoffs)
    counts = {}
    for campaign in campaigns:
        cutoff = cutoffs[campaign.pk]
        expired = Checkin.objects.filter(campaign=campaign, day__lt=cutoff)
        with transaction.atomic():
            deleted = dropped[campaign.pk] + _checkins_delete(expired)
            if deleted:
                # After the commit: a dashboard counting in between would keep the purged rows.
                transaction.on_commit(
                    functools.partial(selectors.forget_reports_before, campaign.pk, cutoff)
                )
                counts[campaign.name] = deleted
                audit_record(
                    actor=None,
                    action="health.purge",
                    target=campaign,
                    changes={"deleted": deleted, "before": cutoff.isoformat()},
                )
    return counts
