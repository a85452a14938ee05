"""The report as an Excel workbook: the unit × role pivot, the help requests behind it, and one
row per person. Written in openpyxl's write-only mode from iterated queries, so a university of
30,000 costs the same memory as a faculty of 300."""

import tempfile
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from qunce.assistance.models import HelpRequest
from qunce.org.models import Person, ServiceRole
from qunce.talents.spreadsheet import cell_text

from .selectors import checkins_in, entries_in

BOLD = Font(bold=True)
PEOPLE_CHUNK = 2000


def _cell(sheet, value, bold=False):
    # Numbers stay numbers, so the department can sum them; text is neutralized.
    if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
        value = cell_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = BOLD
    return cell


def _append(sheet, values, bold=False):
    sheet.append([_cell(sheet, value, bold) for value in values])


def pivot_headers():
    return [
        _("单位"),
        _("人数"),
        _("打卡率（%）"),
        *[label for _role, label in ServiceRole.choices],
        _("台账条目合计"),
        _("积分合计"),
        _("解决求助"),
        _("通知应报告"),
        _("通知已报告"),
        _("一线人员"),
        _("解决后顾之忧"),
    ]


def pivot_values(row):
    return [
        row.label,
        row.people,
        "" if row.compliance is None else row.compliance,
        *[row.roles.get(role, 0) for role in ServiceRole.values],
        row.entries,
        row.points,
        row.requests_resolved,
        row.notices_due,
        row.notices_reported,
        row.frontline,
        row.family_resolved,
    ]


def report_workbook(report):
    """A temporary file holding the workbook; the response streams and closes it."""
    workbook = Workbook(write_only=True)
    _pivot_sheet(workbook, report)
    _requests_sheet(workbook, report)
    _people_sheet(workbook, report)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def title_of(report):
    return _("%(unit)s · %(campaign)s · %(first)s 至 %(last)s") % {
        "unit": report.scope.name,
        "campaign": report.campaign.name,
        "first": report.date_from.isoformat(),
        "last": report.date_to.isoformat(),
    }


def _pivot_sheet(workbook, report):
    sheet = workbook.create_sheet(_("单位×角色"))
    sheet.column_dimensions["A"].width = 28
    _append(sheet, [title_of(report)], bold=True)
    _append(sheet, pivot_headers(), bold=True)
    for row in report.rows:
        _append(sheet, pivot_values(row))
    _append(sheet, [_("合计"), *pivot_values(report.total)[1:]], bold=True)
    _append(
        sheet,
        [
            _(
                "打卡率 = 实际打卡人次 ÷（现有人数 × 应打卡 %(days)s 天，自范围内首次有人打卡之日起计）；台账为已核实条目。"
            )
            % {"days": report.checkin_days}
        ],
    )


def _requests_sheet(workbook, report):
    sheet = workbook.create_sheet(_("技术服务求助"))
    _append(
        sheet,
        [
            _("编号"),
            _("提交日期"),
            _("求助方类型"),
            _("类别"),
            _("行业"),
            _("地区"),
            _("紧急程度"),
            _("状态"),
            _("专家"),
            _("专家单位"),
            _("解决日期"),
            _("回访满意度"),
        ],
        bold=True,
    )
    requests = (
        HelpRequest.objects.filter(
            campaign=report.campaign,
            submitted_at__date__range=(report.date_from, report.date_to),
        )
        .select_related("industry", "region", "expert__unit")
        .order_by("submitted_at", "pk")
    )
    # A unit's report holds the requests its own experts served; the university's, all.
    if report.scope.depth > 1:
        requests = requests.filter(expert__unit__path__startswith=report.scope.path)
    for request in requests.iterator(chunk_size=PEOPLE_CHUNK):
        _append(
            sheet,
            [
                request.pk,
                timezone.localtime(request.submitted_at).date(),
                request.get_requester_type_display(),
                request.get_category_display(),
                request.industry.name if request.industry_id else "",
                request.region.name if request.region_id else "",
                request.get_urgency_display(),
                request.get_status_display(),
                request.expert.name if request.expert_id else "",
                request.expert.unit.name if request.expert_id else "",
                timezone.localtime(request.resolved_at).date() if request.resolved_at else "",
                request.followup_satisfaction or "",
            ],
        )


def _people_sheet(workbook, report):
    sheet = workbook.create_sheet(_("人员明细"))
    _append(
        sheet,
        [_("工号"), _("姓名"), _("单位"), _("打卡天数"), _("应打卡天数"), _("台账条目"), _("积分")],
        bold=True,
    )
    span = {
        "scope": report.scope,
        "campaign": report.campaign,
        "date_from": report.date_from,
        "date_to": report.date_to,
    }
    checkins = dict(checkins_in(**span).order_by().values_list("person_id").annotate(n=Count("pk")))
    entries = {
        person: (n, points)
        for person, n, points in entries_in(**span)
        .order_by()
        .values_list("person_id")
        .annotate(n=Count("pk"), points=Sum("points"))
    }
    people = (
        Person.objects.filter(unit__path__startswith=report.scope.path)
        .order_by("unit__path", "staff_no")
        .values_list("pk", "staff_no", "name", "unit__name")
    )
    for pk, staff_no, name, unit_name in people.iterator(chunk_size=PEOPLE_CHUNK):
        n, points = entries.get(pk, (0, 0))
        _append(
            sheet,
            [
                staff_no,
                name,
                unit_name,
                checkins.get(pk, 0),
                report.checkin_days,
                n,
                round(float(points or 0), 2),
            ],
        )
