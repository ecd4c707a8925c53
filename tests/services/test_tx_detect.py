"""``tx detect``: the transfer typology rules over one transfers file, findings as CSV.

The small files here are written in AMLSim's ``transactions.csv`` layout; the real ews12k run
checks the rules against the data set's labels and DuckDB against Spark.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from pathlib import Path

import pytest

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.services.tx_detect import FINDINGS_HEADER, detect_file

HEADER = ["tran_id", "orig_acct", "bene_acct", "tx_type", "base_amt", "tran_timestamp"]


def _transfers() -> list[list[str]]:
    """A fund pool (five investors pay P, which pays X) and a three-account cycle a→b→c→a."""
    rows: list[list[str]] = []
    for i in range(1, 6):
        rows.append([f"u{i}", "P", "10000.00", f"2017-03-0{i}T00:00:00Z"])
    rows.append(["P", "X", "50000.00", "2017-03-10T00:00:00Z"])
    rows += [
        ["a", "b", "5000.00", "2017-04-01T00:00:00Z"],
        ["b", "c", "4900.00", "2017-04-02T00:00:00Z"],
        ["c", "a", "4800.00", "2017-04-03T00:00:00Z"],
    ]
    return [
        [str(n), payer, payee, "TRANSFER", amount, stamp]
        for n, (payer, payee, amount, stamp) in enumerate(rows, start=1)
    ]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_findings_name_the_typology_window_counterparties_and_amounts(tmp_path: Path) -> None:
    source = _write(tmp_path / "transactions.csv.gz", HEADER, _transfers())
    report = detect_file(source, tmp_path / "FINDINGS.csv")
    rows = _read(report.out)
    assert list(rows[0]) == list(FINDINGS_HEADER)
    by_key = {(r["account"], r["rule"]): r for r in rows}
    pool = by_key[("P", "SW-R-0301")]
    assert pool["band"] == "pool" and "transfers.fund_pool" in pool["typology"]
    assert (pool["window_start"], pool["window_end"]) == ("2017-03-01", "2017-03-05")
    assert pool["counterparties"] == "u1;u2;u3;u4;u5" and pool["amount"] == "50000"
    assert "5个新付款人" in pool["reason_zh"] and "5 new payers" in pool["reason_en"]
    for account in "abc":
        cycle = by_key[(account, "SW-R-0307")]
        assert cycle["band"] == "ordered" and cycle["typology"] == "transfers.cycle"
        assert set(cycle["counterparties"].split(";")) == set("abc") - {account}
    assert report.rows_loaded == 9 and report.rows_rejected == 0
    assert report.findings == len(rows) and report.accounts_flagged == len(
        {r["account"] for r in rows}
    )


def test_label_columns_are_never_read(tmp_path: Path) -> None:
    plain = _write(tmp_path / "plain.csv", HEADER, _transfers())
    labelled = _write(
        tmp_path / "labelled.csv",
        [*HEADER, "is_sar", "alert_id"],
        [[*row, "not a bool", "x"] for row in _transfers()],
    )
    first = detect_file(plain, tmp_path / "a.csv")
    second = detect_file(labelled, tmp_path / "b.csv")
    assert first.out.read_text(encoding="utf-8") == second.out.read_text(encoding="utf-8")


def test_bad_rows_are_rejected_with_their_row_number_and_reason(tmp_path: Path) -> None:
    rows = _transfers()
    rows.append(["99", "u9", "P", "TRANSFER", "lots", "2017-03-09T00:00:00Z"])
    rows.append(["100", "u9", "P", "TRANSFER", "10.00", "the ides of March"])
    report = detect_file(_write(tmp_path / "t.csv", HEADER, rows), tmp_path / "FINDINGS.csv")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (11, 9, 2)
    assert {(r["row_number"], r["column"]) for r in report.rejects} == {
        (10, "amount"),
        (11, "booked_at"),
    }
    assert all(r["reason"] for r in report.rejects)


def test_a_file_without_the_columns_is_refused_and_the_old_output_kept(tmp_path: Path) -> None:
    out = tmp_path / "FINDINGS.csv"
    out.write_text("old\n", encoding="utf-8")
    source = _write(tmp_path / "t.csv", ["id", "from", "to"], [["1", "a", "b"]])
    with pytest.raises(InvalidInput, match="orig_acct"):
        detect_file(source, out)
    with pytest.raises(NotFound):
        detect_file(tmp_path / "missing.csv", out)
    assert out.read_text(encoding="utf-8") == "old\n"


def _labels(folder: Path) -> dict[str, set[str]]:
    members: dict[str, set[str]] = defaultdict(set)
    with (folder / "alert_accounts.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            members[row["alert_type"]].add(row["acct_id"])
    return members


@pytest.mark.slow
def test_on_ews12k_the_structural_rules_find_their_typologies(
    shared_data: Path, tmp_path: Path
) -> None:
    """Regression guard against the labels (read here only, never by the rules)."""
    folder = shared_data / "amlsim" / "ews12k"
    report = detect_file(folder / "transactions.csv.gz", tmp_path / "FINDINGS.csv")
    members = _labels(folder)
    sar = set().union(*members.values())
    flagged: dict[str, set[str]] = defaultdict(set)
    for row in _read(report.out):
        flagged[row["rule"]].add(row["account"])
    cycle = flagged["SW-R-0307"]
    assert len(cycle & members["cycle"]) >= 0.8 * len(members["cycle"])
    for rule in ("SW-R-0301", "SW-R-0305", "SW-R-0306", "SW-R-0307"):
        assert len(flagged[rule] & sar) >= 0.9 * len(flagged[rule]), rule
    fan_in_hubs = flagged["SW-R-0301"] & members["fan_in"]
    assert len(fan_in_hubs) >= 15  # of 20 fan-in alerts, each with one receiving hub


@pytest.mark.slow
@pytest.mark.spark
def test_duckdb_and_spark_write_the_same_findings_on_ews12k(
    shared_data: Path, tmp_path: Path
) -> None:
    source = shared_data / "amlsim" / "ews12k" / "transactions.csv.gz"
    duck = detect_file(source, tmp_path / "duckdb.csv")
    spark = detect_file(source, tmp_path / "spark.csv", engine_url="spark://local[2]")
    assert spark.engine == "spark" and duck.findings > 100
    assert spark.out.read_text(encoding="utf-8") == duck.out.read_text(encoding="utf-8")
