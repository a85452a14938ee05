"""Build .xlsx files for import tests."""

import io

from openpyxl import Workbook, load_workbook

from qunce.talents.spreadsheet import COLUMNS, SHEET_TITLE


def workbook_bytes(rows, headers=None, blank_rows=0):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    headers = headers or [column.title for column in COLUMNS]
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header.rstrip("*"), "") for header in headers])
    for offset in range(blank_rows):
        # Formatted but empty rows, as spreadsheets leave them.
        sheet.cell(row=len(rows) + 2 + offset, column=1).number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "人才.xlsx"
    return buffer


def person_row(unit_code, **overrides):
    row = {
        "工号": "X0000001",
        "姓名": "王新",
        "性别": "男",
        "单位代码": unit_code,
        "职称级别": "副高级",
        "职称": "副教授",
        "政治面貌": "中共党员",
        "手机": "13912345678",
        "学科一": "0806 冶金工程",
        "专长关键词": "高炉炼铁、余热回收",
        "技术员": "是",
        "服务地区代码": "210300",
    }
    row.update(overrides)
    return row


def read_rows(data):
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
