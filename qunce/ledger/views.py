from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qunce.core.forms import add_service_errors
from qunce.org import selectors as org_selectors
from qunce.org.access import Action, access_for, may, restrict
from qunce.talents import spreadsheet as xlsx

from . import exports, selectors, services
from .forms import (
    ClaimForm,
    CommendationForm,
    FrontlineForm,
    RecommendationFilterForm,
    ReviewForm,
    RuleSetForm,
)
from .models import Claim, RuleSet


@login_required
def ledger_home(request):
    entries = selectors.entries_visible_to(request.user).select_related("person__unit", "campaign")
    page = Paginator(entries.order_by("-seq"), 50).get_page(request.GET.get("page"))
    claims = selectors.claims_visible_to(request.user).select_related("person")
    pending = claims.filter(status=Claim.Status.SUBMITTED)
    mine = claims.filter(person_id=access_for(request.user).person_id).order_by("-submitted_at")[
        :20
    ]
    return render(
        request, "ledger/home.html", {"page": page, "pending": pending[:50], "mine": mine}
    )


@login_required
def claim_new(request):
    person_id = access_for(request.user).person_id
    if person_id is None:
        raise Http404
    person = org_selectors.get_person_for_user(request.user, person_id)
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        values = {key: value for key, value in form.cleaned_data.items() if key != "evidence"}
        try:
            claim = services.claim_submit(
                person=person,
                acting_user=request.user,
                files=form.cleaned_data["evidence"],
                **values,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已提交，等待本单位管理员审核。"))
            return redirect("ledger:claim_detail", pk=claim.pk)
    return render(request, "ledger/claim_form.html", {"form": form})


@login_required
def claim_detail(request, pk):
    claim = selectors.get_claim_for_user(request.user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "verify":
                services.claim_verify(claim=claim, acting_user=request.user)
                messages.success(request, _("已核实并记入台账。"))
            else:
                services.claim_reject(
                    claim=claim, acting_user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("已退回。"))
            return redirect("ledger:claim_detail", pk=claim.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    can_review = access_for(request.user).administers_unit(claim.person.unit)
    return render(
        request,
        "ledger/claim_detail.html",
        {"claim": claim, "form": form, "can_review": can_review, "evidence": claim.evidence.all()},
    )


@login_required
def evidence_download(request, pk):
    evidence = selectors.get_evidence_for_user(request.user, pk)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@login_required
def rules(request):
    current = selectors.ruleset_in_force()
    can_change = may(request.user, Action.SET_LEDGER_RULES)
    form = RuleSetForm(request.POST or None, current=current) if can_change else None
    if request.method == "POST":
        restrict(request.user, Action.SET_LEDGER_RULES)
        if form.is_valid():
            try:
                services.ruleset_create(
                    acting_user=request.user,
                    role_rules=form.role_rules(),
                    **{
                        key: form.cleaned_data[key]
                        for key in ("frontline_multiplier", "monthly_cap", "note")
                    },
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("新规则已生效；已记录的积分不变。"))
                return redirect("ledger:rules")
    history = RuleSet.objects.prefetch_related("role_rules")[:20]
    return render(
        request, "ledger/rules.html", {"current": current, "form": form, "history": history}
    )


@login_required
def frontline(request):
    restrict(request.user, Action.REGISTER_FRONTLINE)
    form = FrontlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = (
            org_selectors.people_visible_to(request.user)
            .filter(staff_no=form.cleaned_data["staff_no"])
            .select_related("unit")
            .first()
        )
        if person is None:
            form.add_error("staff_no", _("工号不存在或不在您的管理范围内。"))
        else:
            values = {
                key: form.cleaned_data[key]
                for key in ("campaign", "starts_on", "ends_on", "description")
            }
            try:
                services.frontline_record(person=person, acting_user=request.user, **values)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已认定 %(name)s 在一线服务。") % {"name": person.name})
                return redirect("ledger:frontline")
    services_list = selectors.frontline_visible_to(request.user).select_related(
        "person__unit", "campaign"
    )[:200]
    return render(request, "ledger/frontline.html", {"form": form, "services": services_list})


@login_required
def recommendations(request):
    restrict(request.user, Action.READ_UNIT_REPORTS)
    units = org_selectors.units_administered_by(request.user).order_by("path")
    form = RecommendationFilterForm(request.GET or None, units=units)
    rows, behind = [], {}
    if form.is_bound and form.is_valid():
        rows = selectors.recommendation_list(**form.cleaned_data)
        behind = selectors.entries_behind(rows[:100], form.cleaned_data["campaign"])
        for row in rows[:100]:
            row["behind"] = behind.get(row["person"], [])
    if request.method == "POST":
        if not form.is_valid():
            raise PermissionDenied
        snapshot = services.recommendation_finalize(acting_user=request.user, **form.cleaned_data)
        return redirect("ledger:snapshot", pk=snapshot.pk)
    snapshots = selectors.snapshots_visible_to(request.user).select_related("campaign", "unit")[:20]
    return render(
        request,
        "ledger/recommendations.html",
        {
            "form": form,
            "rows": rows[:100],
            "total": len(rows),
            "snapshots": snapshots,
        },
    )


@login_required
def snapshot(request, pk):
    snap = selectors.get_snapshot_for_user(request.user, pk)
    return render(request, "ledger/snapshot.html", {"snapshot": snap})


@login_required
def snapshot_xlsx(request, pk):
    snap = selectors.get_snapshot_for_user(request.user, pk)
    return FileResponse(
        exports.snapshot_workbook(snap),
        as_attachment=True,
        filename=f"推荐名单-{snap.pk}.xlsx",
        content_type=xlsx.XLSX,
    )


@login_required
def commendations(request):
    restrict(request.user, Action.RECOMMEND_COMMENDATIONS)
    form = CommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        staff_no = values.pop("staff_no").strip().upper()
        person = None
        if staff_no:
            person = org_selectors.people_visible_to(request.user).filter(staff_no=staff_no).first()
            if person is None:
                form.add_error("staff_no", _("工号不存在或不在您的管理范围内。"))
        if not form.errors:
            entries = (
                selectors.effective_entries().filter(person=person, campaign=values["campaign"])
                if person
                else selectors.effective_entries().filter(team_name=values["team_name"])
            )
            try:
                services.commendation_propose(
                    acting_user=request.user, person=person, entries=list(entries), **values
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("已提交组织部审批。"))
                return redirect("ledger:commendations")
    listed = selectors.commendations_visible_to(request.user).select_related(
        "person__unit", "campaign"
    )
    return render(
        request,
        "ledger/commendations.html",
        {
            "form": form,
            "commendations": listed[:200],
        },
    )


@login_required
@require_POST
def commendation_decide(request, pk):
    commendation = selectors.commendations_visible_to(request.user).filter(pk=pk).first()
    if commendation is None:
        raise Http404
    try:
        services.commendation_decide(
            commendation=commendation,
            acting_user=request.user,
            approve=request.POST.get("decision") == "approve",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("ledger:commendations")


def public_commendations(request):
    """Commended people and teams with their stories: no login needed."""
    return render(
        request,
        "ledger/public_commendations.html",
        {"commendations": selectors.public_commendations()},
    )


def public_commendation(request, pk):
    commendation = selectors.public_commendations().filter(pk=pk).first()
    if commendation is None:
        raise Http404
    return render(request, "ledger/public_commendation.html", {"commendation": commendation})
