import io
import json

from qunce.conftest import client_for
from qunce.org.models import Person
from qunce.talents.models import TalentProfile

from .xlsx import person_row, workbook_bytes


def _patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def _fields(response):
    return {error["loc"][-1] for error in response.json()["detail"]}


def test_profile_patch_sets_codes_and_roles(world):
    client = client_for(world, "unit_admin_a")
    response = _patch(
        client,
        f"/api/v1/talents/profiles/{world.person_a.pk}",
        {
            "disciplines": ["0806", "0856"],
            "volunteered_roles": ["technician", "caring"],
            "service_regions": ["210300"],
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["disciplines"] == ["0806", "0856"]
    assert body["volunteered_roles"] == ["technician", "caring"]
    assert body["service_regions"] == ["210300"]


def test_profile_patch_names_bad_codes_and_too_many_disciplines(world):
    client = client_for(world, "org_admin")
    url = f"/api/v1/talents/profiles/{world.person_a.pk}"
    unknown = _patch(client, url, {"disciplines": ["0806", "9999"]})
    assert unknown.status_code == 422 and _fields(unknown) == {"disciplines"}
    too_many = _patch(client, url, {"disciplines": ["0806", "0805", "0812", "0701"]})
    assert too_many.status_code == 422 and _fields(too_many) == {"disciplines"}
    bad_role = _patch(client, url, {"volunteered_roles": ["hero"]})
    assert bad_role.status_code == 422
    reversed_period = _patch(
        client, url, {"availability_from": "2020-02-10", "availability_until": "2020-02-01"}
    )
    assert reversed_period.status_code == 422
    assert not TalentProfile.objects.filter(
        person=world.person_a, availability_from__isnull=False
    ).exists()


def test_upload_preview_and_confirm_through_the_api(world):
    client = client_for(world, "unit_admin_a")
    uploaded = client.post(
        "/api/v1/talents/imports", {"file": workbook_bytes([person_row("A-01")])}
    )
    assert uploaded.status_code == 201
    batch = uploaded.json()
    assert batch["counts"]["new"] == 1
    assert batch["rows"][0]["status"] == "new"
    confirmed = client.post(f"/api/v1/talents/imports/{batch['id']}/confirm")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "applied"
    assert Person.objects.filter(staff_no="X0000001").exists()
    again = client.post(f"/api/v1/talents/imports/{batch['id']}/confirm")
    assert again.status_code == 422


def test_upload_of_a_non_excel_file_is_a_422_on_file(world):
    fake = io.BytesIO(b"name,staff_no\n")
    fake.name = "list.csv"
    response = client_for(world, "org_admin").post("/api/v1/talents/imports", {"file": fake})
    assert response.status_code == 422
    assert _fields(response) == {"file"}


def test_confirming_a_file_with_errors_is_a_422_and_writes_nothing(world):
    client = client_for(world, "org_admin")
    batch = client.post(
        "/api/v1/talents/imports", {"file": workbook_bytes([person_row("A-01", 手机="1")])}
    ).json()
    assert batch["counts"]["error"] == 1
    response = client.post(f"/api/v1/talents/imports/{batch['id']}/confirm")
    assert response.status_code == 422
    assert not Person.objects.filter(staff_no="X0000001").exists()


def test_api_profile_list_filters_by_keyword(world):
    client = client_for(world, "org_admin")
    _patch(client, f"/api/v1/talents/profiles/{world.person_a.pk}", {"keywords": "余热回收"})
    listed = client.get("/api/v1/talents/profiles", {"keyword": "余热"}).json()
    assert [item["name"] for item in listed["items"]] == ["甲某"]


def test_explicit_nulls_in_a_profile_patch_are_422_not_500(world):
    client = client_for(world, "org_admin")
    url = f"/api/v1/talents/profiles/{world.person_a.pk}"
    for body in ({"research_fields": None}, {"volunteered_roles": None}, {"disciplines": None}):
        response = client.patch(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 422, body


def test_explicit_null_in_a_person_patch_is_422(world):
    response = client_for(world, "org_admin").patch(
        f"/api/v1/people/{world.person_a.pk}",
        json.dumps({"name": None}),
        content_type="application/json",
    )
    assert response.status_code == 422


def test_the_api_refuses_a_category_as_a_discipline_and_regions_outside_liaoning(world):
    client = client_for(world, "org_admin")
    url = f"/api/v1/talents/profiles/{world.person_a.pk}"
    for body in ({"disciplines": ["08"]}, {"service_regions": ["110000"]}):
        response = client.patch(url, json.dumps(body), content_type="application/json")
        assert response.status_code == 422, body
