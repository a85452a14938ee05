"""Who reads what. The assigned counsellor reads a case; the coordinator sees what routing
needs; the org admin sees counts; everyone else gets a 404. Every read is logged."""

from django.db.models import Count, Sum
from django.http import Http404

from qunce.org.access import access_for
from qunce.org.models import Role, RoleGrant

from .models import CaseTally, CounsellingCase, token_digest
from .services import log_access

ROUTING_FIELDS = (
    "pk",
    "category",
    "urgency",
    "channel",
    "time_window",
    "crisis",
    "status",
    "requested_at",
    "counsellor",
)


def is_coordinator(user):
    return Role.COUNSELLING_COORDINATOR in access_for(user).roles


def cases_of_counsellor(user):
    return (
        CounsellingCase.objects.filter(counsellor=user)
        if user.is_authenticated
        else CounsellingCase.objects.none()
    )


def routing_queue(user):
    if not is_coordinator(user):
        return CounsellingCase.objects.none()
    return CounsellingCase.objects.only(*ROUTING_FIELDS).select_related("counsellor")


def get_case_for_counsellor(user, pk):
    case = cases_of_counsellor(user).filter(pk=pk).first()
    if case is None:
        _refuse(user, pk, "refused_read")
    log_access(case=case, user=user, action="read")
    return case


def get_case_for_routing(user, pk):
    case = routing_queue(user).filter(pk=pk).first()
    if case is None:
        _refuse(user, pk, "refused_route")
    log_access(case=case, user=user, action="route")
    return case


def _refuse(user, pk, action):
    """404, and a row in the access log when the case exists: an attempt to open someone's
    counselling case is itself worth knowing about."""
    case = CounsellingCase.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if case is not None:
        log_access(case=case, user=user, action=action)
    raise Http404


def get_case_by_token(raw_token):
    case = (
        CounsellingCase.objects.only(*ROUTING_FIELDS)
        .filter(token_digest=token_digest(raw_token or ""))
        .first()
    )
    if case is None:
        raise Http404
    log_access(case=case, user=None, action="status_link")
    return case


def counsellors():
    return [
        grant.user
        for grant in RoleGrant.objects.filter(role=Role.COUNSELLOR).select_related("user")
    ]


def counts():
    """What the organization department sees: numbers, no people, no content; purged cases are
    counted from their tallies."""
    cases = CounsellingCase.objects.order_by()
    purged = CaseTally.objects.aggregate(cases=Sum("cases"))["cases"] or 0
    by_category = {
        row["category"]: row["n"] for row in cases.values("category").annotate(n=Count("pk"))
    }
    for row in CaseTally.objects.values("category").annotate(n=Sum("cases")):
        by_category[row["category"]] = by_category.get(row["category"], 0) + row["n"]
    return {
        "total": cases.count() + purged,
        "purged": purged,
        "crisis": cases.filter(crisis=True).count(),
        "by_status": {
            row["status"]: row["n"] for row in cases.values("status").annotate(n=Count("pk"))
        },
        "by_category": by_category,
    }
