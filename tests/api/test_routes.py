"""The REST API over a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from smokewatch.api.app import create_app
from smokewatch.services import users
from smokewatch.services.workspace import init_workspace
from smokewatch.settings import Settings
from smokewatch.store import repos
from smokewatch.store.db import Store


def _finding(fid: str, subject: str, severity: str, *, shadow: bool = False) -> dict[str, object]:
    return {
        "id": fid,
        "subject_id": subject,
        "subject_table": "enterprise",
        "subject_name": f"芜湖{subject}财富管理有限公司",
        "rule_id": "SW-R-0001",
        "rule_version": 1,
        "severity": severity,
        "band": "binding_word",
        "reason_zh": "名称含“财富管理”",
        "reason_en": "Name contains 财富管理",
        "metrics": {"words": ["财富管理"]},
        "evidence": [{"field": "name", "start": 2, "text": "财富管理"}],
        "as_of": date(2026, 11, 1),
        "shadow": shadow,
        "engine": "duckdb",
    }


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    workspace = init_workspace(tmp_path / "ws")
    settings = Settings(workspace=workspace.root)
    store = Store(settings.store_url)
    store.upgrade()
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="ing-1", kind="ingest", source_id="registry")
        repos.add_rejects(
            session,
            "ing-1",
            [
                {
                    "source_id": "registry",
                    "row_number": 7,
                    "reason": "USCC check character",
                    "column": "uscc",
                }
            ],
        )
        repos.finish_run(session, "ing-1", status="succeeded", stats={"rows_loaded": 3})
        repos.add_run(session, run_id="det-1", kind="detect")
        repos.replace_findings(
            session,
            "det-1",
            [
                _finding("f1", "e1", "high"),
                _finding("f2", "e2", "medium"),
                _finding("f3", "e3", "high", shadow=True),
            ],
        )
        repos.finish_run(session, "det-1", status="succeeded")
    root = users.system_actor("tests")
    users.create_user(
        store,
        user_id="analyst",
        display_name="analyst",
        password="long enough password",
        roles=["admin"],
        agency_id=None,
        actor=root,
    )
    token = users.issue_token(store, "analyst", name="tests", days=1, actor=root).secret
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings, store=store), headers=headers) as test_client:
        yield test_client
    store.dispose()


def test_health_reports_the_workspace(client: TestClient) -> None:
    body = client.get("/api/v1/health", headers={"Authorization": ""}).json()
    assert body["status"] == "ok" and body["workspace"].endswith("ws")


def test_everything_else_needs_a_token(client: TestClient) -> None:
    response = client.get("/api/v1/findings", headers={"Authorization": ""})
    assert response.status_code == 401 and response.json()["error"]["kind"] == "Unauthorized"
    wrong = client.get("/api/v1/findings", headers={"Authorization": "Bearer swt_forged"})
    assert wrong.status_code == 401


def test_findings_of_the_latest_run_carry_reasons_and_evidence(client: TestClient) -> None:
    page = client.get("/api/v1/findings").json()
    assert page["total"] == 2 and page["run_id"] == "det-1"
    first = page["items"][0]
    assert first["reason_zh"] == "名称含“财富管理”"
    assert first["evidence"] == [{"field": "name", "start": 2, "text": "财富管理"}]
    assert first["rule"] == "SW-R-0001@1"


def test_findings_filter_and_include_shadow_on_request(client: TestClient) -> None:
    assert client.get("/api/v1/findings", params={"severity": "medium"}).json()["total"] == 1
    assert client.get("/api/v1/findings", params={"include_shadow": True}).json()["total"] == 3


def test_a_run_shows_its_rejected_rows(client: TestClient) -> None:
    run = client.get("/api/v1/runs/ing-1").json()
    assert run["rejects_total"] == 1
    assert run["rejects"][0] == {
        "row_number": 7,
        "column": "uscc",
        "reason": "USCC check character",
        "raw": None,
        "source_id": "registry",
    }


def test_unknown_runs_are_404_with_the_error_shape(client: TestClient) -> None:
    response = client.get("/api/v1/runs/nope")
    assert response.status_code == 404
    assert response.json()["error"]["kind"] == "NotFound"


def test_bad_paging_is_rejected(client: TestClient) -> None:
    assert client.get("/api/v1/findings", params={"limit": 0}).status_code == 422


def test_overview_counts_live_findings(client: TestClient) -> None:
    body = client.get("/api/v1/overview").json()
    assert body["findings"] == 2 and body["findings_by_severity"] == {"high": 1, "medium": 1}


def test_rules_are_described_with_their_legal_basis(client: TestClient) -> None:
    rules = client.get("/api/v1/rules").json()
    assert rules, "the built-in pack is served"
    rule = client.get(f"/api/v1/rules/{rules[0]['id']}").json()
    assert rule["references"] and rule["bands"]
    assert client.get("/api/v1/rules/SW-R-9999").status_code == 404


def test_screening_answers_with_the_verdict_and_the_basis(client: TestClient) -> None:
    body = client.get("/api/v1/screen", params={"name": "芜湖恒信财富管理有限公司"}).json()
    assert body["verdict"] == "restricted"
    assert any("第九条" in b for b in body["findings"][0]["basis"])


def test_screening_without_a_name_or_scope_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/screen")
    assert response.status_code == 422 and response.json()["error"]["kind"] == "InvalidInput"


def test_sources_of_an_empty_workspace_are_an_empty_list(client: TestClient) -> None:
    assert client.get("/api/v1/sources").json() == []


def test_the_api_docs_load_nothing_from_other_hosts(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text
    assert client.get("/docs/static/swagger-ui-bundle.js").status_code == 200
    assert client.get("/redoc").status_code == 404
