"""The talent list as organization departments keep it: an .xlsx with Chinese headers.

One column table drives the template, the import (parse → validate → classify) and the export, so
an exported file imports back as it is."""

import datetime
import logging
import re
import tempfile
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from qunce.codes.models import Discipline, Region
from qunce.org.models import (
    Gender,
    Person,
    PoliticalStatus,
    TitleLevel,
    mobile_validator,
    qq_validator,
    staff_no_validator,
    wechat_validator,
)
from qunce.org.services import PERSON_EDITABLE_FIELDS

from .models import Availability, ContactChannel, ServiceRole, TalentProfile, volunteer_field

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
logger = logging.getLogger(__name__)
SHEET_TITLE = "人才信息"
CODES_SHEET_TITLE = "代码表"
MAX_ROWS = 50_000
YES, NO = "是", "否"
# Cells an export writes that a spreadsheet would otherwise run as a formula get this prefix;
# the import takes it off again.
FORMULA_TRIGGERS = ("=", "+", "-", "@")
NEUTRALIZER = "'"
LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")


FILE_LANGUAGE = "zh-hans"
with translation.override(FILE_LANGUAGE):
    ROLE_HEADERS = {role: str(role.label) for role in ServiceRole}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    max_length: int | None = None
    choices: tuple = ()  # (value, label) pairs; the cell holds the label
    kind: str = "text"  # text | choice | yesno | discipline | regions | unit | date
    width: int = 14

    @property
    def title(self):
        return f"{self.header}*" if self.required else self.header


def _choices(enum):
    # The file's language is Chinese whatever the user's interface language is.
    with translation.override(FILE_LANGUAGE):
        return tuple((value, str(label)) for value, label in enum.choices)


def _max(model, name):
    return model._meta.get_field(name).max_length


COLUMNS = (
    Column("staff_no", "工号", required=True, max_length=_max(Person, "staff_no"), width=12),
    Column("name", "姓名", required=True, max_length=_max(Person, "name"), width=10),
    Column("gender", "性别", required=True, kind="choice", choices=_choices(Gender), width=6),
    Column("unit", "单位代码", required=True, kind="unit", width=28),
    Column("title_level", "职称级别", kind="choice", choices=_choices(TitleLevel), width=10),
    Column("title", "职称", max_length=_max(Person, "title"), width=12),
    Column("post", "职务", max_length=_max(Person, "post")),
    Column(
        "political_status",
        "政治面貌",
        required=True,
        kind="choice",
        choices=_choices(PoliticalStatus),
        width=14,
    ),
    Column("mobile", "手机", max_length=11, width=13),
    Column("wechat_id", "微信号", max_length=_max(Person, "wechat_id")),
    Column("qq", "QQ", max_length=_max(Person, "qq"), width=12),
    Column("email", "电子邮箱", max_length=_max(Person, "email"), width=24),
    Column("discipline_1", "学科一", kind="discipline", width=22),
    Column("discipline_2", "学科二", kind="discipline", width=22),
    Column("discipline_3", "学科三", kind="discipline", width=22),
    Column(
        "research_fields", "研究领域", max_length=_max(TalentProfile, "research_fields"), width=24
    ),
    Column("keywords", "专长关键词", max_length=_max(TalentProfile, "keywords"), width=24),
    Column("summary", "简介", max_length=1000, width=30),
    Column("works", "代表性成果", max_length=3000, width=30),
    *(
        Column(volunteer_field(role), str(role.label), kind="yesno", width=8)
        for role in ServiceRole
    ),
    Column("service_regions", "服务地区代码", kind="regions", width=18),
    Column(
        "preferred_channel",
        "联系方式偏好",
        kind="choice",
        choices=_choices(ContactChannel),
        width=10,
    ),
    Column("availability", "当前状态", kind="choice", choices=_choices(Availability), width=10),
    Column("availability_from", "状态起", kind="date", width=12),
    Column("availability_until", "状态止", kind="date", width=12),
)
CHOICE_LABELS = {column.key: dict(column.choices) for column in COLUMNS if column.choices}
COLUMNS_BY_TITLE = {column.title: column for column in COLUMNS} | {
    column.header: column for column in COLUMNS
}
PERSON_KEYS = PERSON_EDITABLE_FIELDS
PROFILE_KEYS = (
    "research_fields",
    "keywords",
    "summary",
    "works",
    *(volunteer_field(role) for role in ServiceRole),
    "preferred_channel",
    "availability",
    "availability_from",
    "availability_until",
)
DEFAULTS = {
    "title_level": TitleLevel.NONE.value,
    "preferred_channel": ContactChannel.PHONE.value,
    "availability": Availability.AVAILABLE.value,
}
# The template's example row: its 工号 cell says it is an example, and the import skips it.
EXAMPLE_MARK = "示例"
EXAMPLE_ROW = {
    "staff_no": f"{EXAMPLE_MARK}（导入时跳过此行）",
    "name": "李冶钢",
    "gender": "男",
    "title_level": "正高级",
    "title": "教授",
    "post": "钢铁冶金研究所所长",
    "political_status": "中共党员",
    "mobile": "13900000000",
    "email": "20080003@example.edu.cn",
    "discipline_1": "0806 冶金工程",
    "discipline_2": "0805 材料科学与工程",
    "research_fields": "钢铁冶金、冶金过程节能",
    "keywords": "高炉炼铁、转炉炼钢、余热回收",
    "summary": "长期从事钢铁冶金工艺研究，可为钢铁企业复工复产提供工艺诊断。",
    "works": "国家重点研发计划课题：高炉低碳冶炼关键技术",
    "volunteers_technician": YES,
    "volunteers_advisor": YES,
    "service_regions": "210300、210100",
    "preferred_channel": "微信",
    "availability": "可服务",
}


# ----------------------------------------------------------------------------------- reading


@dataclass
class RowResult:
    number: int  # the spreadsheet's row number, as the user sees it
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (column header, message)
    status: str = ""  # new | changed | unchanged | error
    changed: list = field(default_factory=list)  # headers of changed columns


@dataclass
class ParsedFile:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)

    @property
    def has_errors(self):
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    def counts(self):
        counts = {"new": 0, "changed": 0, "unchanged": 0, "error": 0}
        for row in self.rows:
            counts[row.status] += 1
        return counts


class CodeBook:
    """The codes a file may use, loaded once per import rather than once per cell."""

    def __init__(self, units):
        self.units = {unit.code: unit for unit in units}
        self.disciplines = set(
            Discipline.objects.exclude(level=Discipline.Level.CATEGORY).values_list(
                "code", flat=True
            )
        )
        self.regions = set(Region.objects.values_list("code", flat=True))


def read_workbook(uploaded, codebook):
    """Parse an uploaded .xlsx into validated rows; problems with the file itself are file_errors."""
    parsed = ParsedFile()
    damaged = _("文件不是有效的 Excel（.xlsx）文件，或文件已损坏。")
    try:
        workbook = load_workbook(uploaded, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        parsed.file_errors.append(damaged)
        return parsed
    try:
        _read_sheet(workbook, codebook, parsed)
    except Exception:  # openpyxl raises many kinds of error on damaged XML inside a sound zip
        logger.warning("talent import: unreadable workbook", exc_info=True)
        parsed.rows, parsed.file_errors = [], [damaged]
    finally:
        workbook.close()
    if not parsed.rows and not parsed.file_errors:
        parsed.file_errors.append(_("文件中没有数据行。"))
    return parsed


def _read_sheet(workbook, codebook, parsed):
    sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
    rows = sheet.iter_rows()
    header_cells = next(rows, None)
    if header_cells is None:
        parsed.file_errors.append(_("文件是空的：没有表头，也没有数据。"))
        return
    positions = _read_header(header_cells, parsed)
    if parsed.file_errors:
        return
    seen_staff_numbers = {}
    for cells in rows:
        if all(cell.value in (None, "") for cell in cells):
            continue  # blank rows (often thousands, left by formatting) mean nothing
        if _is_example(cells, positions):
            continue
        if len(parsed.rows) >= MAX_ROWS:
            parsed.file_errors.append(
                _("一次最多导入 %(max)s 行，请分批导入。") % {"max": MAX_ROWS}
            )
            return
        row = _read_row(cells, positions, codebook)
        staff_no = row.values.get("staff_no")
        if staff_no in seen_staff_numbers:
            message = _("工号与第 %(row)s 行重复。") % {"row": seen_staff_numbers[staff_no]}
            row.errors.append(("工号", message))
        elif staff_no:
            seen_staff_numbers[staff_no] = row.number
        parsed.rows.append(row)


def _is_example(cells, positions):
    index = positions.get("staff_no")
    value = cells[index].value if index is not None and index < len(cells) else None
    return isinstance(value, str) and value.strip().startswith(EXAMPLE_MARK)


def _read_header(cells, parsed):
    positions = {}
    for index, cell in enumerate(cells):
        title = str(cell.value).strip() if cell.value is not None else ""
        if not title:
            continue
        column = COLUMNS_BY_TITLE.get(title)
        if column is None:
            parsed.file_errors.append(
                _("第 1 行 %(letter)s 列：未知的列名“%(title)s”。请使用导入模板的表头。")
                % {"letter": get_column_letter(index + 1), "title": title}
            )
        elif column.key in positions:
            parsed.file_errors.append(_("列“%(title)s”出现了两次。") % {"title": column.header})
        else:
            positions[column.key] = index
    missing = [
        column.header for column in COLUMNS if column.required and column.key not in positions
    ]
    if missing:
        parsed.file_errors.append(
            _("缺少必需的列：%(columns)s。请使用导入模板。") % {"columns": "、".join(missing)}
        )
    return positions


def _read_row(cells, positions, codebook):
    number = next((cell.row for cell in cells if getattr(cell, "row", None)), None)
    row = RowResult(number=number)
    discipline_codes = []
    for column in COLUMNS:
        index = positions.get(column.key)
        cell = cells[index] if index is not None and index < len(cells) else None
        if cell is not None and cell.data_type == "f":
            row.errors.append((column.header, _("单元格含公式，请改为直接填写内容。")))
            continue
        try:
            value = _clean(column, cell.value if cell is not None else None, codebook)
        except ValidationError as error:
            row.errors.append((column.header, error.messages[0]))
            continue
        if column.kind == "discipline":
            if value and value not in discipline_codes:
                discipline_codes.append(value)
        else:
            row.values[column.key] = value
    row.values["disciplines"] = sorted(discipline_codes)
    if not row.errors:
        _check_period(row)
    return row


def _clean(column, raw, codebook):
    text = _text(raw)
    if text.startswith(NEUTRALIZER) and text[1:2] in FORMULA_TRIGGERS:
        text = text[1:]
    text = normalize_newlines(text)
    if column.kind == "date":
        return _date(raw, text)
    if not text:
        if column.required:
            raise ValidationError(_("必填，不能为空。"))
        return _empty(column)
    if column.max_length and len(text) > column.max_length:
        raise ValidationError(
            _("内容过长：最多 %(max)s 个字符，实际 %(length)s 个。")
            % {"max": column.max_length, "length": len(text)}
        )
    return CLEANERS.get(column.kind, _clean_text)(column, text, codebook)


def _empty(column):
    if column.kind == "yesno":
        return False
    if column.kind == "regions":
        return []
    if column.kind == "unit":
        return None
    return DEFAULTS.get(column.key, "")


def normalize_newlines(text):
    """Browsers send \r\n, spreadsheets keep \n: store one, so a round trip changes nothing."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text(raw):
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # 工号 and phone numbers typed as numbers
    return str(raw).strip()


def _date(raw, text):
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError as error:
        raise ValidationError(_("日期格式应为 2020-02-01。")) from error


FIELD_VALIDATORS = {
    "staff_no": staff_no_validator,
    "mobile": mobile_validator,
    "qq": qq_validator,
    "wechat_id": wechat_validator,
    "email": validate_email,
}


def _clean_text(column, text, codebook):
    if column.key == "staff_no":
        text = text.upper()
    validator = FIELD_VALIDATORS.get(column.key)
    if validator is not None:
        validator(text)
    return text


def _clean_choice(column, text, codebook):
    for value, label in column.choices:
        if text in (label, value):
            return value
    labels = "、".join(label for _, label in column.choices)
    raise ValidationError(
        _("“%(text)s”不是可选值，应为：%(labels)s。") % {"text": text, "labels": labels}
    )


def _clean_yesno(column, text, codebook):
    if text in (YES, "Y", "y", "1", "√", "TRUE", "True", "true"):
        return True
    if text in (NO, "N", "n", "0", "FALSE", "False", "false"):
        return False
    raise ValidationError(_("请填写“是”或“否”。"))


def _leading_code(text):
    return text.split()[0] if text.split() else ""


def _clean_discipline(column, text, codebook):
    code = _leading_code(text)
    if code not in codebook.disciplines:
        raise ValidationError(
            _("学科代码“%(code)s”不在 2022 年学科目录的一级学科或专业学位类别中。") % {"code": code}
        )
    return code


def _clean_regions(column, text, codebook):
    codes = [code for code in LIST_SEPARATORS.split(text) if code]
    unknown = [code for code in codes if code not in codebook.regions]
    if unknown:
        raise ValidationError(
            _("地区代码不在 GB/T 2260 中：%(codes)s。") % {"codes": "、".join(unknown)}
        )
    return sorted(set(codes))


def _clean_unit(column, text, codebook):
    code = _leading_code(text)
    unit = codebook.units.get(code)
    if unit is None:
        raise ValidationError(_("单位代码“%(code)s”不存在或不在您的管理范围内。") % {"code": code})
    return unit.pk


CLEANERS = {
    "choice": _clean_choice,
    "yesno": _clean_yesno,
    "discipline": _clean_discipline,
    "regions": _clean_regions,
    "unit": _clean_unit,
}


def _check_period(row):
    start, end = row.values.get("availability_from"), row.values.get("availability_until")
    if start and end and end < start:
        row.errors.append(("状态止", _("结束日期早于开始日期。")))


# ----------------------------------------------------------------------------------- writing


def cell_text(value):
    """A value as the spreadsheet shows it, with formula triggers neutralized and the control
    characters that the file format cannot hold dropped (one odd name must not break a whole
    university's export)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith(FORMULA_TRIGGERS):
        return NEUTRALIZER + text
    return text


def export_row(person, unit_labels, discipline_labels):
    """One person as the template's columns, in order."""
    profile = getattr(person, "profile", None)
    disciplines = [d.code for d in profile.disciplines.all()] if profile else []
    values = {
        "staff_no": person.staff_no,
        "name": person.name,
        "gender": CHOICE_LABELS["gender"].get(person.gender, ""),
        "unit": unit_labels.get(person.unit_id, ""),
        "title_level": CHOICE_LABELS["title_level"].get(person.title_level, ""),
        "title": person.title,
        "post": person.post,
        "political_status": CHOICE_LABELS["political_status"].get(person.political_status, ""),
        "mobile": person.mobile,
        "wechat_id": person.wechat_id,
        "qq": person.qq,
        "email": person.email,
    }
    for number, code in enumerate(disciplines[:3], start=1):
        values[f"discipline_{number}"] = discipline_labels.get(code, code)
    if profile is not None:
        for key in PROFILE_KEYS:
            values[key] = getattr(profile, key)
        for key in ("preferred_channel", "availability"):
            values[key] = CHOICE_LABELS[key].get(getattr(profile, key), "")
        values["service_regions"] = "、".join(r.code for r in profile.service_regions.all())
    return [cell_text(values.get(column.key)) for column in COLUMNS]


def unit_label(unit):
    return f"{unit.code} {unit.name}"


def discipline_labels():
    return {
        code: f"{code} {name}"
        for code, name in Discipline.objects.exclude(level=Discipline.Level.CATEGORY).values_list(
            "code", "name"
        )
    }


HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
OPTIONAL_FILL = PatternFill("solid", fgColor="5F6B7A")


def write_export(people, units):
    """Write the people to a temporary .xlsx, row by row (memory does not grow with the count)."""
    unit_labels = {unit.pk: unit_label(unit) for unit in units}
    labels = discipline_labels()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "C2"
    sheet.append(_header_cells(sheet))
    for person in people:
        sheet.append(_text_cells(sheet, export_row(person, unit_labels, labels)))
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def _header_cells(sheet):
    cells = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL if column.required else OPTIONAL_FILL
        cells.append(cell)
    return cells


def _text_cells(sheet, values):
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text, always: never a formula, a date or a number
        cells.append(cell)
    return cells


def write_template(units):
    """The import template: headers, an example row, dropdowns from a code sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    codes = workbook.create_sheet(CODES_SHEET_TITLE)
    lists = {
        "unit": [unit_label(unit) for unit in units],
        "discipline": list(discipline_labels().values()),
        "yesno": [YES, NO],
    }
    for column in COLUMNS:
        if column.kind == "choice":
            lists[column.key] = [label for _, label in column.choices]
    list_ranges = {}
    for index, (key, options) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        codes.cell(row=1, column=index, value=key)
        for row, option in enumerate(options, start=2):
            codes.cell(row=row, column=index, value=option)
        list_ranges[key] = f"'{CODES_SHEET_TITLE}'!${letter}$2:${letter}${len(options) + 1}"
    codes.sheet_state = "hidden"

    example = dict(EXAMPLE_ROW, unit=lists["unit"][0] if lists["unit"] else "")
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.title)
        header.font = HEADER_FONT
        header.fill = HEADER_FILL if column.required else OPTIONAL_FILL
        sheet.column_dimensions[letter].width = column.width
        sheet.cell(
            row=2, column=index, value=example.get(column.key, NO if column.kind == "yesno" else "")
        )
        source = list_ranges.get(column.key) or list_ranges.get(column.kind)
        if source:
            validation = DataValidation(
                type="list", formula1=source, allow_blank=not column.required
            )
            validation.error = _("请从下拉列表中选择。")
            validation.errorTitle = column.header
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.freeze_panes = "C2"
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
