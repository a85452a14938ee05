from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from qunce.codes import selectors as code_selectors
from qunce.codes.selectors import LIAONING
from qunce.core.forms import add_service_errors
from qunce.core.ratelimit import PUBLIC_FORM_GROUP, PUBLIC_LINK_GROUP, client_address
from qunce.org import selectors as org_selectors
from qunce.org.access import Action, access_for, restrict
from qunce.talents.selectors import discipline_choices

from . import selectors, services
from .forms import (
    ConsultationForm,
    FollowUpForm,
    HelpRequestForm,
    RatingForm,
    ReasonForm,
    RequesterNoteForm,
    ResolveForm,
    RouteForm,
    TriageForm,
)
from .matching import experts_for
from .models import HelpRequest, Invitation

Status = HelpRequest.Status


# -- the public side -----------------------------------------------------------------------


@ratelimit(
    group=PUBLIC_FORM_GROUP,
    key=client_address,
    rate=lambda group, request: settings.PUBLIC_FORM_RATE,
    method="POST",
    block=True,
)
@never_cache
def request_form(request):
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            help_request, token = services.help_request_submit(**form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request,
                "assistance/submitted.html",
                {
                    "help_request": help_request,
                    "tracking_url": request.build_absolute_uri(
                        reverse("assistance:track", args=[token])
                    ),
                },
            )
    # The cascade keeps what the requester chose when the form comes back with errors.
    provinces, cities, counties = code_selectors.cascade_options(
        request.POST.get("province", LIAONING), request.POST.get("city")
    )
    return render(
        request,
        "assistance/request_form.html",
        {"form": form, "provinces": provinces, "cities": cities, "counties": counties},
    )


def region_options(request):
    """The cities (or counties) under a GB/T 2260 code, as <option>s for the cascade. The
    select that changed sends its own value under its name (no script builds the query: the
    page's policy allows none inline)."""
    parent = next(
        (request.GET[key] for key in ("parent", "city", "province") if request.GET.get(key)), ""
    )
    return render(
        request,
        "assistance/_region_options.html",
        {"regions": code_selectors.children_options(parent)},
    )


@ratelimit(
    group=PUBLIC_LINK_GROUP,
    key=client_address,
    rate=lambda group, request: settings.PUBLIC_LINK_RATE,
    method=ratelimit.ALL,
    block=True,
)
@never_cache
def track(request, token):
    help_request = selectors.get_request_by_token(token)
    note_form = RequesterNoteForm(request.POST if "text" in request.POST else None)
    rating_form = RatingForm(request.POST if "rating" in request.POST else None)
    if request.method == "POST":
        form = note_form if "text" in request.POST else rating_form
        if form.is_valid():
            try:
                if form is note_form:
                    services.requester_add_information(
                        help_request=help_request, **form.cleaned_data
                    )
                    messages.success(request, _("补充说明已送达。"))
                else:
                    services.requester_rate(help_request=help_request, **form.cleaned_data)
                    messages.success(request, _("谢谢您的评价。"))
                return redirect("assistance:track", token=token)
            except ValidationError as error:
                add_service_errors(form, error)
    return render(
        request,
        "assistance/track.html",
        {
            "help_request": help_request,
            "note_form": note_form,
            "rating_form": rating_form,
            "notes": help_request.requester_notes.all(),
            "can_rate": help_request.status in (Status.RESOLVED, Status.FOLLOWED_UP, Status.CLOSED)
            and help_request.requester_rating is None,
        },
    )


# -- the office and the experts ------------------------------------------------------------


@login_required
def request_list(request):
    requests = selectors.requests_visible_to(request.user).select_related(
        "region", "expert", "university"
    )
    status = request.GET.get("status", "")
    if status in Status.values:
        requests = requests.filter(status=status)
    page = Paginator(requests.order_by("-submitted_at"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/list.html",
        {
            "page": page,
            "status": status,
            "statuses": Status.choices,
            "sharing_universities": org_selectors.sharing_universities_for(request.user),
            "province_wide": org_selectors.has_province(),
        },
    )


@login_required
def request_detail(request, pk):
    help_request = selectors.get_request_for_user(request.user, pk)
    access = access_for(request.user)
    is_office = selectors.coordinates(request.user, help_request)
    targets = selectors.route_targets(request.user, help_request)
    is_expert = help_request.expert_id is not None and help_request.expert_id == access.person_id
    invitation = selectors.invitation_of(help_request, request.user)
    context = {
        "help_request": help_request,
        "is_office": is_office,
        "is_expert": is_expert,
        "invitation": invitation
        if invitation and invitation.status == Invitation.Status.INVITED
        else None,
        "invitations": help_request.invitations.select_related("expert__unit"),
        "consultations": help_request.consultations.all(),
        "notes": help_request.requester_notes.all(),
        "forms": {
            "triage": TriageForm(initial={"category": help_request.category}),
            "reason": ReasonForm(),
            "consult": ConsultationForm(),
            "resolve": ResolveForm(),
            "follow_up": FollowUpForm(),
            "route": RouteForm(targets=targets) if targets else None,
        },
    }
    if is_office and help_request.status in (Status.TRIAGED, Status.ACCEPTED, Status.IN_SERVICE):
        context.update(_suggestions(request, help_request))
    return render(request, "assistance/detail.html", context)


def _suggestions(request, help_request):
    """The engine's experts with their reasons, and the registry search that lets the office
    invite anyone visible to it when the engine has no one good (or not the right one)."""
    result = experts_for(help_request)
    people = {
        p.pk: p
        for p in selectors.invitable_people(request.user, help_request)
        .filter(pk__in=[int(m.expert_id) for m in result])
        .select_related("unit", "user")
    }
    find = request.GET.get("find", "")
    disciplines = discipline_choices()
    discipline = request.GET.get("discipline", "")
    if discipline not in {code for _, options in disciplines for code, _ in options}:
        discipline = ""
    if help_request.university_id is not None:
        # Across a province a college's name alone does not say which university it is in.
        universities = org_selectors.university_names(
            org_selectors.expert_sharing_paths(help_request.university)
        )
        for person in people.values():
            person.university_name = universities.get(
                org_selectors.university_path_of(person.unit.path, universities), ""
            )
    return {
        "matches": [(people[int(m.expert_id)], m) for m in result if int(m.expert_id) in people],
        "no_match_reason": result.reason,
        "find": find,
        "find_discipline": discipline,
        "disciplines": disciplines,
        "found": selectors.registry_candidates(
            request.user, help_request, find=find, discipline=discipline
        ),
        "searched": bool(find.strip() or discipline),
    }


ACTIONS = {
    # action: (form class or None, service call)
    "triage": (
        TriageForm,
        lambda r, u, d: services.help_request_triage(help_request=r, acting_user=u, **d),
    ),
    "accept": (None, lambda r, u, d: services.invitation_accept(help_request=r, acting_user=u)),
    "decline": (
        ReasonForm,
        lambda r, u, d: services.invitation_decline(help_request=r, acting_user=u, **d),
    ),
    "consult": (
        ConsultationForm,
        lambda r, u, d: services.consultation_log(help_request=r, acting_user=u, **d),
    ),
    "resolve": (
        ResolveForm,
        lambda r, u, d: services.help_request_resolve(help_request=r, acting_user=u, **d),
    ),
    "follow_up": (
        FollowUpForm,
        lambda r, u, d: services.help_request_follow_up(help_request=r, acting_user=u, **d),
    ),
    "close": (None, lambda r, u, d: services.help_request_close(help_request=r, acting_user=u)),
    "reopen": (
        ReasonForm,
        lambda r, u, d: services.help_request_reopen(help_request=r, acting_user=u, **d),
    ),
}


@login_required
@require_POST
def request_act(request, pk):
    """Every step of the workflow posts here with its `action`; the service decides if it may."""
    help_request = selectors.get_request_for_user(request.user, pk)
    action = request.POST.get("action", "")
    if action in ("invite", "reassign"):
        return _invite(request, help_request, action)
    if action == "route":
        return _route(request, help_request)
    if action not in ACTIONS:
        messages.error(request, _("未知的操作。"))
        return redirect("assistance:detail", pk=pk)
    form_class, call = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        _form_refused(request, form)
        return redirect("assistance:detail", pk=pk)
    try:
        call(help_request, request.user, form.cleaned_data if form else {})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("assistance:detail", pk=pk)


def _form_refused(request, form):
    """A step's form came back with errors: say them above the request, in one message."""
    messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))


def _route(request, help_request):
    form = RouteForm(request.POST, targets=selectors.route_targets(request.user, help_request))
    if not selectors.routing_province_paths(request.user, help_request):
        raise PermissionDenied
    if not form.is_valid():
        _form_refused(request, form)
        return redirect("assistance:detail", pk=help_request.pk)
    try:
        services.help_request_route(
            help_request=help_request, acting_user=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("已转交%(name)s，由该校组织部分类办理。")
            % {"name": form.cleaned_data["university"].name},
        )
    return redirect("assistance:detail", pk=help_request.pk)


def _invite(request, help_request, action):
    if not selectors.coordinates(request.user, help_request):
        raise PermissionDenied
    ids = [value for value in request.POST.getlist("expert") if value.isdigit()]
    experts = list(
        selectors.invitable_people(request.user, help_request)
        .filter(pk__in=ids)
        .select_related("user")
    )
    try:
        if action == "invite":
            services.help_request_invite(
                help_request=help_request, experts=experts, acting_user=request.user
            )
        else:
            services.help_request_reassign(
                help_request=help_request,
                experts=experts,
                acting_user=request.user,
                reason=request.POST.get("reason", ""),
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("assistance:detail", pk=help_request.pk)


@login_required
def report(request):
    restrict(request.user, Action.READ_REQUEST_REPORT)
    figures = selectors.report(selectors.requests_visible_to(request.user))
    return render(request, "assistance/report.html", {"figures": figures})
