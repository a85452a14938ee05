"""The bridge between the registry and qunce.matching.

The index is built from every indexable profile (`build_index`, run by the `build_match_index`
command after a deployment, nightly and after a large import) and stored in the database, so
every web process, on any machine, loads the same artefact in about a second instead of
rebuilding it. Each search then brings the process's copy up to date: profiles changed since it
last looked are re-indexed at once, and at least every MEMBERSHIP_SECONDS the set of indexable
profiles is compared with the index, so a deleted profile or a deactivated account leaves every
process within a minute."""

import logging
import threading
import time

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from qunce.codes.models import Discipline
from qunce.matching import Expert, MatchIndex, SearchResult
from qunce.matching.affinity import INDUSTRY_DISCIPLINES
from qunce.org.selectors import expert_sharing_paths, university_path_of, university_paths
from qunce.talents.models import Availability, TalentProfile

from .models import HelpRequest, MatchIndexSnapshot
from .services import match_index_store

MEMBERSHIP_SECONDS = 30
NOTHING_GOOD = "没有专家的专长与需求描述相符。"
WAY_FORWARD = "请在下方按姓名、学科或关键词检索人才库并邀请。"

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_state = {}


def indexable_profiles():
    """Profiles that may be suggested: their person has no login yet, or an active one."""
    return TalentProfile.objects.filter(
        Q(person__user__isnull=True) | Q(person__user__is_active=True)
    )


def expert_from_profile(profile, discipline_names, group=""):
    disciplines = sorted(discipline.code for discipline in profile.disciplines.all())
    return Expert(
        id=str(profile.person_id),
        group=group,
        discipline=disciplines[0] if disciplines else "",
        discipline_name=" ".join(discipline_names.get(code, "") for code in disciplines),
        keywords=[word for word in profile.keywords.replace(",", "、").split("、") if word.strip()],
        works=[line for line in profile.works.splitlines() if line.strip()],
        summary=f"{profile.research_fields} {profile.summary}",
        confirmed=profile.confirmed_at is not None,
        busy=profile.availability != Availability.AVAILABLE,
    )


def _experts(profiles):
    """The engine's view of `profiles`, each in the group of their university (its unit path),
    so that a request keeps to the universities that may serve it."""
    names = dict(Discipline.objects.values_list("code", "name"))
    universities = university_paths()
    return [
        expert_from_profile(profile, names, university_path_of(profile.unit_path, universities))
        for profile in profiles.annotate(unit_path=F("person__unit__path"))
        .prefetch_related("disciplines")
        .iterator(chunk_size=2000)
    ]


def build_index():
    """(index of every indexable profile, the time its profiles were read)."""
    as_of = timezone.now()
    return MatchIndex.build(_experts(indexable_profiles())), as_of


def _load(snapshot_id, as_of):
    data = MatchIndexSnapshot.objects.values_list("data", flat=True).get(pk=snapshot_id)
    _state.update(
        index=MatchIndex.from_bytes(bytes(data)),
        snapshot=snapshot_id,
        seen_until=as_of,
        membership_checked=0.0,
    )


def current_index():
    """The process's index: the stored one (built now if there is none yet), brought up to date
    with every profile changed or gone since."""
    with _lock:
        latest = MatchIndexSnapshot.objects.order_by("-pk").values("pk", "profiles_as_of").first()
        if latest is not None and latest["pk"] != _state.get("snapshot"):
            try:
                _load(latest["pk"], latest["profiles_as_of"])
            except ValueError as error:
                # Stored by an older release of the engine: the first search after a
                # deployment builds anew rather than failing until build_match_index runs.
                logger.warning(
                    "stored match index %s unusable (%s); rebuilding", latest["pk"], error
                )
                latest = None
        if latest is None:
            index, as_of = build_index()
            snapshot = match_index_store(index=index, profiles_as_of=as_of)
            _state.update(index=index, snapshot=snapshot.pk, seen_until=as_of)
            _state["membership_checked"] = time.monotonic()
        index = _state["index"]
        now = timezone.now()
        changed = indexable_profiles().filter(updated_at__gt=_state["seen_until"])
        fresh = _experts(changed)
        _state["seen_until"] = now
        if fresh:
            index.upsert(fresh)
        if time.monotonic() - _state["membership_checked"] >= MEMBERSHIP_SECONDS:
            _reconcile(index)
            _state["membership_checked"] = time.monotonic()
        return index


def _reconcile(index):
    """Drop what is no longer indexable; add what became indexable without being edited (an
    account reactivated)."""
    indexable = {str(pk) for pk in indexable_profiles().values_list("person_id", flat=True)}
    known = index.ids()
    index.remove(known - indexable)
    missing = indexable - known
    if missing:
        index.upsert(_experts(indexable_profiles().filter(person_id__in=missing)))


def reset_index():
    """Forget the process's index (tests, and a database replaced under a running process)."""
    with _lock:
        _state.clear()


def request_text(help_request):
    """What the engine reads: the description. The category (复工复产, 生产工艺…) says what kind
    of help, not what the problem is, so it does not take part."""
    return help_request.description


def matching_groups(help_request):
    """The universities whose experts may serve the request: all, in an installation of one
    university or while the province has not routed it; otherwise the handling university's
    own, and every university that shares its experts if the handling one shares too."""
    if help_request.university_id is None:
        return None
    return set(expert_sharing_paths(help_request.university))


def industry_affinity(help_request):
    return dict(INDUSTRY_DISCIPLINES.get(help_request.industry_id, {}))


def experts_for(help_request, *, limit=10):
    """Experts with a real reason to be suggested for a request, best first, their load and
    ratings fresh from the database; or none, with a reason and a way forward."""
    index = current_index()
    _refresh_standing(index)
    result = index.search(
        request_text(help_request),
        limit=limit,
        discipline_affinity=industry_affinity(help_request),
        groups=matching_groups(help_request),
    )
    if not result.matches:
        return SearchResult([], result.reason + WAY_FORWARD)
    strong = [match for match in result if match.strong]
    if not strong:
        return SearchResult([], NOTHING_GOOD + WAY_FORWARD)
    names = dict(Discipline.objects.values_list("code", "name"))
    for match in strong:
        match.reasons = [_named(reason, names) for reason in match.reasons]
    return SearchResult(strong)


def _refresh_standing(index):
    """Open requests and mean rating of every expert who has served, in one query, so one
    search ranks with today's load (the others have none)."""
    for row in (
        HelpRequest.objects.filter(expert__isnull=False)
        .values("expert")
        .annotate(
            open=Count("pk", filter=Q(status__in=HelpRequest.OPEN_STATES)),
            rating=Avg("requester_rating"),
        )
    ):
        index.update_standing(str(row["expert"]), open_requests=row["open"], rating=row["rating"])


def _named(reason, names):
    """'学科相关：0806' reads better as '学科相关：0806 冶金工程'."""
    prefix = "学科相关："
    if reason.startswith(prefix):
        code = reason[len(prefix) :]
        return f"{prefix}{code} {names.get(code, '')}".strip()
    return reason
