"""Trading-venue files: products and trades load with Chinese headers, GBK, rejects and hashing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smokewatch.engine import Engine
from smokewatch.ingest.runner import IngestStatus, ingest_source
from smokewatch.ingest.spec import SourceSpec, parse_source_spec
from smokewatch.model.types.identity import exchange_hash, id_number_check_char
from smokewatch.progress import NO_PROGRESS
from tests.ingest.builders import NOW, uscc, write_csv

VENUE = uscc(41)
TRADE_HEADER = ("交易场所信用代码", "产品代码", "成交编号", "投资者标识", "投资者类型", "买卖方向")
TRADE_HEADER += ("成交数量", "成交价格", "成交金额", "保证金", "成交时间", "资金结算账户类型")


def _person(serial: int) -> str:
    first17 = f"34020219800101{serial:03d}"
    return first17 + id_number_check_char(first17)


def _trade_spec(folder: Path) -> SourceSpec:
    columns = {
        "venue_uscc": "交易场所信用代码",
        "product_code": "产品代码",
        "trade_number": "成交编号",
        "investor_hash": "投资者标识",
        "investor_kind": "投资者类型",
        "side": "买卖方向",
        "quantity": "成交数量",
        "price": "成交价格",
        "amount": "成交金额",
        "margin": "保证金",
        "traded_at": "成交时间",
        "settlement": "资金结算账户类型",
    }
    data: dict[str, Any] = {
        "id": "venue_trades",
        "title": {"zh": "交易场所成交明细", "en": "Venue trades"},
        "publisher": "芜湖市地方金融管理局",
        "licence": "internal",
        "pii": "personal",
        "table": "venue_trade",
        "location": "trades.csv",
        "encoding": "gbk",
        "id_prefix": "vt",
        "key": [["venue_uscc", "trade_number"]],
        "mode": "snapshot",
        "columns": columns,
    }
    return parse_source_spec(data, folder=folder)


def _row(number: int, investor: str, **changes: str) -> dict[str, str]:
    row = {
        "交易场所信用代码": VENUE,
        "产品代码": "P001",
        "成交编号": f"T{number:04d}",
        "投资者标识": investor,
        "投资者类型": "个人",
        "买卖方向": "认购",
        "成交数量": "100",
        "成交价格": "100.00",
        "成交金额": "1万元",
        "保证金": "",
        "成交时间": "2026-03-02 09:31:00",
        "资金结算账户类型": "银行存管",
    }
    row.update(changes)
    return row


def _load(engine: Engine, tmp_path: Path, rows: list[dict[str, str]], run: str = "run-1") -> Any:
    write_csv(tmp_path / "trades.csv", rows, header=TRADE_HEADER, encoding="gbk")
    spec = _trade_spec(tmp_path)
    return ingest_source(
        engine,
        spec,
        file=None,
        run_id=run,
        now=NOW,
        batch_size=1_000,
        within_adcode="340200",
        progress=NO_PROGRESS,
    )


def test_a_gbk_trade_file_loads_with_its_vocabularies_and_amounts(
    duckdb_engine: Engine, tmp_path: Path
) -> None:
    hashed = exchange_hash(_person(2))
    result = _load(
        duckdb_engine,
        tmp_path,
        [_row(1, _person(1)), _row(2, hashed.upper(), 买卖方向="赎回", 保证金="2000")],
    )
    assert (result.status, result.rows_loaded, result.rows_rejected) == (IngestStatus.LOADED, 2, 0)
    rows = sorted(
        duckdb_engine.to_arrow(duckdb_engine.table("venue_trade")).to_pylist(),
        key=lambda r: r["trade_number"],
    )
    assert [r["side"] for r in rows] == ["buy", "sell"]
    assert [r["settlement"] for r in rows] == ["custody", "custody"]
    assert [r["investor_kind"] for r in rows] == ["person", "person"]
    assert [float(r["amount"]) for r in rows] == [10000.0, 10000.0]
    assert rows[1]["margin"] is not None and float(rows[1]["margin"]) == 2000.0


def test_a_clear_id_number_is_stored_only_as_its_exchange_hash(
    duckdb_engine: Engine, tmp_path: Path
) -> None:
    _load(duckdb_engine, tmp_path, [_row(1, _person(1))])
    [row] = duckdb_engine.to_arrow(duckdb_engine.table("venue_trade")).to_pylist()
    assert row["investor_hash"] == exchange_hash(_person(1))
    assert _person(1) not in str(row)


def test_an_investor_that_is_neither_a_number_nor_a_hash_rejects_the_row(
    duckdb_engine: Engine, tmp_path: Path
) -> None:
    wrong = _person(3)[:-1] + ("0" if _person(3)[-1] != "0" else "1")
    result = _load(duckdb_engine, tmp_path, [_row(1, _person(1)), _row(2, wrong), _row(3, "客户A")])
    assert (result.rows_loaded, result.rows_rejected) == (1, 2)
    reasons = {r["row_number"]: (r["column"], r["reason"]) for r in result.rejects.to_pylist()}
    assert reasons[3][0] == "investor_hash" and "check character" in reasons[3][1]
    assert reasons[4][0] == "investor_hash" and "not an ID number" in reasons[4][1]


def test_loading_the_same_file_twice_changes_nothing(duckdb_engine: Engine, tmp_path: Path) -> None:
    rows = [_row(1, _person(1)), _row(2, _person(2), 买卖方向="卖出")]
    first = _load(duckdb_engine, tmp_path, rows)
    again = _load(duckdb_engine, tmp_path, rows, run="run-2")
    assert first.status is IngestStatus.LOADED
    assert again.status is IngestStatus.UNCHANGED
    assert duckdb_engine.to_arrow(duckdb_engine.table("venue_trade")).num_rows == 2
