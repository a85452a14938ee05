from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qunce.core.forms import add_service_errors

from . import selectors, services
from .forms import FamilyNeedForm, NoteForm


@login_required
def needs(request):
    people = selectors.frontline_people_for(request.user).select_related("unit")
    form = FamilyNeedForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.family_need_record(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已登记，本单位管理员会尽快接手。"))
            return redirect("care:detail", pk=need.pk)
    visible = selectors.needs_visible_to(request.user).select_related("person__unit", "responsible")
    return render(
        request,
        "care/needs.html",
        {"form": form, "needs": visible[:200], "can_record": people.exists()},
    )


@login_required
def detail(request, pk):
    need = selectors.get_need_for_user(request.user, pk)
    can_manage = selectors.may_manage(request.user, need)
    form = NoteForm(request.POST or None)
    if not can_manage:
        del form.fields["resolve"]  # the person writes progress; the unit decides it is solved
    if request.method == "POST" and form.is_valid():
        try:
            services.family_need_note(need=need, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("care:detail", pk=need.pk)
    return render(
        request,
        "care/detail.html",
        {
            "need": need,
            "form": form,
            "notes": need.notes.select_related("author"),
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def take(request, pk):
    need = selectors.get_need_for_user(request.user, pk)
    try:
        services.family_need_take(need=need, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("care:detail", pk=need.pk)
