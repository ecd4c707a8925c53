"""``smokewatch graph``: build, family, neighbours, ubo and export from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from smokewatch.services.workspace import open_engine
from smokewatch.settings import load_settings
from tests.cli.conftest import Run
from tests.graph.conftest import ENTERPRISES, SHAREHOLDINGS, _rows


@pytest.fixture
def built(sw: Run, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert sw("init", str(root), "--adcode", "340200").code == 0
    with open_engine(load_settings(root)) as engine:
        engine.replace_tables(
            {
                "enterprise": _rows("enterprise", ENTERPRISES),
                "shareholding": _rows("shareholding", SHAREHOLDINGS),
            }
        )
    result = sw("graph", "build", "-w", str(root), "--json")
    assert result.code == 0, result.err
    summary = result.json()
    assert summary["largest_family"] == 7 and summary["seeds"] == 0
    return root


def test_family_and_neighbours(sw: Run, built: Path) -> None:
    fam = sw("graph", "family", "e4", "-w", str(built), "--json").json()
    assert {n["id"] for n in fam["nodes"]} >= {"e:e1", "e:e4", "e:h3"}
    shown = sw("graph", "neighbours", "e2", "--hops", "1", "-w", str(built))
    assert shown.code == 0 and "张三" in shown.out
    assert sw("graph", "neighbours", "e2", "--hops", "9", "-w", str(built)).code == 1


def test_ubo_prints_cumulative_shares_and_cycles(sw: Run, built: Path) -> None:
    data = sw("graph", "ubo", "e1", "-w", str(built), "--json").json()
    assert [(o["name"], o["share"]) for o in data["owners"]][:2] == [("周九", 0.5), ("钱七", 0.24)]
    text = sw("graph", "ubo", "e1", "-w", str(built))
    assert "50.00%" in text.out and "cycles" in text.out


def test_export_writes_each_format(sw: Run, built: Path, tmp_path: Path) -> None:
    for fmt, marker in (("gexf", "<gexf"), ("graphml", "<graphml"), ("json", '"links"')):
        target = tmp_path / f"family.{fmt}"
        result = sw(
            "graph", "export", "e1", "--format", fmt, "--out", str(target), "-w", str(built)
        )
        assert result.code == 0, result.err
        assert marker in target.read_text(encoding="utf-8")
    assert sw("graph", "export", "e1", "--format", "dot", "-w", str(built)).code == 1


def test_queries_before_a_build_say_what_to_do(sw: Run, tmp_path: Path) -> None:
    root = tmp_path / "empty"
    assert sw("init", str(root), "--adcode", "340200").code == 0
    result = sw("graph", "family", "e1", "-w", str(root))
    assert result.code == 1 and "graph build" in result.err
