from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from qunce.accounts import services as account_services
from qunce.talents import selectors as talent_selectors
from qunce.talents.forms import registry_from_params

from . import selectors
from .access import access_for

PEOPLE_PER_PAGE = 50


def _require_admin(user):
    if not access_for(user).is_admin:
        raise PermissionDenied


@login_required
def unit_tree(request):
    _require_admin(request.user)
    units = selectors.unit_tree_with_counts(request.user)
    top_depth = min((unit.depth for unit in units), default=1)
    for unit in units:
        unit.indent = unit.depth - top_depth
    return render(request, "org/unit_tree.html", {"units": units})


@login_required
def people_list(request):
    _require_admin(request.user)
    people, form = registry_from_params(request.user, request.GET)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "org/_people_rows.html" if request.htmx else "org/people_list.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
def person_detail(request, pk):
    person = selectors.get_person_for_user(request.user, pk)
    profile = talent_selectors.profile_with_details(person)
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "profile": profile,
            "can_manage": access_for(request.user).administers_unit(person.unit),
            "can_edit_profile": talent_selectors.can_edit_profile(request.user, person),
            "needs_initial_password": person.user is not None
            and not person.user.has_usable_password(),
        },
    )


@login_required
@require_POST
@never_cache  # the page shows a one-time password
def person_account_create(request, pk):
    person = selectors.get_person_for_user(request.user, pk, action="change")
    try:
        user, password = account_services.account_create_for_person(
            person=person, acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("org:person_detail", pk=person.pk)
    return render(
        request,
        "org/account_created.html",
        {"person": person, "account": user, "password": password},
    )


@login_required
@require_POST
@never_cache  # the page shows a one-time password
def person_initial_password(request, pk):
    person = selectors.get_person_for_user(request.user, pk, action="change")
    try:
        password = account_services.account_issue_initial_password(
            person=person, acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("org:person_detail", pk=person.pk)
    return render(
        request,
        "org/account_created.html",
        {"person": person, "account": person.user, "password": password},
    )
