"""``smokewatch score``, ``scores``, ``alerts``, ``watchlist`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from smokewatch.settings import load_settings
from tests.cli.conftest import Run
from tests.services.test_scores import FINDINGS, _load


@pytest.fixture
def scored(tmp_path: Path, sw: Run) -> Path:
    root = tmp_path / "ws"
    assert sw("init", str(root), "--adcode", "340200").code == 0
    _load(load_settings(root), FINDINGS)
    result = sw("score", "run", "-w", str(root), "--as-of", "2026-11-01")
    assert result.code == 0, result.err
    assert "SW-S-0001@3" in result.out and "raised 1" in result.out
    return root


def test_scores_list_and_show_explain_the_index(sw: Run, scored: Path) -> None:
    listed = sw("scores", "list", "-w", str(scored), "--json").json()
    assert listed["total"] == 3 and listed["by_grade"] == {"blue": 2, "orange": 1}
    shown = sw("scores", "show", "e3", "-w", str(scored))
    assert shown.code == 0
    assert "Contributions" in shown.out and "+25.00" in shown.out and "+30.00" in shown.out
    assert sw("scores", "show", "nobody", "-w", str(scored)).code == 1


def test_alerts_can_be_listed_snoozed_and_closed(sw: Run, scored: Path) -> None:
    (alert,) = sw("alerts", "list", "-w", str(scored), "--json").json()["items"]
    prefix = alert["id"][:15]
    snoozed = sw(
        "alerts", "snooze", prefix, "--until", "2099-01-01", "--reason", "核查中", "-w", str(scored)
    )
    assert snoozed.code == 0 and "snoozed" in snoozed.out
    assert sw("alerts", "list", "-w", str(scored), "--json").json()["total"] == 0
    closed = sw("alerts", "close", alert["id"], "--reason", "已核查", "-w", str(scored), "--json")
    history = [h["kind"] for h in closed.json()["history"]]
    assert history == ["raised", "snoozed", "closed"]
    assert sw("alerts", "close", alert["id"], "--reason", "x", "-w", str(scored)).code == 1


def test_watchlist_add_list_remove(sw: Run, scored: Path) -> None:
    assert sw("watchlist", "add", "e1", "--reason", "群众举报", "-w", str(scored)).code == 0
    entries = sw("watchlist", "list", "-w", str(scored), "--json").json()
    assert [e["subject_id"] for e in entries] == ["e1"]
    assert sw("watchlist", "add", "e1", "--reason", "again", "-w", str(scored)).code == 1
    assert sw("watchlist", "remove", "e1", "--reason", "无问题", "-w", str(scored)).code == 0
    assert sw("watchlist", "list", "-w", str(scored), "--json").json() == []


def test_score_lint_passes_for_the_builtin_card(sw: Run, scored: Path) -> None:
    result = sw("score", "lint", "-w", str(scored))
    assert result.code == 0 and "0 errors" in result.out


def test_evaluate_reports_auc_precision_and_lead_time(
    sw: Run, scored: Path, tmp_path: Path
) -> None:
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_bytes(
        "entity_id,event_date,kind\ne3,2026-12-15,立案\ne2,bad-date,跑路\n".encode("gbk")
    )
    result = sw("evaluate", "--outcomes", str(outcomes), "-w", str(scored), "--json")
    assert result.code == 0, result.err
    assert "outcomes.csv:3: skipped" in result.err
    report = result.json()
    assert report["population_source"] == "table enterprise"
    assert report["population"] == 3
    assert report["outcomes_file"]["encoding"] == "gb18030"
    assert report["auc"]["value"] == 1.0  # e3 (55) above e1 (33), e2 (22) and the rest
    assert report["lead_time"]["found_first"] == 1
    assert report["lead_time"]["median_days"] == 44
    text = sw("evaluate", "--outcomes", str(outcomes), "-w", str(scored))
    assert "AUC" in text.out and "Precision@K" in text.out
