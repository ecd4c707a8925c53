"""schemathesis against the portal's OpenAPI document: no 500s, answers match their schemas.

The portal's JSON operations (tip status by code, a challenge, the warnings feed) are open to
anyone, so Hypothesis sends them whatever the schema allows — and some it does not. Limits are
raised so the generated requests exercise the routes rather than the rate limiter.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from smokewatch.portal.app import build_portal, portal_openapi_json
from smokewatch.portal.pages import PortalConfig
from smokewatch.services import public_warnings, tips
from tests.api.world import ROOT
from tests.portal.conftest import make_portal

OPERATIONS = sorted(
    f"{method.upper()} {path}"
    for path, methods in json.loads(portal_openapi_json())["paths"].items()
    for method in methods
)
OPEN = PortalConfig(pow_bits=2, lookups_per_ip=(10**6, 60.0), per_code=(10**6, 60.0))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def operations(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, schemathesis.APIOperation]]:
    """The portal over a world with a tip and a published warning, its operations by label."""
    _, store, settings_, _ = make_portal(tmp_path_factory.mktemp("portal"), OPEN)
    tips.submit_tip(
        store,
        tips.TipForm(
            "芜湖鑫源财富管理有限公司",
            "承诺年化18%，保本保息，拉人头返佣金，无法提现。",
            consent=True,
        ),
        files_dir=settings_.workspace / "tips",
    )
    drafted = public_warnings.draft(
        store,
        ROOT,
        title="关于鑫源财富的风险提示",
        body="请提高警惕。",
        issuing_agency="芜湖市地方金融管理局",
        adcode="340200",
    )
    public_warnings.approve(store, ROOT, str(drafted["id"]))
    fastapi_app = build_portal(settings_, store=store, config=OPEN)
    schema = schemathesis.openapi.from_asgi("/openapi.json", fastapi_app)
    yield {op.label: op for op in (result.ok() for result in schema.get_all_operations())}
    store.dispose()


@pytest.mark.parametrize("label", OPERATIONS)
def test_the_portal_api_keeps_its_contract(
    operations: dict[str, schemathesis.APIOperation], label: str
) -> None:
    @given(case=operations[label].as_strategy())
    @settings(
        max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


def test_the_portal_publishes_only_its_public_operations() -> None:
    assert OPERATIONS == ["GET /api/challenge", "GET /api/warnings", "POST /api/track"]
