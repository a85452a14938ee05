"""Odd input from the outside world gets a clear answer, never a 500."""

import json

import pytest

from qunce.conftest import client_for
from qunce.org.models import Person

HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/talents/people/{HUGE}/",
        f"/api/v1/people/{HUGE}",
        f"/api/v1/units/{HUGE}",
        "/api/v1/people?page=0",
        "/api/v1/people?page=abc",
        f"/api/v1/people?unit_id={HUGE}",
        "/api/v1/people?title_level=boss",
        "/talents/people/?q=" + "%00" * 3,
        "/talents/people/?q=" + "长" * 500,
    ],
)
def test_odd_urls_are_answered_without_a_server_error(world, url):
    response = client_for(world, "org_admin").get(url)
    assert response.status_code in (200, 404, 422)


def _paginated_list_paths():
    """Every API list that takes a page number, from the schema (so a new one is covered)."""
    from qunce.api import api

    schema = api.get_openapi_schema()
    return sorted(
        path
        for path, operations in schema["paths"].items()
        if "{" not in path
        and any(p["name"] == "page" for p in operations.get("get", {}).get("parameters", []))
    )


def test_the_schema_has_paginated_lists():
    assert len(_paginated_list_paths()) >= 10


@pytest.mark.parametrize("page", [HUGE, str(2**63), str(2**63 - 1)])
def test_a_page_beyond_any_list_is_a_named_422_on_every_api_list(world, page):
    client = client_for(world, "org_admin")
    for path in _paginated_list_paths():
        response = client.get(path, {"page": page})
        assert response.status_code == 422, (path, response.status_code)
        assert response.json()["detail"][0]["loc"][-1] == "page", path


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x0b", "\x7f"])
def test_a_control_character_in_an_api_body_is_a_named_422_and_nothing_is_written(world, char):

    response = client_for(world, "org_admin").patch(
        f"/api/v1/people/{world.person_a.pk}",
        json.dumps({"post": f"主任{char}"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "post"]
    assert error["msg"] == f"“post”中含有控制字符 U+{ord(char):04X}，请删除后重新提交。"
    assert Person.objects.get(pk=world.person_a.pk).post != f"主任{char}"


def test_tabs_and_line_breaks_in_an_api_body_stay(world):

    response = client_for(world, "org_admin").patch(
        f"/api/v1/people/{world.person_a.pk}",
        json.dumps({"post": "教研室\t主任"}),
        content_type="application/json",
    )
    assert response.status_code == 200


def test_a_body_over_the_request_cap_is_a_413_before_it_is_read(world, settings):
    from qunce.proposals.models import Proposal

    settings.MAX_REQUEST_BYTES = 1024
    client = client_for(world, "talent")
    big = {"topic": "x", "problem": "长" * 2000, "suggestion": "y"}
    page = client.post("/proposals/", big)
    assert page.status_code == 413 and "提交的内容过大" in page.content.decode()
    api = client.post("/api/v1/org/units", {"name": "长" * 2000}, content_type="application/json")
    assert api.status_code == 413 and api.json()["detail"][0]["type"] == "too_large"
    assert not Proposal.objects.exists()


def _int_paths():
    """Every page path with an integer part and every API path with an integer parameter, each
    filled with numbers beyond 2⁶³ (from the URLconf and the schema, so a new one is covered)."""
    import re

    from django.urls import URLPattern, URLResolver, get_resolver

    from qunce.api import api

    def patterns(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from patterns(pattern, route)
            elif isinstance(pattern, URLPattern) and "<int:" in route:
                yield route

    paths = set()
    for route in patterns(get_resolver()):
        if route.startswith(("django-admin", "api/")):
            continue
        for number in (str(2**63), HUGE):
            paths.add("/" + re.sub(r"<int:\w+>", number, route).lstrip("^").rstrip("$"))
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            integers = [
                p["name"]
                for p in operation.get("parameters", [])
                if p["in"] == "path" and p.get("schema", {}).get("type") == "integer"
            ]
            if integers and method in ("get", "post"):
                filled = path
                for name in integers:
                    filled = filled.replace("{" + name + "}", str(2**63))
                paths.add((method, filled))
    return sorted(paths, key=str)


@pytest.mark.parametrize("target", _int_paths(), ids=str)
def test_ids_beyond_two_to_the_sixty_three_are_not_a_server_error(world, target):
    method, path = target if isinstance(target, tuple) else ("get", target)
    client = client_for(world, "org_admin")
    if method == "post":
        response = client.post(path, "{}", content_type="application/json")
    else:
        response = client.get(path)
    assert response.status_code < 500, f"{method.upper()} {path} -> {response.status_code}"


def test_inbox_ignores_ids_that_are_not_numbers(world):
    assert client_for(world, "talent").post("/inbox/", {"message": ["abc"]}).status_code == 302
