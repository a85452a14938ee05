import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from qunce.core.forms import add_service_errors
from qunce.org.access import access_for
from qunce.talents.spreadsheet import XLSX, cell_text

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
    form = RightsRequestForm(request.POST or None, sections=selectors.section_titles(person))
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
    response = HttpResponse(
        exports.as_workbook(person, selectors.sections_of(person)), content_type=XLSX
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.xlsx"'
    return response


@login_required
def requests(request):
    """The correction and deletion requests of the people this admin's units hold."""
    access = access_for(request.user)
    if not (access.is_admin or access.is_counselling_coordinator):
        raise PermissionDenied
    visible = selectors.requests_visible_to(request.user).exclude(
        person_id=access_for(request.user).person_id
    )
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
    titles = selectors.section_titles(rights_request.person)
    return render(
        request,
        "rights/handle.html",
        {
            "rights_request": rights_request,
            "section_title": titles.get(rights_request.section, rights_request.section),
            "plan": next(
                (
                    s
                    for s in selectors.sections_of(rights_request.person)
                    if s.key == rights_request.section
                ),
                None,
            ),
            "form": form,
        },
    )


AUDIT_EXPORT_ROWS = 10_000


@login_required
def audit_log(request):
    """操作与访问记录 (org admins): search who did or read what about whom, and export it."""
    if not access_for(request.user).is_org_admin:
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    rows = []
    if form.is_valid() or not request.GET:
        filters = form.filters() if request.GET else AuditSearchForm.defaults()
        if request.GET.get("format") == "xlsx":
            return _audit_workbook(audit.search(**filters, limit=AUDIT_EXPORT_ROWS))
        rows = audit.search(**filters)
    return render(request, "rights/audit.html", {"form": form, "rows": rows})


def _audit_workbook(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("操作与访问记录")
    sheet.append([_("时间"), _("类别"), _("操作人/查看人"), _("涉及"), _("操作"), _("详情")])
    for row in rows:
        sheet.append(
            [
                cell_text(timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S")),
                cell_text(row.kind_label),
                cell_text(row.who),
                cell_text(row.whom),
                cell_text(row.what),
                cell_text(row.detail),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="audit-log.xlsx"'
    return response
