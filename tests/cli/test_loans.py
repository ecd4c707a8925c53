"""``smokewatch loans check`` from the command line."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Run

LENDER = "91340200MA2N1GD013"


def test_loans_check_writes_one_row_per_loan_and_reports_the_breaches(
    sw: Run, tmp_path: Path
) -> None:
    loans = tmp_path / "loans.csv"
    loans.write_text(
        f"合同编号,放贷机构信用代码,合同金额,合同日期\nK-1,{LENDER},10000,2024-01-10\n",
        encoding="utf-8",
    )
    flows = tmp_path / "flows.csv"
    flows.write_text(
        "合同编号,放贷机构信用代码,发生日期,类型,金额\n"
        f"K-1,{LENDER},2024-01-10,放款,10000\nK-1,{LENDER},2024-01-10,砍头息,3000\n"
        f"K-1,{LENDER},2025-01-10,本金,10000\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = sw("loans", "check", "--loans", str(loans), "--flows", str(flows), "--out", str(out))
    assert result.code == 0, result.err
    assert "超过合同日司法保护上限" in result.out
    report = sw(
        "loans", "check", "--loans", str(loans), "--flows", str(flows), "--out", str(out), "--json"
    ).json()
    assert report["over_cap"] == 1
    assert report["lenders"][0]["lender_uscc"] == LENDER
    assert out.read_text(encoding="utf-8").count("\n") == 2


def test_loans_check_with_a_missing_file_fails_with_one_line(sw: Run, tmp_path: Path) -> None:
    result = sw(
        "loans",
        "check",
        "--loans",
        str(tmp_path / "x.csv"),
        "--flows",
        str(tmp_path / "y.csv"),
        "--out",
        str(tmp_path / "o.csv"),
    )
    assert result.code == 1
    assert "no such file" in result.err
