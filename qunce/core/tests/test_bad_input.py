"""Odd input from the outside world gets a clear answer, never a 500."""

import pytest

from qunce.conftest import client_for

HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    [
        f"/org/people/{HUGE}/",
        f"/api/v1/people/{HUGE}",
        f"/api/v1/units/{HUGE}",
        "/api/v1/people?page=0",
        "/api/v1/people?page=abc",
        f"/api/v1/people?unit_id={HUGE}",
        "/api/v1/people?title_level=boss",
        "/org/people/?q=" + "%00" * 3,
        "/org/people/?q=" + "长" * 500,
    ],
)
def test_odd_urls_are_answered_without_a_server_error(world, url):
    response = client_for(world, "org_admin").get(url)
    assert response.status_code in (200, 404, 422)
