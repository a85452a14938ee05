"""The person's data as one JSON document or one workbook, a sheet per section."""

import io
import re

from django.utils import timezone
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


def as_workbook(person, sections):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in sections:
        title = SHEET_TITLE_FORBIDDEN.sub("", cell_text(section.title))[:SHEET_TITLE_CHARACTERS]
        sheet = workbook.create_sheet(title)
        sheet.append([cell_text(section.kept_because)])
        sheet.append([cell_text(column) for column in section.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append([cell_text(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
