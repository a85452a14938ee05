from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qunce.org import selectors as org_selectors
from qunce.org import services as org_services
from qunce.org.access import Action, access_for, restrict
from qunce.org.models import PersonRead

from . import importing, selectors, services, spreadsheet
from .forms import ImportUploadForm, ProfileForm, registry_from_params

PREVIEW_ROWS_PER_PAGE = 100
PEOPLE_PER_PAGE = 50


@login_required
def profile_edit_own(request):
    person_id = access_for(request.user).person_id
    if person_id is None:
        raise Http404
    return _profile_edit(request, person_id)


@login_required
def profile_edit(request, pk):
    return _profile_edit(request, pk)


def _profile_edit(request, person_pk):
    profile = selectors.get_profile_for_user(request.user, person_pk, action="change")
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                profile=profile, acting_user=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("人才档案已保存。如有改动，需本单位管理员重新确认。"))
            return redirect("talents:person_detail", pk=person_pk)
    return render(request, "talents/profile_form.html", {"form": form, "profile": profile})


@login_required
@require_POST
def profile_confirm(request, pk):
    profile = selectors.get_profile_for_user(request.user, pk)
    try:
        services.profile_confirm(profile=profile, acting_user=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("已确认 %(name)s 的人才档案。") % {"name": profile.person.name})
    return redirect("talents:person_detail", pk=pk)


@login_required
def import_upload(request):
    restrict(request.user, Action.IMPORT_TALENTS)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = importing.talent_import_preview(
            uploaded=form.cleaned_data["file"], acting_user=request.user
        )
        return redirect("talents:import_preview", pk=batch.pk)
    recent = selectors.import_batches_visible_to(request.user)[:10]
    return render(request, "talents/import_upload.html", {"form": form, "recent": recent})


@login_required
def import_template(request):
    restrict(request.user, Action.IMPORT_TALENTS)
    units = org_selectors.units_administered_by(request.user).order_by("path")
    handle = spreadsheet.write_template(units)
    return FileResponse(
        handle, as_attachment=True, filename="人才信息导入模板.xlsx", content_type=spreadsheet.XLSX
    )


@login_required
def import_preview(request, pk):
    restrict(request.user, Action.IMPORT_TALENTS)
    batch = selectors.get_import_batch_for_user(request.user, pk)
    rows = batch.report.get("rows", [])
    shown = request.GET.get("show", "all")
    if shown in ("new", "changed", "unchanged", "error"):
        rows = [row for row in rows if row["status"] == shown]
    page = Paginator(rows, PREVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "talents/import_preview.html", {"batch": batch, "page": page, "shown": shown}
    )


@login_required
@require_POST
def import_confirm(request, pk):
    restrict(request.user, Action.IMPORT_TALENTS)
    batch = selectors.get_import_batch_for_user(request.user, pk)
    try:
        counts = importing.talent_import_confirm(batch=batch, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("导入完成：新增 %(new)s 人，更新 %(changed)s 人，%(unchanged)s 人无变化。") % counts,
        )
    return redirect("talents:import_preview", pk=batch.pk)


@login_required
@require_POST
def import_discard(request, pk):
    restrict(request.user, Action.IMPORT_TALENTS)
    batch = selectors.get_import_batch_for_user(request.user, pk)
    try:
        importing.talent_import_discard(batch=batch, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("talents:import_upload")


@login_required
def export(request):
    restrict(request.user, Action.READ_PEOPLE)
    people, _form = registry_from_params(request.user, request.GET)
    handle = spreadsheet.write_export(
        people.iterator(chunk_size=2000), org_selectors.units_visible_to(request.user)
    )
    filename = f"人才信息-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=spreadsheet.XLSX
    )


@login_required
def people_list(request):
    restrict(request.user, Action.READ_PEOPLE)
    people, form = registry_from_params(request.user, request.GET)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "talents/_people_rows.html" if request.htmx else "talents/people_list.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
def person_detail(request, pk):
    person = org_selectors.get_person_for_user(request.user, pk)
    org_services.person_read_log(viewer=request.user, person=person, via=PersonRead.Via.PAGE)
    profile = selectors.profile_with_details(person)
    return render(
        request,
        "talents/person_detail.html",
        {
            "person": person,
            "profile": profile,
            "can_manage": access_for(request.user).administers_unit(person.unit),
            "can_confirm": selectors.can_confirm_profile(request.user, person),
            "can_edit_profile": selectors.can_edit_profile(request.user, person),
            "needs_initial_password": person.user is not None
            and not person.user.has_usable_password(),
            "reads": org_selectors.reads_of(person)
            if person.pk == access_for(request.user).person_id
            else None,
        },
    )
