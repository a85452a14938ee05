"""Reads of notices. A published notice is seen by the org admin and by the people and admins
of the units it was sent to (and of the units below them)."""

from django.db.models import Count, Q
from django.http import Http404

from qunce.org.access import access_for
from qunce.org.models import Unit

from .models import Attachment, Notice, UnitReport


def _ancestor_paths(path):
    return [path[:end] for end in range(Unit.steplen, len(path) + 1, Unit.steplen)]


def notices_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return Notice.objects.all()
    if not access.is_authenticated:
        return Notice.objects.none()
    own_paths = list(access.admin_unit_paths)
    if access.person_unit_id:
        own_paths.append(Unit.objects.get(pk=access.person_unit_id).path)
    above = {ancestor for path in own_paths for ancestor in _ancestor_paths(path)}
    addressed = Q(units__path__in=above) | access.unit_path_filter("units__path")
    return Notice.objects.filter(
        Q(pk__in=Notice.objects.filter(addressed).values("pk")), status=Notice.Status.PUBLISHED
    )


def get_notice_for_user(user, pk):
    try:
        return notices_visible_to(user).get(pk=pk)
    except (Notice.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def reports_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return UnitReport.objects.all()
    return UnitReport.objects.filter(access.unit_path_filter("unit__path"))


def get_report_for_user(user, notice, unit_id):
    try:
        return reports_visible_to(user).select_related("unit").get(notice=notice, unit_id=unit_id)
    except (UnitReport.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def get_attachment_for_user(user, pk):
    """A notice's file for whoever sees the notice; a report's file for whoever sees the report."""
    try:
        attachment = Attachment.objects.select_related("report").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if attachment.notice_id:
        visible = notices_visible_to(user).filter(pk=attachment.notice_id).exists()
    else:
        visible = reports_visible_to(user).filter(pk=attachment.report_id).exists()
    if not visible:
        raise Http404
    return attachment


def with_report_counts(notices):
    return notices.annotate(
        addressed=Count("reports", distinct=True),
        received=Count(
            "reports", filter=~Q(reports__status=UnitReport.Status.PENDING), distinct=True
        ),
        reported=Count(
            "reports", filter=Q(reports__status=UnitReport.Status.REPORTED), distinct=True
        ),
    )


ADDRESSABLE_KINDS = [
    Unit.Kind.PARTY_COMMITTEE,
    Unit.Kind.GENERAL_BRANCH,
    Unit.Kind.DIRECT_BRANCH,
    Unit.Kind.DEPARTMENT,
]


def addressable_units():
    """The units a notice is sent to: 分党委, 党总支, 直属党支部 and departments."""
    return Unit.objects.filter(kind__in=ADDRESSABLE_KINDS).order_by("path")
