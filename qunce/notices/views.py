from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qunce.core.actions import one_button
from qunce.core.forms import add_service_errors
from qunce.org.access import Action, restrict

from . import selectors, services
from .forms import NoticeForm, ReportForm
from .pdf import notice_pdf


@login_required
def notices(request):
    visible = selectors.with_report_counts(selectors.notices_visible_to(request.user))
    return render(
        request,
        "notices/list.html",
        {"notices": visible[:200]},
    )


@login_required
def draft(request):
    restrict(request.user, Action.PUBLISH_NOTICES)
    form = NoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            notice = services.notice_draft(
                acting_user=request.user, files=values.pop("attachments"), **values
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("通知已印发，主送单位已收到消息。")
                if notice.status == "published"
                else _("草稿已保存。"),
            )
            return redirect("notices:detail", pk=notice.pk)
    return render(request, "notices/draft.html", {"form": form})


@login_required
def detail(request, pk):
    notice = selectors.get_notice_for_user(request.user, pk)
    reports = selectors.reports_visible_to(request.user).filter(notice=notice)
    reports = reports.select_related("unit", "received_by", "reported_by").prefetch_related(
        "attachments"
    )
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "attachments": notice.attachments.all(),
            "reports": reports,
            "report_form": ReportForm(),
        },
    )


@login_required
@require_POST
def publish(request, pk):
    notice = selectors.get_notice_for_user(request.user, pk)
    return one_button(
        request,
        lambda: services.notice_publish(notice=notice, acting_user=request.user),
        done=_("通知已印发，主送单位已收到消息。"),
        to="notices:detail",
        pk=notice.pk,
    )


@login_required
def pdf(request, pk):
    notice = selectors.get_notice_for_user(request.user, pk)
    response = HttpResponse(notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{notice.year}-{notice.number}.pdf"
    return response


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
@require_POST
def receive(request, pk, unit_id):
    notice = selectors.get_notice_for_user(request.user, pk)
    report = selectors.get_report_for_user(request.user, notice, unit_id)
    return one_button(
        request,
        lambda: services.report_receive(report=report, acting_user=request.user),
        done=_("已签收。"),
        to="notices:detail",
        pk=notice.pk,
    )


@login_required
def report(request, pk, unit_id):
    notice = selectors.get_notice_for_user(request.user, pk)
    unit_report = selectors.get_report_for_user(request.user, notice, unit_id)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_file(
                report=unit_report,
                acting_user=request.user,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("落实情况已报告。"))
            return redirect("notices:detail", pk=notice.pk)
    return render(
        request, "notices/report.html", {"notice": notice, "report": unit_report, "form": form}
    )


@login_required
@require_POST
def remind(request, pk):
    restrict(request.user, Action.PUBLISH_NOTICES)
    notice = selectors.get_notice_for_user(request.user, pk)
    sent = services.reports_remind(notice=notice)
    messages.success(request, _("已提醒 %(count)s 位单位管理员。") % {"count": sent})
    return redirect("notices:detail", pk=notice.pk)
