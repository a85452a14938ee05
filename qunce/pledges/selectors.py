"""Reads of pledges and vanguard acts, and pledge coverage per branch."""

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from qunce.org.access import access_for
from qunce.org.models import Person, Unit

from .models import PARTY_MEMBERS, PledgeTemplate, Signature, VanguardAct


def templates_visible_to(user):
    if not user.is_authenticated:
        return PledgeTemplate.objects.none()
    return PledgeTemplate.objects.select_related("campaign")


def get_template_for_user(user, pk):
    try:
        return templates_visible_to(user).get(pk=pk)
    except (PledgeTemplate.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def acts_visible_to(user):
    access = access_for(user)
    if access.is_org_admin:
        return VanguardAct.objects.all()
    own = Q(person_id=access.person_id) if access.person_id else Q(pk__in=[])
    return VanguardAct.objects.filter(own | access.unit_path_filter("unit__path"))


def get_act_for_user(user, pk):
    try:
        return acts_visible_to(user).select_related("person", "unit").get(pk=pk)
    except (VanguardAct.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def coverage(user, template):
    """Per unit with party members among those the user administers: members, signed, rate."""
    access = access_for(user)
    members = Person.objects.filter(political_status__in=PARTY_MEMBERS)
    if not access.is_org_admin:
        members = members.filter(access.unit_path_filter("unit__path"))
    signed = Signature.objects.filter(template=template, person=OuterRef("pk"))
    rows = (
        members.annotate(has_signed=Exists(signed))
        .values("unit_id")
        .annotate(members=Count("pk"), signed=Count("pk", filter=Q(has_signed=True)))
        .order_by()
    )
    units = {unit.pk: unit for unit in Unit.objects.filter(pk__in=[r["unit_id"] for r in rows])}
    lines = [
        {
            "unit": units[row["unit_id"]],
            "members": row["members"],
            "signed": row["signed"],
            "rate": round(100 * row["signed"] / row["members"], 1),
        }
        for row in rows
    ]
    return sorted(lines, key=lambda line: (line["rate"], line["unit"].path))
