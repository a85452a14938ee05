import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from qunce.core.replicas import reads_from_replica
from qunce.org.access import Action, restrict
from qunce.org.models import ServiceRole
from qunce.org.selectors import units_administered_by
from qunce.talents.spreadsheet import XLSX

from . import exports, pdf, selectors
from .forms import ReportForm, default_params


def _report_from(request):
    """(form, report or None) for the query string, within the units the user administers."""
    restrict(request.user, Action.READ_UNIT_REPORTS)
    units = units_administered_by(request.user)
    data = request.GET if "campaign" in request.GET else default_params()
    form = ReportForm(data, units=units)
    if not form.is_valid():
        return form, None
    return form, selectors.unit_report(
        scope=form.cleaned_data["unit"],
        campaign=form.cleaned_data["campaign"],
        date_from=form.cleaned_data["date_from"],
        date_to=form.cleaned_data["date_to"],
    )


@login_required
@reads_from_replica
def home(request):
    form, report = _report_from(request)
    context = {"form": form, "report": report}
    if report is not None:
        params = {
            "campaign": report.campaign.pk,
            "unit": report.scope.pk,
            "date_from": report.date_from.isoformat(),
            "date_to": report.date_to.isoformat(),
        }
        context |= {
            # The form shows the range the report covers, filled in where it was left empty.
            "form": ReportForm(params, units=form.fields["unit"].queryset),
            "query": urlencode(params),
            "roles": ServiceRole.choices,
            "chart": _chart_data(report),
            # A bar for each unit, whatever their number.
            "chart_height": 70 + 26 * len(report.rows),
            "rankings": _rankings(report),
        }
    return render(request, "reports/home.html", context)


def _rankings(report):
    """(title, [(unit, figure)], in per cent, what an empty list means) for the rankings."""
    return [
        (title, [(row.label, getattr(row, attribute)) for row in report.ranking(attribute)], *rest)
        for title, attribute, *rest in (
            (_("打卡率排名"), "compliance", True, _("本行动该时段没有健康打卡。")),
            (_("台账条目排名"), "entries", False, _("该时段没有已核实的台账条目。")),
            (_("解决求助排名"), "requests_resolved", False, _("该时段没有解决的求助。")),
            (_("通知报告率排名"), "notice_rate", True, _("该时段没有要求报告的通知。")),
        )
    ]


def _chart_data(report):
    units = [row for row in report.rows if row.unit]
    return {
        "units": [row.label for row in units],
        "compliance": [row.compliance for row in units],
        "roles": [
            {"name": str(label), "data": [row.roles.get(role, 0) for row in units]}
            for role, label in ServiceRole.choices
        ],
    }


def _report_file(request, make_file):
    """The report of the query string as a file (`make_file(report)` -> FileResponse), or the
    page with its form's errors and a 400."""
    form, report = _report_from(request)
    if report is None:
        return render(request, "reports/home.html", {"form": form, "report": None}, status=400)
    return make_file(report)


@login_required
@reads_from_replica
def export(request):
    return _report_file(
        request,
        lambda report: FileResponse(
            exports.report_workbook(report),
            as_attachment=True,
            filename=f"工作报表-{report.scope.name}-{report.date_from:%Y%m%d}-"
            f"{report.date_to:%Y%m%d}.xlsx",
            content_type=XLSX,
        ),
    )


@login_required
@reads_from_replica
def situation_pdf(request):
    return _report_file(
        request,
        lambda report: FileResponse(
            io.BytesIO(pdf.report_pdf(report)),
            filename=f"情况报告-{report.scope.name}-{report.date_to:%Y%m%d}.pdf",
            content_type="application/pdf",
        ),
    )
