"""The workbench (工作台): what needs this person's action now, across every app, with a count
and one tap to each item.

Each app that hands out work declares it in its own `workbench.py` with `@provider`, counting
through its own "visible to this user" selectors; Django's autodiscovery finds those modules,
so the ground floor imports none of the apps above it. A provider returns only items with a
non-zero count, and costs a fixed number of queries whatever the size of the data."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

# The notice's three parts, then what is the person's own.
SECTIONS = {
    "guide": _("组织引导"),
    "roles": _("八员"),
    "care": _("关心关爱"),
    "mine": _("我的事项"),
}

_providers = []


@dataclass(frozen=True)
class Item:
    section: str
    label: str
    count: int
    url: str
    urgent: bool = False


def provider(function):
    """Register `function(user, access) -> iterable of Item` as a source of workbench items."""
    _providers.append(function)
    return function


def discover():
    autodiscover_modules("workbench")


def items_for(user, access):
    """(section title, items) in the order of SECTIONS, sections without items left out."""
    grouped = {key: [] for key in SECTIONS}
    for source in _providers:
        for item in source(user, access):
            if item.count:
                grouped[item.section].append(item)
    return [(SECTIONS[key], items) for key, items in grouped.items() if items]


def review_queue(*, section, label, records, status, person_field, recorded_by_field, url_name):
    """Declare the records an administrator may review as a workbench item: those of
    `records(user)` in `status`, except any about themselves or recorded by them (nobody
    reviews their own)."""

    @provider
    def items(user, access):
        if access.is_admin:
            waiting = (
                records(user)
                .filter(status=status)
                .exclude(**{person_field: access.person_id})
                .exclude(**{recorded_by_field: user})
            )
            yield Item(section, str(label), waiting.count(), reverse(url_name))

    return items
