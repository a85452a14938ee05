from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from qunce.consents import selectors as consent_selectors
from qunce.consents.models import Purpose
from qunce.core.forms import add_service_errors
from qunce.core.ratelimit import PUBLIC_FORM_GROUP, PUBLIC_LINK_GROUP, client_address
from qunce.org.access import Action, may, restrict

from . import selectors, services
from .forms import AssignForm, MessageForm, RequestForm, SessionForm


@ratelimit(
    group=PUBLIC_FORM_GROUP,
    key=client_address,
    rate=lambda group, request: settings.PUBLIC_FORM_RATE,
    method="POST",
    block=True,
)
@never_cache
def ask(request):
    notice = consent_selectors.notice_current(Purpose.COUNSELLING)
    form = RequestForm(
        request.POST or None,
        notice=notice,
        initial={"consent_version": notice.version if notice else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case, token = services.counselling_request(
                requester=request.user, **form.service_values()
            )
        except ValidationError as error:
            if notice is not None and "consent_version" in getattr(error, "error_dict", {}):
                # The notice changed while the form was open: show the new one to agree to,
                # keeping what was written.
                form = RequestForm(
                    {**request.POST.dict(), "consent_version": notice.version, "consented": ""},
                    notice=notice,
                )
                form.is_valid()
                form.errors.pop("consented", None)
            add_service_errors(form, error)
        else:
            return render(
                request,
                "counselling/submitted.html",
                {
                    "case": case,
                    "hotlines": services.crisis_hotlines(),
                    "status_url": request.build_absolute_uri(
                        reverse("counselling:status", args=[token])
                    ),
                },
            )
    return render(
        request,
        "counselling/ask.html",
        {"form": form, "notice": notice, "hotlines": services.crisis_hotlines()},
    )


@ratelimit(
    group=PUBLIC_LINK_GROUP,
    key=client_address,
    rate=lambda group, request: settings.PUBLIC_LINK_RATE,
    method=ratelimit.ALL,
    block=True,
)
@never_cache
def status(request, token):
    """The requester's side, through the link: the status, and messages with the counsellor."""
    case = selectors.get_case_by_token(token)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_from_requester(case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("counselling:status", token=token)
    return render(
        request,
        "counselling/status.html",
        {
            "case": case,
            "hotlines": services.crisis_hotlines(),
            "form": form,
            "messages_": case.messages.all(),
        },
    )


@login_required
def home(request):
    access = restrict(request.user, Action.USE_COUNSELLING_DESK)
    coordinator = selectors.is_coordinator(request.user)
    my_cases = (
        list(selectors.cases_of_counsellor(request.user).only(*selectors.ROUTING_FIELDS))
        if access.is_counsellor
        else []
    )
    queue = list(selectors.routing_queue(request.user)[:200]) if coordinator else []
    services.log_list_access(cases=my_cases, user=request.user, action="list")
    services.log_list_access(cases=queue, user=request.user, action="route_list")
    return render(
        request,
        "counselling/home.html",
        {
            "my_cases": my_cases,
            "queue": queue,
            "counts": selectors.counts()
            if may(request.user, Action.READ_COUNSELLING_COUNTS)
            else None,
        },
    )


@login_required
@never_cache
def route(request, pk):
    case = selectors.get_case_for_routing(request.user, pk)
    form = AssignForm(request.POST or None, counsellors=selectors.counsellors())
    if request.method == "POST" and form.is_valid():
        try:
            services.case_assign(
                case=case, counsellor=form.cleaned_data["counsellor"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已分派。"))
            return redirect("counselling:home")
    return render(request, "counselling/route.html", {"case": case, "form": form})


@login_required
@never_cache
def case_detail(request, pk):
    case = selectors.get_case_for_counsellor(request.user, pk)
    replying = "text" in request.POST
    form = SessionForm(None if replying else (request.POST or None))
    reply = MessageForm(request.POST if replying else None)
    if request.method == "POST":
        active = reply if replying else form
        if active.is_valid():
            try:
                if replying:
                    services.message_from_counsellor(
                        case=case, acting_user=request.user, **reply.cleaned_data
                    )
                else:
                    services.case_session_log(
                        case=case, acting_user=request.user, **form.cleaned_data
                    )
            except ValidationError as error:
                add_service_errors(active, error)
            else:
                return redirect("counselling:case", pk=case.pk)
    return render(
        request,
        "counselling/case.html",
        {
            "case": case,
            "form": form,
            "reply": reply,
            "sessions": case.sessions.all(),
            "messages_": case.messages.all(),
            "hotlines": services.crisis_hotlines(),
        },
    )


@login_required
@require_POST
def case_close(request, pk):
    case = selectors.get_case_for_counsellor(request.user, pk)
    try:
        services.case_close(
            case=case, acting_user=request.user, referred=request.POST.get("referred") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("counselling:case", pk=case.pk)
