import tempfile

from openpyxl import Workbook
from openpyxl.styles import Font

from qunce.talents.spreadsheet import cell_text

HEADERS = ["名次", "工号", "姓名", "单位", "职称", "政治面貌", "积分", "记录数", "一线"]


def snapshot_workbook(snapshot):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "推荐名单"
    sheet.append(
        [
            cell_text(
                f"{snapshot.get_kind_display()}（{snapshot.campaign.name}，{snapshot.unit.name}）"
            )
        ]
    )
    sheet.append([f"定稿时间 {snapshot.finalized_at:%Y-%m-%d %H:%M}　SHA-256 {snapshot.sha256}"])
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for rank, row in enumerate(snapshot.rows, start=1):
        sheet.append(
            [
                rank,
                *(
                    cell_text(row[key])
                    for key in ("staff_no", "name", "unit", "title", "political_status")
                ),
                float(row["points"]),
                row["entries"],
                "是" if row["frontline"] else "",
            ]
        )
    for letter, width in zip("ABCDEFGHI", (6, 12, 10, 28, 12, 14, 8, 8, 6), strict=True):
        sheet.column_dimensions[letter].width = width
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the response closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
