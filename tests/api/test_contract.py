"""schemathesis against the OpenAPI document: no 500s, and every answer matches the schema.

For every operation, Hypothesis generates requests from its declared parameters and bodies;
they run as the admin of a populated world (a fresh token per request, so signing out or
revoking does not stop the run), on SQLite and on PostgreSQL. A few examples per operation
keep it fast; the permission matrix and the API tests cover the meaning of the answers.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from smokewatch.api.app import openapi_json
from tests.api.world import IN, World, entity, fresh_token, referred_case

OPERATIONS = sorted(
    f"{method.upper()} {path}"
    for path, methods in json.loads(openapi_json())["paths"].items()
    for method in methods
)
EXAMPLES = 6
FEWER = {"GET /api/v1/screen": 2}
"""A real screening opens an analytic engine (about a second): fewer examples."""
READ_TIMEOUT = 120
"""Seconds (schemathesis' default is 10): the first call parsing the rule catalogue on a loaded
two-core machine took longer, and a timeout says nothing about the contract."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def contract(shared_world: World) -> tuple[World, dict[str, schemathesis.APIOperation]]:
    """The shared world (with an entity and a case) and the app's operations by label."""
    subject = entity(shared_world, IN)
    referred_case(shared_world, IN, subject)
    schema = schemathesis.openapi.from_asgi("/openapi.json", shared_world.client.app)
    operations = {op.label: op for op in (result.ok() for result in schema.get_all_operations())}
    return shared_world, operations


@pytest.mark.parametrize("label", OPERATIONS)
def test_the_api_keeps_its_contract(
    contract: tuple[World, dict[str, schemathesis.APIOperation]], label: str
) -> None:
    world, operations = contract

    @given(case=operations[label].as_strategy(), data=st.data())
    @settings(
        max_examples=FEWER.get(label, EXAMPLES),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case, data: st.DataObject) -> None:
        _, token = fresh_token(world, "admin")
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            checks=CHECKS,
            timeout=READ_TIMEOUT,
        )

    run()
