"""The demo's consents: everyone who checks in agreed to the first notices the morning the
campaign's check-in opened."""

import datetime

from .models import Consent, ConsentDecision, ConsentNotice, Purpose


def build_demo_consents(*, users, at, purposes=(Purpose.HEALTH, Purpose.WHEREABOUTS)):
    notices = {
        notice.purpose: notice for notice in ConsentNotice.objects.filter(purpose__in=purposes)
    }
    # The notices were published before anyone agreed to them (a migration made them today).
    ConsentNotice.objects.filter(version=1, published_at__gt=at).update(
        published_at=at - datetime.timedelta(days=1)
    )
    consents = Consent.objects.bulk_create(
        (
            Consent(
                user=user,
                purpose=purpose,
                status=Consent.Status.GIVEN,
                notice=notices[purpose],
                decided_at=at,
            )
            for user in users
            for purpose in purposes
        ),
        batch_size=2000,
    )
    ConsentDecision.objects.bulk_create(
        (
            ConsentDecision(
                consent=consent,
                user=consent.user,
                username=consent.user.username,
                purpose=consent.purpose,
                notice=consent.notice,
                from_status="",
                to_status=Consent.Status.GIVEN,
                via=ConsentDecision.Via.PAGE,
                at=at,
            )
            for consent in consents
        ),
        batch_size=2000,
    )
    return {"consents": len(consents)}
