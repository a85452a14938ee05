"""Property-based fuzzing of the whole /api/v1/ surface (schemathesis over the OpenAPI schema,
in process through WSGI): as the org admin, a unit admin, a talent, a counsellor and with no
login, no generated request is answered with a server error."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from qunce.accounts.services import api_token_create
from qunce.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# Kept small so the suite stays within CI's minutes; QUNCE_FUZZ_EXAMPLES=50 digs deeper.
EXAMPLES = int(os.environ.get("QUNCE_FUZZ_EXAMPLES", "5"))


@pytest.fixture
def in_process():
    """Requests through the WSGI app would close the test's database connection as they start
    and finish; Django's test client holds that back the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def tokens(world, in_process):
    return {
        persona: api_token_create(
            user=getattr(world.users, persona),
            name="fuzz",
            acting_user=getattr(world.users, persona),
        )[1]
        for persona in ("org_admin", "unit_admin_a", "talent", "counsellor")
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
@pytest.mark.django_db
def test_no_request_is_a_server_error(case, tokens):
    for token in [*tokens.values(), None]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = case.call(headers=headers)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} {case.query} -> {response.status_code}"
        )
