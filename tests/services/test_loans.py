"""``loans check``: a lender's book in, one costed row per loan out, bad rows kept with reasons."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.services.loans import check_loan_files

LENDER = "91340200MA2N1GD013"

LOANS_ZH = f"""放贷机构信用代码,合同编号,借款人,合同金额,合同日期,合同年利率
{LENDER},SD-001,张三,10000,2023-09-01,12
{LENDER},SD-002,李四,10000,2024-03-01,24
{LENDER},SD-003,王五,十万,2024-03-01,24
{LENDER},SD-004,赵六,8000,2025-02-01,10
"""

FLOWS_ZH = f"""放贷机构信用代码,合同编号,发生日期,类型,金额
{LENDER},SD-001,2023-09-01,放款,10000
{LENDER},SD-001,2023-09-01,砍头息,2000
{LENDER},SD-001,2024-09-01,本金,10000
{LENDER},SD-001,2024-09-01,利息,1200
{LENDER},SD-002,2024-03-01,放款,10000
{LENDER},SD-002,2025-03-01,还本,10000
{LENDER},SD-002,2025-03-01,利息,500
{LENDER},SD-002,2025-03-01,茶水费,600
{LENDER},SD-004,2025-02-01,放款,8000
{LENDER},SD-004,2026-02-01,本金,8800
"""


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return {row["contract_number"]: row for row in csv.DictReader(fh)}


def test_a_chinese_gbk_book_is_costed_loan_by_loan(tmp_path: Path) -> None:
    loans = _write(tmp_path / "贷款.csv", LOANS_ZH, "gbk")
    flows = _write(tmp_path / "流水.csv", FLOWS_ZH, "gb18030")
    report = check_loan_files(loans, flows, tmp_path / "out.csv")

    rows = _rows(tmp_path / "out.csv")
    assert set(rows) == {"SD-001", "SD-002", "SD-004"}
    # 8,000 in hand for a year, 11,200 back: 40 % effective.
    assert float(rows["SD-001"]["effective_rate"]) == pytest.approx(40.0 * 365 / 366, rel=0.01)
    assert rows["SD-001"]["over_cap"] == "true"
    assert rows["SD-002"]["over_cap"] == "false"
    assert rows["SD-004"]["over_cap"] == "false"
    assert report.over_cap == 1
    assert report.by_status == {"ok": 3}
    (lender,) = report.lenders
    assert (lender.lender_uscc, lender.loans, lender.costed, lender.over_cap) == (LENDER, 3, 3, 1)
    assert lender.principal_over_cap == 10_000.0


def test_bad_rows_are_rejected_with_reasons_and_written_beside_the_output(tmp_path: Path) -> None:
    loans = _write(tmp_path / "loans.csv", LOANS_ZH)
    flows = _write(tmp_path / "flows.csv", FLOWS_ZH)
    report = check_loan_files(loans, flows, tmp_path / "out.csv")

    assert (report.loans.rows_rejected, report.flows.rows_rejected) == (1, 1)
    reasons = {(r["file"], r["column"]) for r in report.rejects}
    assert reasons == {("loans.csv", "principal"), ("flows.csv", "kind")}
    assert report.rejects_out is not None
    with report.rejects_out.open(encoding="utf-8") as fh:
        kept = list(csv.DictReader(fh))
    assert {r["row_number"] for r in kept} == {"4", "9"}
    assert any("茶水费" in r["raw"] for r in kept)


def test_english_headers_and_as_of_leave_later_contracts_out(tmp_path: Path) -> None:
    loans = _write(
        tmp_path / "loans.csv",
        "lender_uscc,contract_number,principal,contract_date\n"
        f"{LENDER},A,1000,2024-01-01\n{LENDER},B,1000,2024-06-01\n",
    )
    flows = _write(
        tmp_path / "flows.csv",
        "lender_uscc,contract_number,flow_date,kind,amount\n"
        f"{LENDER},A,2024-01-01,disbursement,1000\n{LENDER},A,2025-01-01,principal,1100\n"
        f"{LENDER},B,2024-06-01,disbursement,1000\n",
    )
    report = check_loan_files(loans, flows, tmp_path / "out.csv", as_of=date(2024, 3, 31))
    rows = _rows(tmp_path / "out.csv")
    assert set(rows) == {"A"}
    assert report.rejects_out is None
    assert report.rejects == ()


def test_a_missing_required_column_is_named_and_the_output_untouched(tmp_path: Path) -> None:
    out = _write(tmp_path / "out.csv", "previous result\n")
    loans = _write(tmp_path / "loans.csv", "合同编号,合同金额\nA,1000\n")
    flows = _write(tmp_path / "flows.csv", FLOWS_ZH)
    with pytest.raises(InvalidInput, match="lender_uscc"):
        check_loan_files(loans, flows, out)
    assert out.read_text(encoding="utf-8") == "previous result\n"


def test_missing_files_and_folders_are_clear_errors(tmp_path: Path) -> None:
    flows = _write(tmp_path / "flows.csv", FLOWS_ZH)
    with pytest.raises(NotFound):
        check_loan_files(tmp_path / "nope.csv", flows, tmp_path / "out.csv")
    with pytest.raises(InvalidInput, match="output folder"):
        check_loan_files(flows, flows, tmp_path / "no" / "out.csv")
