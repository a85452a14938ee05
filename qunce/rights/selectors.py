"""Everything kept about a person, gathered from every app, and the requests about it."""

from django.http import Http404

from qunce.assistance import personal_data as assistance_data
from qunce.care import personal_data as care_data
from qunce.consents import personal_data as consents_data
from qunce.counselling import personal_data as counselling_data
from qunce.health import personal_data as health_data
from qunce.ledger import personal_data as ledger_data
from qunce.org import personal_data as org_data
from qunce.org.access import access_for
from qunce.org.models import Person
from qunce.pledges import personal_data as pledges_data
from qunce.proposals import personal_data as proposals_data
from qunce.supplies import personal_data as supplies_data
from qunce.talents import personal_data as talents_data
from qunce.teaching import personal_data as teaching_data

from .models import RightsRequest

# In the order the page shows them: who one is, then what one did, then what one told us.
APPS = [
    org_data,
    talents_data,
    health_data,
    counselling_data,
    assistance_data,
    ledger_data,
    pledges_data,
    teaching_data,
    proposals_data,
    care_data,
    supplies_data,
    consents_data,
]


def sections_of(person):
    return [section for app in APPS for section in app.sections(person)]


def section_titles(sections):
    """{key: title} of the sections (of sections_of) a request may name."""
    return {section.key: section.title for section in sections if not section.reads}


def section_of(person, key):
    """The person's section `key`, or None (it may have gone since a request named it)."""
    return next((section for section in sections_of(person) if section.key == key), None)


# Requests about counselling go to the counselling coordinators, never to the person's unit or
# the organization department: the counselling notice promises they cannot see it.
COUNSELLING_SECTIONS = ("counselling_cases", "counselling_reads")


def audited_people(access):
    """Whose traces an admin searches in the audit log: None (everyone's) for an org admin, else
    the people of the units they administer."""
    if access.is_org_admin:
        return None
    return Person.objects.filter(access.unit_path_filter("unit__path"))


def requests_visible_to(user):
    """The person's own requests; those about counselling to the coordinators; the rest to the
    unit admins of the person's units and above, and to org admins."""
    access = access_for(user)
    requests = RightsRequest.objects.select_related("person__unit", "handled_by")
    own = requests.filter(person_id=access.person_id) if access.person_id else requests.none()
    about_counselling = requests.filter(section__in=COUNSELLING_SECTIONS)
    handled = requests.none()
    if access.is_counselling_coordinator:
        handled = about_counselling
    if access.is_org_admin:
        handled = handled | requests.exclude(section__in=COUNSELLING_SECTIONS)
    elif access.is_unit_admin:
        handled = handled | requests.exclude(section__in=COUNSELLING_SECTIONS).filter(
            access.unit_path_filter("person__unit__path")
        )
    return handled | own


def may_handle(user, request):
    """Whether `user` answers `request`: a coordinator for counselling, else an admin of the
    person's unit; never the person."""
    access = access_for(user)
    if access.person_id == request.person_id:
        return False
    if request.section in COUNSELLING_SECTIONS:
        return access.is_counselling_coordinator
    return access.administers_unit(request.person.unit)


def get_request_for_user(user, pk):
    try:
        return requests_visible_to(user).get(pk=pk)
    except (RightsRequest.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404 from exc
