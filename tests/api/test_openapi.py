"""The committed OpenAPI document is the one the app serves (regenerate: see the message)."""

from __future__ import annotations

import json
from pathlib import Path

from smokewatch.api.app import create_app
from smokewatch.settings import Settings

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def current() -> str:
    spec = create_app(Settings(workspace=Path("/workspace"))).openapi()
    return json.dumps(spec, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_the_committed_openapi_document_is_up_to_date() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == current(), (
        "docs/openapi.json is stale: run "
        "`.venv/bin/python -c 'from tests.api.test_openapi import current; "
        'open("docs/openapi.json", "w").write(current())\'`'
    )


def test_every_operation_has_a_stable_id_and_a_summary() -> None:
    spec = json.loads(current())
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("operationId"), (path, method)
            assert operation.get("summary") or operation.get("description"), (path, method)
