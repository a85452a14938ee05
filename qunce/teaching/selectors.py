"""Reads of the teaching log: the teacher, their unit's admins and the org admin."""

import datetime

from django.db.models import Max, Q
from django.http import Http404

from qunce.org.access import access_for

from .models import TeachingRecord

CONTACT_GAP_DAYS = 14


def records_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return TeachingRecord.objects.all()
    own = Q(person_id=access.person_id) if access.person_id else Q(pk__in=[])
    return TeachingRecord.objects.filter(own | access.unit_path_filter("unit__path"))


def get_record_for_user(user, pk):
    try:
        return records_visible_to(user).select_related("person", "unit").get(pk=pk)
    except (TeachingRecord.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def coverage(records, today):
    """Each course and each graduate student of the records, with the last contact and whether
    more than 14 days have passed since: the unit's list of whom to look after."""
    cutoff = today - datetime.timedelta(days=CONTACT_GAP_DAYS)

    def lines(kinds, label):
        rows = (
            records.filter(kind__in=kinds)
            .values("person__name", "unit__name", label)
            .annotate(last=Max("held_on"))
            .order_by("last", "unit__name")
        )
        return [
            {
                "teacher": row["person__name"],
                "unit": row["unit__name"],
                "name": row[label],
                "last": row["last"],
                "days": (today - row["last"]).days,
                "lapsed": row["last"] < cutoff,
            }
            for row in rows
        ]

    courses = lines([TeachingRecord.Kind.COURSE, TeachingRecord.Kind.QA], "course")
    students = lines([TeachingRecord.Kind.SUPERVISION], "student")
    return {
        "courses": courses,
        "students": students,
        "lapsed_courses": sum(row["lapsed"] for row in courses),
        "lapsed_students": sum(row["lapsed"] for row in students),
    }
