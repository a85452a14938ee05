from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qunce.core.actions import one_button
from qunce.core.forms import add_service_errors
from qunce.org.access import Action, access_for, may, restrict
from qunce.org.selectors import people_recorded_by

from . import selectors, services
from .forms import ActForm, RejectForm, TemplateForm
from .models import PARTY_MEMBERS, Signature


@login_required
def templates(request):
    form = TemplateForm(request.POST or None)
    if request.method == "POST":
        restrict(request.user, Action.PUBLISH_PLEDGES)
        if form.is_valid():
            try:
                template = services.pledge_template_publish(
                    acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("pledges:template", pk=template.pk)
    return render(
        request,
        "pledges/templates.html",
        {
            "templates": selectors.templates_visible_to(request.user),
            "form": form,
        },
    )


@login_required
def template(request, pk):
    pledge = selectors.get_template_for_user(request.user, pk)
    person = getattr(request.user, "person", None)
    return render(
        request,
        "pledges/template.html",
        {
            "pledge": pledge,
            "signed": Signature.objects.filter(template=pledge, person=person).first()
            if person
            else None,
            "may_sign": person is not None and person.political_status in PARTY_MEMBERS,
            "coverage": selectors.coverage(request.user, pledge)
            if may(request.user, Action.READ_UNIT_REPORTS)
            else None,
        },
    )


@login_required
@require_POST
def sign(request, pk):
    pledge = selectors.get_template_for_user(request.user, pk)
    return one_button(
        request,
        lambda: services.pledge_sign(template=pledge, acting_user=request.user),
        done=_("已签署承诺书。"),
        to="pledges:template",
        pk=pledge.pk,
    )


@login_required
def acts(request):
    access = access_for(request.user)
    members = people_recorded_by(request.user).filter(political_status__in=PARTY_MEMBERS)
    form = ActForm(request.POST or None, members=members, initial={"person": access.person_id})
    if request.method == "POST":
        if not members.exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                services.vanguard_act_record(acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已登记，单位核实后记入贡献台账。"))
                return redirect("pledges:acts")
    return render(
        request,
        "pledges/acts.html",
        {
            "form": form,
            "acts": selectors.acts_visible_to(request.user).select_related("person", "unit")[:200],
            "can_record": members.exists(),
            "reject_form": RejectForm(),
        },
    )


@login_required
@require_POST
def review(request, pk):
    act = selectors.get_act_for_user(request.user, pk)
    form = RejectForm(request.POST)
    form.is_valid()
    return one_button(
        request,
        lambda: services.vanguard_act_review(
            act=act,
            acting_user=request.user,
            verify=request.POST.get("decision") == "verify",
            reason=form.cleaned_data.get("reason", ""),
        ),
        to="pledges:acts",
    )
