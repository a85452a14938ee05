"""Reads of proposals (the author, their unit's admins, the org admin) and key problems (every
signed-in person: they are a call for help)."""

from django.db.models import Count, Q
from django.http import Http404

from qunce.org.access import access_for

from .models import KeyProblem, Proposal, ProposalAttachment


def proposals_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return Proposal.objects.all()
    own = Q(author_id=access.person_id) if access.person_id else Q(pk__in=[])
    return Proposal.objects.filter(own | access.unit_path_filter("unit__path"))


def get_proposal_for_user(user, pk):
    try:
        return proposals_visible_to(user).select_related("author", "unit", "campaign").get(pk=pk)
    except (Proposal.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def get_attachment_for_user(user, pk):
    try:
        attachment = ProposalAttachment.objects.get(pk=pk)
    except (ProposalAttachment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not proposals_visible_to(user).filter(pk=attachment.proposal_id).exists():
        raise Http404
    return attachment


def key_problems_visible_to(user):
    if not user.is_authenticated:
        return KeyProblem.objects.none()
    return KeyProblem.objects.annotate(volunteer_count=Count("volunteers"))


def get_key_problem_for_user(user, pk):
    try:
        return key_problems_visible_to(user).get(pk=pk)
    except (KeyProblem.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
