import json

from qunce.conftest import client_for
from qunce.core.models import AuditEvent
from qunce.org.models import Person, Unit


def _send(client, method, url, body):
    payload = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, payload, content_type="application/json")


def _fields(response):
    return {tuple(error["loc"])[-1] for error in response.json()["detail"]}


def _new_person(world, **overrides):
    return {
        "staff_no": "N0000001",
        "name": "新人",
        "gender": "female",
        "unit_id": world.branch_a.pk,
        "political_status": "masses",
        **overrides,
    }


def test_unit_admin_lists_only_own_subtree_units_with_parent_ids(world):
    body = client_for(world, "unit_admin_a").get("/api/v1/units").json()
    assert body["count"] == 2
    by_code = {unit["code"]: unit for unit in body["items"]}
    assert by_code["A-01"]["parent_id"] == world.unit_a.pk
    assert by_code["A"]["parent_id"] == world.root.pk


def test_people_list_is_the_same_visibility_as_the_page(world):
    names = {
        person["name"]
        for person in client_for(world, "unit_admin_b").get("/api/v1/people").json()["items"]
    }
    assert "乙某" in names
    assert "甲某" not in names


def test_people_list_filters(world):
    client = client_for(world, "org_admin")
    assert client.get("/api/v1/people", {"q": "甲某"}).json()["count"] == 1
    in_b = client.get("/api/v1/people", {"unit_id": world.unit_b.pk}).json()
    assert {p["name"] for p in in_b["items"]} == {"unit_admin_b本人", "counsellor本人", "乙某"}


def test_people_list_filter_on_invisible_unit_is_404(world):
    response = client_for(world, "unit_admin_a").get("/api/v1/people", {"unit_id": world.unit_b.pk})
    assert response.status_code == 404


def test_create_person_writes_an_audit_row(world):
    response = _send(
        client_for(world, "unit_admin_a"), "post", "/api/v1/people", _new_person(world)
    )
    assert response.status_code == 201
    person = Person.objects.get(staff_no="N0000001")
    assert response.json()["unit_name"] == "甲学院第一党支部"
    assert AuditEvent.objects.filter(action="person_create", target_id=str(person.pk)).exists()


def test_malformed_json_is_a_422_naming_the_body(world):
    response = _send(client_for(world, "org_admin"), "post", "/api/v1/people", "{not json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]
    assert not Person.objects.filter(name="新人").exists()


def test_missing_and_wrongly_typed_fields_are_named(world):
    client = client_for(world, "org_admin")
    response = _send(client, "post", "/api/v1/people", {"name": "缺字段", "unit_id": "abc"})
    assert response.status_code == 422
    assert {"staff_no", "gender", "unit_id", "political_status"} <= _fields(response)


def test_bad_choice_and_bad_mobile_are_named_and_nothing_is_written(world):
    client = client_for(world, "org_admin")
    bad_choice = _send(client, "post", "/api/v1/people", _new_person(world, gender="x"))
    assert bad_choice.status_code == 422
    assert _fields(bad_choice) == {"gender"}
    bad_mobile = _send(client, "post", "/api/v1/people", _new_person(world, mobile="12345"))
    assert bad_mobile.status_code == 422
    assert _fields(bad_mobile) == {"mobile"}
    assert "手机号码" in bad_mobile.json()["detail"][0]["msg"]
    assert not Person.objects.filter(staff_no="N0000001").exists()


def test_duplicate_staff_no_is_a_422_on_staff_no(world):
    response = _send(
        client_for(world, "org_admin"),
        "post",
        "/api/v1/people",
        _new_person(world, staff_no=world.person_a.staff_no),
    )
    assert response.status_code == 422
    assert _fields(response) == {"staff_no"}


def test_too_long_text_is_named(world):
    response = _send(
        client_for(world, "org_admin"), "post", "/api/v1/people", _new_person(world, name="长" * 51)
    )
    assert response.status_code == 422
    assert _fields(response) == {"name"}


def test_unit_admin_cannot_move_person_out_of_scope(world):
    response = _send(
        client_for(world, "unit_admin_a"),
        "patch",
        f"/api/v1/people/{world.person_a.pk}",
        {"unit_id": world.branch_b.pk},
    )
    assert response.status_code == 422
    assert _fields(response) == {"unit_id"}
    world.person_a.refresh_from_db()
    assert world.person_a.unit == world.branch_a


def test_org_admin_moves_person_and_the_change_is_audited(world):
    response = _send(
        client_for(world, "org_admin"),
        "patch",
        f"/api/v1/people/{world.person_a.pk}",
        {"unit_id": world.branch_b.pk},
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="person_update", target_id=str(world.person_a.pk))
    assert event.changes == {"unit": [world.branch_a.pk, world.branch_b.pk]}


def test_patch_that_changes_nothing_writes_no_audit_row(world):
    client = client_for(world, "org_admin")
    _send(client, "patch", f"/api/v1/people/{world.person_a.pk}", {"name": world.person_a.name})
    assert not AuditEvent.objects.filter(action="person_update").exists()


def test_create_unit_under_own_subtree_and_bad_code_is_named(world):
    client = client_for(world, "unit_admin_a")
    created = _send(
        client,
        "post",
        "/api/v1/units",
        {
            "parent_id": world.unit_a.pk,
            "name": "甲学院第二党支部",
            "code": "A-02",
            "kind": "branch",
        },
    )
    assert created.status_code == 201
    assert created.json()["parent_id"] == world.unit_a.pk
    assert Unit.objects.get_parent(Unit.objects.get(code="A-02")).pk == world.unit_a.pk
    bad = _send(
        client,
        "post",
        "/api/v1/units",
        {"parent_id": world.unit_a.pk, "name": "坏代码", "code": "A 03!", "kind": "branch"},
    )
    assert bad.status_code == 422
    assert _fields(bad) == {"code"}
    duplicate = _send(
        client,
        "post",
        "/api/v1/units",
        {"parent_id": world.unit_a.pk, "name": "重复", "code": "A-02", "kind": "branch"},
    )
    assert duplicate.status_code == 422
    assert _fields(duplicate) == {"code"}
    assert Unit.objects.filter(name__in=["坏代码", "重复"]).count() == 0


def test_unit_admin_cannot_rename_own_parent_unit(world):
    response = _send(
        client_for(world, "unit_admin_a"), "patch", f"/api/v1/units/{world.root.pk}", {"name": "x"}
    )
    assert response.status_code == 404


def test_talent_may_read_but_not_change_own_record(world):
    client = client_for(world, "talent")
    own = world.users.talent.person
    assert client.get(f"/api/v1/people/{own.pk}").status_code == 200
    response = _send(client, "patch", f"/api/v1/people/{own.pk}", {"title": "教授"})
    assert response.status_code == 403


def test_openapi_schema_lists_the_endpoints(world):
    schema = client_for(world, "anonymous").get("/api/v1/openapi.json").json()
    assert {"/api/v1/units", "/api/v1/people", "/api/v1/people/{person_id}"} <= set(schema["paths"])
