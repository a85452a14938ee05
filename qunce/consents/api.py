import datetime

from ninja import Field, Router, Schema

from . import selectors, services
from .models import ConsentDecision, Purpose

router = Router(tags=["consents"])


class NoticeOut(Schema):
    version: int
    title: str
    body: str
    changes: str
    published_at: datetime.datetime


class StandingOut(Schema):
    purpose: Purpose
    notice: NoticeOut | None
    status: str
    agreed_version: int | None
    decided_at: datetime.datetime | None
    in_force: bool


class DecisionOut(Schema):
    purpose: Purpose
    version: int
    to_status: str
    via: str
    at: datetime.datetime


class ConsentIn(Schema):
    purpose: Purpose
    version: int = Field(..., ge=1, le=1_000_000)


class ConsentsOut(Schema):
    standing: list[StandingOut]
    decisions: list[DecisionOut]


def _standing(user):
    return {
        "standing": [
            {
                "purpose": purpose,
                "notice": notice,
                "status": consent.status if consent else "",
                "agreed_version": consent.notice.version if consent else None,
                "decided_at": consent.decided_at if consent else None,
                "in_force": in_force,
            }
            for purpose, notice, consent, in_force in selectors.standing_of(user)
        ],
        "decisions": [
            {
                "purpose": decision.purpose,
                "version": decision.notice.version,
                "to_status": decision.to_status,
                "via": decision.via,
                "at": decision.at,
            }
            for decision in selectors.decisions_of(user)[:200]
        ],
    }


@router.get("/consents", response=ConsentsOut)
def my_consents(request):
    """The signed-in person's consent per purpose, the notice in force, and every decision."""
    return _standing(request.user)


@router.post("/consents", response=ConsentsOut)
def give_consent(request, payload: ConsentIn):
    """Agree to a purpose's notice; `version` is the one the person read (the current one)."""
    services.consent_give(
        user=request.user,
        purpose=payload.purpose,
        version=payload.version,
        via=ConsentDecision.Via.API,
    )
    return _standing(request.user)


@router.post("/consents/{purpose}/withdraw", response=ConsentsOut)
def withdraw_consent(request, purpose: Purpose):
    """Withdraw a purpose: it collects nothing more from this person until they agree again."""
    services.consent_withdraw(user=request.user, purpose=purpose, via=ConsentDecision.Via.API)
    return _standing(request.user)
