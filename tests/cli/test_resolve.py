"""``smokewatch resolve compare``: the name-comparison core over a CSV, no workspace."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

from smokewatch.demo.resolution import resolution_table
from smokewatch.services.workspace import open_engine
from smokewatch.settings import load_settings
from tests.cli.conftest import Run
from tests.model.builders import typed_table


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_compare_scores_every_row_and_reports_bad_ones(sw: Run, tmp_path: Path) -> None:
    source = tmp_path / "pairs.csv"
    source.write_bytes(
        "left,right,id\n陆金服,上海陆金所互联网金融信息服务有限公司,a\n"
        "北京银行,北京农商银行,b\n,芜湖鑫源投资管理有限公司,c\n".encode("gbk")
    )
    out = tmp_path / "out.csv"
    result = sw("resolve", "compare", "--in", str(source), "--out", str(out))
    assert result.code == 0, result.err
    assert "line 4: not compared, no name in left" in result.err
    assert "3 pairs compared (gb18030), 1 matches, 1 rows not compared" in result.err
    rows = _rows(out)
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert [r["match"] for r in rows] == ["1", "0", ""]
    assert float(rows[0]["score"]) > float(rows[1]["score"])
    assert rows[2]["score"] == ""


def test_compare_explains_scores_and_takes_a_threshold(sw: Run, tmp_path: Path) -> None:
    source = tmp_path / "pairs.csv"
    source.write_text("\ufeffleft,right\n红岭创投,红岭创投电子商务股份有限公司\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert sw("resolve", "compare", "--in", str(source), "--out", str(out), "--explain").code == 0
    (row,) = _rows(out)
    assert row["match"] == "1" and "trade_name" in row["explanation"]
    strict = sw("resolve", "compare", "--in", str(source), "--out", str(out), "--threshold", "1")
    assert strict.code == 0 and _rows(out)[0]["match"] == "0"


def test_compare_refuses_a_file_without_left_and_right(sw: Run, tmp_path: Path) -> None:
    source = tmp_path / "pairs.csv"
    source.write_text("a,b\nx,y\n", encoding="utf-8")
    result = sw("resolve", "compare", "--in", str(source), "--out", str(tmp_path / "o.csv"))
    assert result.code == 1 and "needs the columns left,right" in result.err
    assert not (tmp_path / "o.csv").exists()
    missing = sw("resolve", "compare", "--in", str(tmp_path / "nope.csv"), "--out", "o.csv")
    assert missing.code == 1 and "no such input file" in missing.err


def test_compare_reads_standard_input_in_the_encoding_given(
    sw: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pairs = "left,right\n陆金服,上海陆金所互联网金融信息服务有限公司\n".encode("gbk")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(pairs), encoding="utf-8"))
    out = tmp_path / "out.csv"
    result = sw("resolve", "compare", "--in", "-", "--out", str(out), "--encoding", "gbk")
    assert result.code == 0, result.err
    assert [r["left"] for r in _rows(out)] == ["陆金服"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(pairs), encoding="utf-8"))
    wrong = sw("resolve", "compare", "--in", "-", "--out", str(out), "--encoding", "utf-8")
    assert wrong.code == 1
    assert "standard input is not valid utf-8 text (invalid start byte); name it with" in wrong.err


def test_run_judge_and_explain_a_workspace(sw: Run, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert sw("init", str(root), "--adcode", "340200").code == 0
    planted = resolution_table(300, seed=5, duplicate_share=0.3)
    rows = [{k: v for k, v in r.items() if k != "truth"} for r in planted.to_pylist()]
    with open_engine(load_settings(root)) as engine:
        engine.replace_tables({"enterprise": typed_table("enterprise", rows)})
    ran = sw("resolve", "run", "-w", str(root), "--json")
    assert ran.code == 0, ran.err
    summary = ran.json()
    assert summary["records"] == planted.num_rows and summary["multi_record_entities"] > 0
    duplicate = next(r for r in planted.to_pylist() if r["id"] != r["truth"])
    shown = sw("resolve", "explain", duplicate["id"], "-w", str(root))
    assert shown.code == 0 and "Pairs" in shown.out
    judged = sw(
        "resolve", "judge", duplicate["id"], duplicate["truth"], "--different",
        "--as", "alice", "-w", str(root), "--json",
    )  # fmt: skip
    assert judged.code == 0, judged.err
    result = judged.json()
    assert result["left"]["entity_id"] != result["right"]["entity_id"]
    assert result["actor"] == "alice"
