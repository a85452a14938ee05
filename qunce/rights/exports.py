"""The person's data as one JSON document or one workbook, a sheet per section."""

import io
import re

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from qunce.talents.spreadsheet import cell_text

SHEET_TITLE_CHARACTERS = 31  # Excel's limit
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def as_document(person, sections):
    return {
        "person": {"staff_no": person.staff_no, "name": person.name},
        "exported_at": timezone.localtime().isoformat(),
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "kept_because": section.kept_because,
                "records": [dict(zip(section.columns, row, strict=True)) for row in section.rows],
            }
            for section in sections
        ],
    }


def as_workbook(sections):
    """A sheet per section: why it is kept, then its table."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in sections:
        _table(workbook, section.title, section.columns, section.rows, note=section.kept_because)
    return _bytes(workbook)


def audit_workbook(rows):
    """The audit search's rows (rights.audit.Row), times in Asia/Shanghai."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _table(
        workbook,
        _("操作与访问记录"),
        [_("时间"), _("类别"), _("操作人/查看人"), _("涉及"), _("操作"), _("详情")],
        (
            [
                timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                row.kind_label,
                row.who,
                row.whom,
                row.what,
                row.detail,
            ]
            for row in rows
        ),
    )
    return _bytes(workbook)


def _table(workbook, title, header, rows, note=None):
    """One sheet: an optional note line, a bold header, the rows; every cell as text the file
    format can hold."""
    sheet = workbook.create_sheet(
        SHEET_TITLE_FORBIDDEN.sub("", cell_text(title))[:SHEET_TITLE_CHARACTERS]
    )
    if note is not None:
        sheet.append([cell_text(note)])
    sheet.append([cell_text(column) for column in header])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([cell_text(value) for value in row])


def _bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
