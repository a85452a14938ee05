import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qunce.core.forms import add_service_errors
from qunce.org.access import Action, restrict
from qunce.talents.spreadsheet import XLSX

from . import audit, exports, selectors, services
from .forms import AuditSearchForm, HandleForm, RightsRequestForm
from .models import RightsRequest


def _own_person(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    return person


@login_required
def mine(request):
    """我的数据: everything kept about the signed-in person, who read it, and their requests."""
    person = _own_person(request)
    sections = selectors.sections_of(person)
    form = RightsRequestForm(request.POST or None, sections=selectors.section_titles(sections))
    if request.method == "POST" and form.is_valid():
        try:
            services.rights_request_submit(
                person=person, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("申请已提交，所在单位管理员办理后会通知您。"))
            return redirect("rights:mine")
    return render(
        request,
        "rights/mine.html",
        {
            "person": person,
            "sections": [section for section in sections if not section.reads],
            "reads": [section for section in sections if section.reads],
            "form": form,
            "requests": RightsRequest.objects.filter(person=person),
        },
    )


@login_required
def export_json(request):
    person = _own_person(request)
    document = exports.as_document(person, selectors.sections_of(person))
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
def export_xlsx(request):
    person = _own_person(request)
    return _xlsx(exports.as_workbook(selectors.sections_of(person)), "my-data.xlsx")


def _xlsx(data, filename):
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def requests(request):
    """The correction and deletion requests of the people this admin's units hold."""
    access = restrict(request.user, Action.HANDLE_RIGHTS_REQUESTS)
    visible = selectors.requests_visible_to(request.user).exclude(person_id=access.person_id)
    return render(
        request,
        "rights/requests.html",
        {
            "waiting": visible.filter(status=RightsRequest.Status.SUBMITTED),
            "answered": visible.exclude(status=RightsRequest.Status.SUBMITTED)[:100],
        },
    )


@login_required
def handle(request, pk):
    rights_request = selectors.get_request_for_user(request.user, pk)
    if not selectors.may_handle(request.user, rights_request):
        raise Http404
    form = HandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rights_request_handle(
                request=rights_request,
                acting_user=request.user,
                to_status=form.cleaned_data["decision"],
                reply=form.cleaned_data["reply"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已答复。"))
            return redirect("rights:requests")
    plan = selectors.section_of(rights_request.person, rights_request.section)
    return render(
        request,
        "rights/handle.html",
        {
            "rights_request": rights_request,
            "section_title": plan.title if plan else rights_request.section,
            "plan": plan,
            "form": form,
        },
    )


AUDIT_EXPORT_ROWS = 10_000


@login_required
def audit_log(request):
    """操作与访问记录: search who did or read what about whom, and export it. Org admins see
    everything; a unit's admins what concerns the people of the units they administer (a
    university's 组织部 in a province: its own people), never a counselling case's reads."""
    access = restrict(request.user, Action.READ_ACCESS_LOG)
    within = selectors.audited_people(access)
    kinds = [kind for kind in audit.KINDS if within is None or kind != "counselling"]
    form = AuditSearchForm(request.GET or None, kinds=kinds)
    rows = []
    if form.is_valid() or not request.GET:
        filters = form.filters() if request.GET else form.defaults()
        if request.GET.get("format") == "xlsx":
            rows = audit.search(**filters, limit=AUDIT_EXPORT_ROWS, within=within)
            return _xlsx(exports.audit_workbook(rows), "audit-log.xlsx")
        rows = audit.search(**filters, within=within)
    return render(
        request, "rights/audit.html", {"form": form, "rows": rows, "whole": within is None}
    )
