"""The bridge between the registry and qunce.matching: one index per process, kept current by
reading the profiles changed since it last looked (so every web process sees every edit)."""

import threading

from django.db.models import Avg, Count, Q
from django.utils import timezone

from qunce.codes.models import Discipline
from qunce.matching import Expert, MatchIndex
from qunce.matching.affinity import INDUSTRY_DISCIPLINES
from qunce.talents.models import Availability, TalentProfile

from .models import HelpRequest

_lock = threading.Lock()
_state = {"index": None, "seen_until": None}


def expert_from_profile(profile, *, open_requests=0, rating=None):
    disciplines = [discipline.code for discipline in profile.disciplines.all()]
    return Expert(
        id=str(profile.person_id),
        discipline=disciplines[0] if disciplines else "",
        keywords=[word for word in profile.keywords.replace(",", "、").split("、") if word.strip()],
        works=[
            line for line in [profile.research_fields, *profile.works.splitlines()] if line.strip()
        ],
        summary=profile.summary,
        confirmed=profile.confirmed_at is not None,
        busy=profile.availability != Availability.AVAILABLE,
        open_requests=open_requests,
        rating=rating,
    )


def _changed_profiles(since):
    profiles = TalentProfile.objects.prefetch_related("disciplines")
    return profiles.filter(updated_at__gt=since) if since else profiles


def current_index():
    """The process's index, brought up to date with every profile changed since the last call."""
    with _lock:
        now = timezone.now()
        if _state["index"] is None:
            _state["index"] = MatchIndex()
        for profile in _changed_profiles(_state["seen_until"]).iterator(chunk_size=2000):
            _state["index"].add(expert_from_profile(profile))
        _state["seen_until"] = now
        return _state["index"]


def reset_index():
    """Forget the index (tests, and a database that was replaced under a running process)."""
    with _lock:
        _state["index"], _state["seen_until"] = None, None


def experts_for(help_request, *, limit=10):
    """Ranked experts for a request, their load and ratings fresh from the database."""
    index = current_index()
    affinity = {
        code: weight
        for code, weight in INDUSTRY_DISCIPLINES.get(help_request.industry_id, {}).items()
    }
    text = f"{help_request.description} {help_request.get_category_display()}"
    candidates = index.search(text, limit=limit * 3, discipline_affinity=affinity)
    ids = [int(match.expert_id) for match in candidates]
    standing = {
        row["expert"]: row
        for row in HelpRequest.objects.filter(expert_id__in=ids)
        .values("expert")
        .annotate(
            open=Count("pk", filter=Q(status__in=HelpRequest.OPEN_STATES)),
            rating=Avg("requester_rating"),
        )
    }
    for expert_id in ids:
        row = standing.get(expert_id, {"open": 0, "rating": None})
        index.update_standing(str(expert_id), open_requests=row["open"], rating=row["rating"])
    matches = index.search(text, limit=limit, discipline_affinity=affinity)
    names = dict(Discipline.objects.values_list("code", "name"))
    for match in matches:
        match.reasons = [_named(reason, names) for reason in match.reasons]
    return matches


def _named(reason, names):
    """'学科相关：0806' reads better as '学科相关：0806 冶金工程'."""
    prefix = "学科相关："
    if reason.startswith(prefix):
        code = reason[len(prefix) :]
        return f"{prefix}{code} {names.get(code, '')}".strip()
    return reason
