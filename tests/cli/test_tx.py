"""``smokewatch tx detect`` from the command line."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run
from tests.services.test_tx_detect import HEADER, _transfers, _write


def test_tx_detect_writes_findings_and_summarises_them(sw: Run, tmp_path: Path) -> None:
    source = _write(tmp_path / "transactions.csv", HEADER, _transfers())
    out = tmp_path / "FINDINGS.csv"
    result = sw("tx", "detect", "--transactions", str(source), "--out", str(out))
    assert result.code == 0, result.err
    assert "SW-R-0307" in result.out and "findings written to" in result.out
    assert out.read_text(encoding="utf-8").startswith("account,rule,band,typology")
    summary = sw("tx", "detect", "--transactions", str(source), "--out", str(out), "--json")
    assert summary.json()["rows_loaded"] == 9


def test_tx_detect_reports_a_missing_file_in_one_line(sw: Run, tmp_path: Path) -> None:
    result = sw("tx", "detect", "--transactions", str(tmp_path / "no.csv"), "--out", "x.csv")
    assert result.code == 1 and "no such file" in result.err
