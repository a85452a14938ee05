import io

from openpyxl import load_workbook

from qunce.conftest import client_for
from qunce.org.models import Person
from qunce.talents.models import ImportBatch

from .xlsx import person_row, read_rows, workbook_bytes


def test_upload_preview_and_confirm_on_the_pages(world):
    client = client_for(world, "unit_admin_a")
    response = client.post("/talents/import/", {"file": workbook_bytes([person_row("A-01")])})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/talents/import/{batch.pk}/"
    preview = client.get(response["Location"]).content.decode()
    assert "确认导入" in preview and "王新" in preview
    done = client.post(f"/talents/import/{batch.pk}/confirm/", follow=True).content.decode()
    assert "导入完成：新增 1 人" in done
    assert Person.objects.filter(staff_no="X0000001").exists()


def test_preview_shows_row_errors_and_offers_no_confirm(world):
    client = client_for(world, "unit_admin_a")
    client.post("/talents/import/", {"file": workbook_bytes([person_row("A-01", 手机="12")])})
    batch = ImportBatch.objects.get()
    page = client.get(f"/talents/import/{batch.pk}/", {"show": "error"}).content.decode()
    assert "“手机”列：请输入 11 位中国大陆手机号码。" in page
    assert "确认导入" not in page


def test_upload_form_rejects_files_that_are_not_xlsx(world):
    client = client_for(world, "org_admin")
    csv = io.BytesIO(b"a,b\n")
    csv.name = "list.csv"
    assert "请上传 .xlsx 格式" in client.post("/talents/import/", {"file": csv}).content.decode()
    fake = io.BytesIO(b"not really excel")
    fake.name = "list.xlsx"
    assert "文件内容不是 Excel" in client.post("/talents/import/", {"file": fake}).content.decode()
    empty = io.BytesIO(b"")
    empty.name = "empty.xlsx"
    assert client.post("/talents/import/", {"file": empty}).status_code == 200
    assert not ImportBatch.objects.exists()


def test_template_has_chinese_headers_an_example_and_dropdowns(world):
    response = client_for(world, "unit_admin_a").get("/talents/import/template.xlsx")
    data = b"".join(response.streaming_content)
    rows = read_rows(data)
    assert rows[0][:4] == ["工号*", "姓名*", "性别*", "单位代码*"]
    assert rows[1][1] == "李冶钢"
    workbook = load_workbook(io.BytesIO(data))
    assert len(workbook.active.data_validations.dataValidation) >= 10
    codes = workbook["代码表"]
    units = [cell.value for cell in codes["A"][1:] if cell.value]
    assert units == ["A 甲学院分党委", "A-01 甲学院第一党支部"]


def test_the_template_example_row_is_skipped_and_a_filled_row_imports(world):
    client = client_for(world, "unit_admin_a")
    data = b"".join(client.get("/talents/import/template.xlsx").streaming_content)
    as_downloaded = io.BytesIO(data)
    as_downloaded.name = "模板.xlsx"
    client.post("/talents/import/", {"file": as_downloaded})
    assert ImportBatch.objects.get().report["file_errors"] == ["文件中没有数据行。"]

    workbook = load_workbook(io.BytesIO(data))
    workbook.active["A3"] = "20200001"
    for column in "BCDH":
        workbook.active[f"{column}3"] = workbook.active[f"{column}2"].value
    filled = io.BytesIO()
    workbook.save(filled)
    filled.seek(0)
    filled.name = "填好的.xlsx"
    client.post("/talents/import/", {"file": filled})
    assert ImportBatch.objects.latest("pk").report["counts"] == {
        "new": 1,
        "changed": 0,
        "unchanged": 0,
        "error": 0,
    }
