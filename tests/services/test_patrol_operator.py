"""A patrolled site's pages are attributed to its operator resolved against the register."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from smokewatch.engine import Engine
from smokewatch.services import alerts as alert_service
from smokewatch.services.detect import detect
from smokewatch.services.patrol import run_patrol
from smokewatch.services.patrol_operator import EngineRegister
from smokewatch.services.scores import score
from smokewatch.services.workspace import init_workspace, open_engine, open_store
from smokewatch.settings import Settings, load_settings
from tests.model.builders import typed_table
from tests.patrol.site import FakeClock, FakeSite
from tests.services.test_patrol import platform  # noqa: F401 - the fake platform site

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
XINYUAN = {
    "id": "e1",
    "name": "芜湖鑫源财富管理有限公司",
    "uscc": "91340200MA2N0XXX0Y",
    "adcode": "340202",
}
OTHER = {"id": "e2", "name": "芜湖鑫源建材有限公司", "uscc": None}


@pytest.fixture
def ws(tmp_path: Path, platform: FakeSite) -> Settings:  # noqa: F811
    """A workspace whose patrol spec names no operator: the site must say who runs it."""
    root = tmp_path / "ws"
    init_workspace(root, title="测试", adcode="340200", as_of=date(2026, 11, 1))
    (root / "patrol").mkdir()
    spec = {
        "id": "wealth",
        "title": "芜湖理财网站巡查",
        "sites": [{"name": "鑫源财富", "seeds": [platform.url("/")], "adcode": "340202"}],
        "fetch": {"retries": 0},
    }
    (root / "patrol" / "wealth.yml").write_text(json.dumps(spec), encoding="utf-8")
    return load_settings(root)


def _register(ws: Settings, enterprises: list[dict[str, Any]]) -> None:
    with open_engine(ws) as engine:
        engine.replace_tables({"enterprise": typed_table("enterprise", enterprises)})


def _documents(ws: Settings) -> dict[str, dict[str, Any]]:
    path = ws.workspace / "sources" / "patrol_wealth" / "documents.jsonl"
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return {row["url"].rsplit("/", 1)[1] or "/": row for row in rows}


def test_every_page_is_attributed_to_the_operator_the_about_page_identifies(
    ws: Settings,
) -> None:
    _register(ws, [XINYUAN, OTHER])
    summary = run_patrol(ws, "wealth", clock=FakeClock(), now=lambda: NOW)
    (operator,) = summary.operators
    assert (operator.method, operator.entity and operator.entity.id) == ("page_uscc", "e1")
    product = _documents(ws)["1"]  # the product page shows no company at all
    assert (product["subject_uscc"], product["subject_name"]) == (XINYUAN["uscc"], XINYUAN["name"])
    how = product["evidence"]["operator"]
    assert (how["method"], how["confidence"], how["entity_id"]) == ("page_uscc", 0.98, "e1")
    assert how["page_url"].endswith("/about") and how["seq"] is not None
    with open_engine(ws) as engine:
        facts = engine.to_arrow(engine.table("web_fact"), step="read").to_pylist()
    assert facts and {f["subject_uscc"] for f in facts} == {XINYUAN["uscc"]}  # for the graph


def test_the_promises_on_the_product_page_score_against_the_resolved_operator(
    ws: Settings,
) -> None:
    _register(ws, [XINYUAN, OTHER])
    run_patrol(ws, "wealth", clock=FakeClock(), now=lambda: NOW)
    detect(ws, rule_ids=["SW-R-0101", "SW-R-0102"], as_of=date(2026, 11, 21))
    score(ws, scorecard_ids=["SW-S-0001"], as_of=date(2026, 11, 21))
    with open_store(ws) as store:
        by_id = {s["subject_id"]: s for s in alert_service.list_scores(store).scores}
    assert set(by_id) == {"e1"}
    assert by_id["e1"]["dimensions"]["return_deviation"] > 0
    assert by_id["e1"]["dimensions"]["lure"] > 0


def test_an_operator_in_no_register_leaves_the_pages_with_a_reason(ws: Settings) -> None:
    _register(ws, [OTHER])
    summary = run_patrol(ws, "wealth", clock=FakeClock(), now=lambda: NOW)
    assert not summary.operators[0].resolved
    documents = _documents(ws)
    assert documents["1"]["subject_uscc"] is None
    assert documents["about"]["subject_uscc"] == XINYUAN["uscc"]  # what the page itself showed
    assert documents["1"]["evidence"]["operator"]["reason_en"].startswith("no USCC")


def test_the_icp_filing_on_the_about_page_leads_through_the_platform_register(
    ws: Settings,
) -> None:
    unnumbered = {**XINYUAN, "uscc": None}  # the register lacks its USCC: the key cannot match
    platform_row = {"id": "p1", "name": "鑫源财富", "company_name": XINYUAN["name"]}
    with open_engine(ws) as engine:
        engine.replace_tables(
            {
                "enterprise": typed_table("enterprise", [unnumbered, OTHER]),
                "platform": typed_table(
                    "platform", [{**platform_row, "icp_filing": "京ICP备12345678号-1"}]
                ),
            }
        )
    (operator,) = run_patrol(ws, "wealth", clock=FakeClock(), now=lambda: NOW).operators
    assert (operator.method, operator.basis, operator.confidence) == (
        "icp",
        "京ICP备12345678号",
        0.95,
    )
    assert operator.entity is not None and operator.entity.id == "e1"
    assert _documents(ws)["1"]["subject_name"] == XINYUAN["name"]


def test_of_two_platforms_filed_under_one_icp_number_the_first_by_id_names_the_holder(
    engine: Engine,
) -> None:
    # Stored last-first: the first row an engine happens to return must not decide.
    rows = [
        {"id": "p2", "name": "鑫源贷", "company_name": "芜湖鑫源网络科技有限公司"},
        {"id": "p1", "name": "鑫源财富", "company_name": XINYUAN["name"]},
    ]
    filed = [{**row, "icp_filing": "京ICP备12345678号-1"} for row in rows]
    engine.replace_tables({"platform": typed_table("platform", filed)})
    assert EngineRegister(engine).icp_holder("京ICP备12345678号") == XINYUAN["name"]
