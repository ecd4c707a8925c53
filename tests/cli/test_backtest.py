"""``smokewatch backtest p2p-wdzj`` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.ingest.presets.builders import backtest_folder


def test_a_backtest_writes_the_scores_and_reports_what_it_read(sw: Run, tmp_path: Path) -> None:
    pytest.importorskip("lightgbm", reason="the backtest trains the platform model (ml extra)")
    data = backtest_folder(tmp_path, operating=30, problem=120)
    out = tmp_path / "scores.csv"
    result = sw("backtest", "p2p-wdzj", "--data", str(data), "--as-of", "2017-06-30",
                "--out", str(out), "--lang", "en", "--json")  # fmt: skip
    assert result.code == 0, result.err
    payload = result.json()
    assert payload["rows"] == 30 and payload["view"]["operating"] == 30
    assert payload["scorecard"] == "SW-S-0002@1"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("platName,smoke_index,grade,compliance,")
    assert len(lines) == 31
    assert "No bank custody" in out.read_text(encoding="utf-8")


def test_a_missing_folder_is_one_line_on_stderr(sw: Run, tmp_path: Path) -> None:
    result = sw("backtest", "p2p-wdzj", "--data", str(tmp_path / "nope"), "--as-of",
                "2017-06-30", "--out", str(tmp_path / "s.csv"))  # fmt: skip
    assert result.code == 1
    assert result.err.startswith("error: no such data folder")
