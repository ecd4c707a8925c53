"""The graph of a workspace: red and orange scores seed the network risk of neighbours."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from smokewatch.errors import InvalidInput
from smokewatch.score.scorecard import load_scorecards
from smokewatch.services.graph import build_graph, seed_grade, show_ubo
from smokewatch.services.workspace import init_workspace, open_engine, open_store
from smokewatch.settings import Settings, load_settings
from smokewatch.store.orm import Run, RunKind, RunStatus, Score
from tests.graph.conftest import ENTERPRISES, SHAREHOLDINGS, _rows

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _score(subject: str, grade: str, as_of: date, shadow: bool = False) -> Score:
    return Score(
        id=f"{subject}-{as_of}-{shadow}", run_id="sco-1", subject_id=subject,
        subject_table="enterprise", subject_name=None, scorecard_id="SW-S-0001",
        scorecard_version=1, as_of=as_of, score=80.0, grade=grade, dimensions={},
        contributions=[], shadow=shadow, adcode=None, sector=None, created_at=NOW,
    )  # fmt: skip


@pytest.fixture
def ws(tmp_path: Path) -> Settings:
    root = tmp_path / "ws"
    init_workspace(root, title="测试", adcode="340200")
    settings = load_settings(root)
    with open_engine(settings) as engine:
        engine.replace_tables(
            {
                "enterprise": _rows("enterprise", ENTERPRISES),
                "shareholding": _rows("shareholding", SHAREHOLDINGS),
            }
        )
    with open_store(settings) as store, store.unit_of_work() as session:
        session.add(Run(id="sco-1", kind=RunKind.SCORE, status=RunStatus.SUCCEEDED,
                        started_at=NOW, inputs={}, stats={}))  # fmt: skip
        session.flush()
        session.add_all(
            [
                _score("e1", "blue", date(2026, 10, 1)),
                _score("e1", "red", date(2026, 11, 1)),  # the latest grade counts
                _score("e5", "red", date(2026, 10, 1)),
                _score("e5", "green", date(2026, 11, 1)),
                _score("e3", "red", date(2026, 11, 1), shadow=True),  # shadow cards do not
            ]
        )
    return settings


def test_latest_red_scores_pass_capped_points_to_neighbours(ws: Settings) -> None:
    summary = build_graph(ws)
    assert summary.seeds == 1 and summary.largest_family == 7
    with open_engine(ws) as engine:
        points = {
            r["target"]: r["points"]
            for r in engine.to_arrow(engine.table("network_risk")).to_pylist()
        }
        lines = engine.to_arrow(engine.table("network_risk_contribution")).to_pylist()
    assert set(points) >= {"e:e2", "e:e3", "e:h2"} and "e:e5" not in points
    assert all(line["seed"] == "e:e1" for line in lines)
    assert all(0 < p <= 15 for p in points.values())


def test_ubo_needs_a_graph_and_a_sane_threshold(ws: Settings) -> None:
    with pytest.raises(InvalidInput, match="graph build"):
        show_ubo(ws, "e1")
    build_graph(ws)
    assert show_ubo(ws, "e1")["owners"][0]["name"] == "周九"
    with pytest.raises(InvalidInput, match="between 0 and 1"):
        show_ubo(ws, "e1", threshold=2)


def test_network_points_never_make_a_seed() -> None:
    card = load_scorecards()["SW-S-0001"].spec  # red ≥ 75, orange ≥ 55
    assert seed_grade(card, 80.0, "red", 0.0) == "red"
    assert seed_grade(card, 80.0, "red", 12.0) == "orange"  # 68 without its network points
    assert seed_grade(card, 60.0, "orange", 12.0) == "yellow"  # 48: no longer a seed
    # a floor (a reported case puts an entity at least at orange) is not the network's doing
    assert seed_grade(card, 40.0, "orange", 12.0) == "orange"


def test_the_network_lines_name_enterprise_records_and_seeds(ws: Settings) -> None:
    build_graph(ws)
    with open_engine(ws) as engine:
        lines = engine.to_arrow(engine.table("network_risk_contribution")).to_pylist()
    assert lines and all(line["seed_id"] == "e1" for line in lines)
    assert all(line["seed_name"] == "芜湖鑫源投资管理有限公司" for line in lines)
    assert {line["target_id"] for line in lines} >= {"e2", "h2"}
    assert all(line["target_name"] for line in lines)


def test_a_workspace_without_enterprises_builds_an_empty_graph(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    init_workspace(root, title="空", adcode="340200")
    settings = load_settings(root)
    summary = build_graph(settings)
    assert summary.edges == 0 and summary.seeds == 0 and summary.reached == 0
    with open_engine(settings) as engine:
        assert engine.count(engine.table("network_risk_contribution")) == 0
