"""The day's check-in sheet in the convention unit secretaries know from 2020–2022: one row a
person, non-reporters yellow, fever red, change of city orange."""

import tempfile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from qunce.talents.spreadsheet import cell_text

from .models import Checkin, Contact, HealthAlert, HealthCode, Isolation, Symptom

FILLS = {
    "missing": PatternFill("solid", fgColor="FFFF00"),
    "fever": PatternFill("solid", fgColor="FF7C80"),
    "location": PatternFill("solid", fgColor="FFC000"),
}
WIDTHS = (12, 10, 24, 13, 8, 18, 7, 28, 6, 20, 8, 16, 14, 24)


def _headers():
    return [
        _("工号"),
        _("姓名"),
        _("单位"),
        _("手机"),
        _("是否填报"),
        _("填报时间"),
        _("体温"),
        _("当前所在地"),
        _("在校"),
        _("症状"),
        _("健康码"),
        _("接触史"),
        _("隔离观察"),
        _("预警"),
    ]


def _row_values(person, checkin):
    base = [person.staff_no, person.name, person.unit.name, person.mobile]
    if checkin is None:
        return [*base, _("未填报")] + [""] * 9
    labels = dict(Symptom.choices)
    return [
        *base,
        _("已填报"),
        f"{checkin.updated_at.astimezone():%H:%M}",
        str(checkin.temperature or ""),
        checkin.region.name if checkin.region_id else "",
        {True: _("是"), False: _("否"), None: ""}[checkin.on_campus],
        "、".join(str(labels[s]) for s in checkin.symptoms),
        str(dict(HealthCode.choices).get(checkin.health_code, "")),
        str(dict(Contact.choices).get(checkin.contact, "")),
        str(dict(Isolation.choices).get(checkin.isolation, "")),
        "、".join(str(HealthAlert.Reason(r).label) for r in checkin.alert_reasons),
    ]


def day_workbook(*, people, campaign, day, title):
    """`people` in sheet order; their check-ins of `day` are read in one query."""
    people = list(people)
    checkins = {
        checkin.person_id: checkin
        for checkin in Checkin.objects.filter(
            campaign=campaign, day=day, person_id__in=[p.pk for p in people]
        ).select_related("region")
    }
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("健康打卡"))
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([cell_text(title)])
    bold = Font(bold=True)
    header = []
    for text in _headers():
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for person in people:
        checkin = checkins.get(person.pk)
        fill = None
        if checkin is None:
            fill = FILLS["missing"]
        elif checkin.fever:
            fill = FILLS["fever"]
        elif checkin.location_changed:
            fill = FILLS["location"]
        row = []
        for value in _row_values(person, checkin):
            cell = WriteOnlyCell(sheet, value=cell_text(value))
            if fill is not None:
                cell.fill = fill
            row.append(cell)
        sheet.append(row)
    sheet.append([_("图例：黄色为未填报，红色为体温异常，橙色为所在城市变化。")])
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle, list(checkins)
