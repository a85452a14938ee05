from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qunce.core.actions import one_button
from qunce.core.forms import add_service_errors
from qunce.org.access import Action, access_for, may, restrict

from . import selectors, services
from .forms import DecisionForm, KeyProblemForm, ProgressForm, ProposalForm


@login_required
def proposals(request):
    access = access_for(request.user)
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if access.person_id is None:
            raise PermissionDenied
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                proposal = services.proposal_submit(
                    acting_user=request.user, files=values.pop("files"), **values
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("建言已提交，组织部处理后会给您反馈。"))
                return redirect("proposals:detail", pk=proposal.pk)
    visible = selectors.proposals_visible_to(request.user).select_related("author", "unit")
    return render(
        request,
        "proposals/list.html",
        {"form": form, "proposals": visible[:200], "can_submit": access.person_id is not None},
    )


@login_required
def detail(request, pk):
    proposal = selectors.get_proposal_for_user(request.user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        restrict(request.user, Action.DECIDE_PROPOSALS)
        if form.is_valid():
            try:
                services.proposal_decide(
                    proposal=proposal, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "attachments": proposal.attachments.all(),
            "form": form,
            "may_decide": may(request.user, Action.DECIDE_PROPOSALS)
            and proposal.status in ("submitted", "referred"),
        },
    )


@login_required
def attachment(request, pk):
    item = selectors.get_attachment_for_user(request.user, pk)
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )


@login_required
def key_problems(request):
    form = KeyProblemForm(request.POST or None)
    if request.method == "POST":
        restrict(request.user, Action.MANAGE_KEY_PROBLEMS)
        if form.is_valid():
            try:
                problem = services.key_problem_publish(
                    acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("proposals:key_problem", pk=problem.pk)
    return render(
        request,
        "proposals/key_problems.html",
        {
            "problems": selectors.key_problems_visible_to(request.user),
            "form": form,
        },
    )


@login_required
def key_problem(request, pk):
    problem = selectors.get_key_problem_for_user(request.user, pk)
    access = access_for(request.user)
    form = ProgressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_problem_progress(
                problem=problem, acting_user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("proposals:key_problem", pk=problem.pk)
    volunteers = problem.volunteers.select_related("person__unit").prefetch_related("notes")
    return render(
        request,
        "proposals/key_problem.html",
        {
            "problem": problem,
            "volunteers": volunteers,
            "form": form,
            "is_volunteer": any(v.person_id == access.person_id for v in volunteers),
            "can_volunteer": access.person_id is not None and problem.status == "open",
        },
    )


@login_required
@require_POST
def volunteer(request, pk):
    problem = selectors.get_key_problem_for_user(request.user, pk)
    return one_button(
        request,
        lambda: services.key_problem_volunteer(problem=problem, acting_user=request.user),
        done=_("已认领，请及时记录进展。"),
        to="proposals:key_problem",
        pk=problem.pk,
    )


@login_required
@require_POST
def close(request, pk):
    problem = selectors.get_key_problem_for_user(request.user, pk)
    solved = request.POST.get("solved") == "1"
    return one_button(
        request,
        lambda: services.key_problem_close(
            problem=problem, acting_user=request.user, solved=solved
        ),
        to="proposals:key_problem",
        pk=problem.pk,
    )
