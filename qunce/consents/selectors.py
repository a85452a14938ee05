"""Reads of notices and of a person's consents."""

from django.db.models import Count, OuterRef, Subquery

from .models import Consent, ConsentDecision, ConsentNotice, Purpose


def notice_current(purpose):
    """The version of `purpose`'s notice in force (the newest), or None."""
    return ConsentNotice.objects.filter(purpose=purpose).order_by("-version").first()


def notices_current():
    """{purpose: newest notice} for every purpose that has one."""
    newest: dict[str, ConsentNotice] = {}
    for notice in ConsentNotice.objects.order_by("purpose", "-version"):
        newest.setdefault(notice.purpose, notice)
    return newest


def notices_all():
    return ConsentNotice.objects.select_related("published_by")


def purposes_in_force(user, purposes):
    """Which of `purposes` the user has agreed to in the notice's current version: one
    statement, so the check-in pays one query for it."""
    if not user.is_authenticated:
        return set()
    newest = ConsentNotice.objects.filter(purpose=OuterRef("purpose")).order_by("-version")
    return set(
        Consent.objects.filter(
            user=user,
            purpose__in=list(purposes),
            status=Consent.Status.GIVEN,
            notice_id=Subquery(newest.values("id")[:1]),
        ).values_list("purpose", flat=True)
    )


def purpose_withdrawn(user, purpose):
    """Whether the user's last decision on `purpose` was to withdraw it."""
    return Consent.objects.filter(
        user=user, purpose=purpose, status=Consent.Status.WITHDRAWN
    ).exists()


def standing_of(user):
    """Per purpose, in the order of Purpose: (purpose, its current notice, the user's consent
    or None, whether it is in force), for the person's own page."""
    notices = notices_current()
    consents = {
        consent.purpose: consent
        for consent in Consent.objects.filter(user=user).select_related("notice")
    }
    rows = []
    for purpose in Purpose:
        notice, consent = notices.get(purpose), consents.get(purpose)
        in_force = (
            consent is not None
            and notice is not None
            and consent.status == Consent.Status.GIVEN
            and consent.notice_id == notice.pk
        )
        rows.append((purpose, notice, consent, in_force))
    return rows


def decisions_of(user):
    """What the user agreed to and withdrew, newest first, with the versions."""
    return ConsentDecision.objects.filter(user=user).select_related("notice")


def consent_counts():
    """{(purpose, status, notice id): count} over every account, for the notices page."""
    return {
        (row["purpose"], row["status"], row["notice_id"]): row["count"]
        for row in Consent.objects.values("purpose", "status", "notice_id").annotate(
            count=Count("id")
        )
    }
