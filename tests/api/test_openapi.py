"""The committed OpenAPI document is the one the app serves (``make openapi`` rewrites it)."""

from __future__ import annotations

import json
from pathlib import Path

from smokewatch.api.app import openapi_json

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_committed_openapi_document_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == openapi_json(), (
        "docs/openapi.json is stale: run `make openapi`"
    )


def test_every_operation_has_a_stable_id_a_tag_and_a_summary() -> None:
    spec = json.loads(openapi_json())
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            tag = operation["tags"][0]
            assert operation["operationId"].startswith(f"{tag}-"), (path, method)
            assert operation.get("summary") or operation.get("description"), (path, method)


def test_every_operation_but_health_and_sign_in_declares_the_bearer_token() -> None:
    spec = json.loads(openapi_json())
    open_to_all = {("get", "/api/v1/health"), ("post", "/api/v1/auth/sessions")}
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            secured = bool(operation.get("security"))
            assert secured != ((method, path) in open_to_all), (method, path)


def test_every_operation_is_documented_in_docs_api() -> None:
    documented = (COMMITTED.parent / "api.md").read_text(encoding="utf-8")
    spec = json.loads(openapi_json())
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            row = (
                f"| `{operation['operationId']}` | `{method.upper()} {path.removeprefix('/api/v1')}"
            )
            assert row in documented, row
