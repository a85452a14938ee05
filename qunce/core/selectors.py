from qunce.org import selectors as org_selectors
from qunce.org.access import access_for

from .models import InboxMessage


def home_figures(user):
    """The numbers on a user's home page, one section per role they hold."""
    access = access_for(user)
    figures = {"campaigns": list(org_selectors.active_campaigns()[:3])}
    if access.is_admin:
        people = org_selectors.people_visible_to(user)
        figures["scope"] = {
            "units": org_selectors.units_administered_by(user).count(),
            "people": org_selectors.people_overview(people),
        }
        if not access.is_org_admin:
            figures["scope"]["admin_units"] = list(
                org_selectors.units_administered_by(user).filter(path__in=access.admin_unit_paths)
            )
    if access.person_id:
        figures["me"] = (
            org_selectors.people_visible_to(user).select_related("unit").get(pk=access.person_id)
        )
    return figures


def inbox_of(user):
    return InboxMessage.objects.filter(recipient=user)


def unread_count(user):
    return inbox_of(user).filter(read_at__isnull=True).count() if user.is_authenticated else 0
