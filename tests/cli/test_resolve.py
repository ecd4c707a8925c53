"""``smokewatch resolve compare``: the name-comparison core over a CSV, no workspace."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.cli.conftest import Run


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
