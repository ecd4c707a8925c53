"""Ingest runs: loading, idempotency, snapshot and upsert, atomicity — on every engine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from smokewatch.engine import Engine
from smokewatch.errors import IngestRunFailed, InvalidInput, NotFound
from smokewatch.ingest.runner import STATE_TABLE, IngestResult, IngestStatus, ingest_source
from smokewatch.ingest.spec import SourceSpec
from smokewatch.model.ids import make_id
from smokewatch.progress import NO_PROGRESS, Progress
from tests.ingest.builders import (
    LATER,
    NOW,
    REGISTRY_COLUMNS,
    bad_uscc,
    licence_spec,
    registry_row,
    registry_spec,
    uscc,
    write_csv,
    write_jsonl,
    write_parquet,
    write_xlsx,
)


def _ingest(
    engine: Engine,
    spec: SourceSpec,
    *,
    run_id: str = "run-1",
    file: Path | None = None,
    now: Any = NOW,
    batch_size: int = 1_000,
    progress: Progress = NO_PROGRESS,
) -> IngestResult:
    return ingest_source(
        engine,
        spec,
        file=file,
        run_id=run_id,
        now=now,
        batch_size=batch_size,
        within_adcode="340200",
        progress=progress,
    )


def _rows(engine: Engine, table: str = "enterprise") -> list[dict[str, Any]]:
    rows = engine.to_arrow(engine.table(table)).to_pylist()
    return sorted(rows, key=lambda r: (str(r.get("id")), str(r.get("source"))))


def _by_name(engine: Engine) -> dict[str, dict[str, Any]]:
    return {r["name"]: r for r in _rows(engine)}


def _registry(tmp_path: Path, rows: Sequence[dict[str, str]], **spec: Any) -> SourceSpec:
    write_csv(tmp_path / "enterprises.csv", rows, encoding="gb18030")
    return registry_spec(tmp_path, **spec)


# -- on every engine -------------------------------------------------------------------------


def test_a_registry_file_loads_into_the_enterprise_table(engine: Engine, tmp_path: Path) -> None:
    spec = _registry(tmp_path, [registry_row(1), registry_row(2, 住所="芜湖市鸠江区湾里街道")])
    result = _ingest(engine, spec)
    assert (result.status, result.encoding) == (IngestStatus.LOADED, "gb18030")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 2, 0)
    rows = _rows(engine)
    assert [r["id"] for r in rows] == sorted(make_id("ent", "uscc", uscc(i)) for i in (1, 2))
    assert {(r["adcode"], r["adcode_source"]) for r in rows} == {
        ("340202", "address"),
        ("340207004", "address"),
    }
    assert {(r["source"], r["run_id"], r["first_seen"]) for r in rows} == {
        ("registry", "run-1", NOW)
    }


def test_a_second_run_of_the_same_file_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    spec = _registry(tmp_path, [registry_row(1), registry_row(2)])
    _ingest(engine, spec)
    before = _rows(engine)
    again = _ingest(engine, spec, run_id="run-2", now=LATER)
    assert again.status == IngestStatus.UNCHANGED
    assert again.rows_read == 0
    assert _rows(engine) == before


def test_a_snapshot_drops_vanished_rows_and_keeps_first_seen_of_survivors(
    engine: Engine, tmp_path: Path
) -> None:
    _ingest(engine, _registry(tmp_path, [registry_row(1), registry_row(2)]))
    spec = _registry(tmp_path, [registry_row(2, 注册资本="2000万"), registry_row(3)])
    result = _ingest(engine, spec, run_id="run-2", now=LATER)
    assert result.rows_removed == 1
    rows = _by_name(engine)
    assert sorted(rows) == ["芜湖市第2号财富管理有限公司", "芜湖市第3号财富管理有限公司"]
    survivor = rows["芜湖市第2号财富管理有限公司"]
    assert (survivor["first_seen"], survivor["last_seen"], survivor["run_id"]) == (
        NOW,
        LATER,
        "run-2",
    )
    assert str(survivor["registered_capital"]) == "20000000.00"
    assert rows["芜湖市第3号财富管理有限公司"]["first_seen"] == LATER


def test_upsert_keeps_the_rows_a_file_does_not_mention(engine: Engine, tmp_path: Path) -> None:
    _ingest(engine, _registry(tmp_path, [registry_row(1), registry_row(2)], mode="upsert"))
    spec = _registry(tmp_path, [registry_row(2, 登记状态="注销")], mode="upsert")
    result = _ingest(engine, spec, run_id="run-2", now=LATER)
    assert result.rows_removed == 0
    rows = _by_name(engine)
    assert rows["芜湖市第1号财富管理有限公司"]["run_id"] == "run-1"
    assert rows["芜湖市第2号财富管理有限公司"]["status"] == "cancelled"


def test_rows_of_other_sources_are_left_alone(engine: Engine, tmp_path: Path) -> None:
    _ingest(engine, _registry(tmp_path, [registry_row(1)]))
    other = tmp_path / "other"
    other.mkdir()
    branch = _registry(other, [registry_row(7)], id="branch", id_prefix="br")
    _ingest(engine, branch, run_id="run-2")
    assert sorted((r["source"], r["name"]) for r in _rows(engine)) == [
        ("branch", "芜湖市第7号财富管理有限公司"),
        ("registry", "芜湖市第1号财富管理有限公司"),
    ]


def test_a_snapshot_with_only_a_header_empties_the_source(engine: Engine, tmp_path: Path) -> None:
    _ingest(engine, _registry(tmp_path, [registry_row(1)]))
    result = _ingest(engine, _registry(tmp_path, []), run_id="run-2")
    assert (result.rows_read, result.rows_removed) == (0, 1)
    assert _rows(engine) == []


class _FailAfter:
    """Progress that breaks after some batches, like an interrupted run."""

    def __init__(self, batches: int) -> None:
        self.left = batches

    def start(self, task: str, total: int | None = None) -> None:
        return None

    def advance(self, units: int = 1) -> None:
        self.left -= 1
        if self.left == 0:
            raise RuntimeError("the machine went away")

    def finish(self) -> None:
        return None


def test_a_run_that_fails_half_way_leaves_the_tables_as_they_were(
    engine: Engine, tmp_path: Path
) -> None:
    _ingest(engine, _registry(tmp_path, [registry_row(i) for i in range(3)]))
    tables, before, state = engine.list_tables(), _rows(engine), _rows(engine, STATE_TABLE)
    spec = _registry(tmp_path, [registry_row(i) for i in range(10, 40)])
    with pytest.raises(IngestRunFailed, match="the machine went away") as info:
        _ingest(engine, spec, run_id="run-2", batch_size=5, progress=_FailAfter(batches=3))
    assert isinstance(info.value.__cause__, RuntimeError)
    assert _rows(engine) == before
    assert _rows(engine, STATE_TABLE) == state
    assert engine.list_tables() == tables


# -- on DuckDB -------------------------------------------------------------------------------


def test_an_engine_failure_at_the_switch_leaves_the_table_as_it_was(
    duckdb_engine: Engine, tmp_path: Path
) -> None:
    drifted = pa.table({"id": ["ent-1"], "name": ["旧表"], "source": ["registry"]})
    duckdb_engine.replace_tables({"enterprise": drifted})
    with pytest.raises(IngestRunFailed, match="table 'enterprise' is unchanged"):
        _ingest(duckdb_engine, _registry(tmp_path, [registry_row(1)]))
    assert duckdb_engine.to_arrow(duckdb_engine.table("enterprise")).equals(drifted)


def test_rejects_carry_row_numbers_and_reasons(duckdb_engine: Engine, tmp_path: Path) -> None:
    rows: list[Any] = [
        registry_row(1),
        registry_row(2, 统一社会信用代码=bad_uscc(2)),
        registry_row(3, 成立日期="2019-13-01"),
        registry_row(4, 登记状态="待核实"),
        registry_row(5, 统一社会信用代码="", 住所=""),
        [uscc(6), "芜湖市第6号财富管理有限公司", "100"],
        registry_row(1, 企业名称="芜湖市第1号财富管理有限公司（新）"),
    ]
    result = _ingest(duckdb_engine, _registry(tmp_path, rows))
    rejects = [(r["row_number"], r["column"], r["reason"]) for r in result.rejects.to_pylist()]
    assert rejects == [
        (2, None, "duplicate key, superseded by row 8"),
        (3, "uscc", f"USCC check character is {bad_uscc(2)[-1]!r} but should be {uscc(2)[-1]!r}"),
        (4, "established_on", "not a calendar date: '2019-13-01' (month must be in 1..12)"),
        (5, "status", "unknown enterprise_status value '待核实'"),
        (
            6,
            None,
            "no key: every key alternative has an empty column (uscc | name+registered_address)",
        ),
        (7, None, "row has 3 fields, the header has 6"),
    ]
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (7, 1, 6)
    assert [r["name"] for r in _rows(duckdb_engine)] == ["芜湖市第1号财富管理有限公司(新)"]


def test_the_raw_row_of_a_superseded_duplicate_is_kept(
    duckdb_engine: Engine, tmp_path: Path
) -> None:
    spec = _registry(tmp_path, [registry_row(1, 注册资本="1"), registry_row(1, 注册资本="2")])
    [reject] = _ingest(duckdb_engine, spec, batch_size=1).rejects.to_pylist()
    assert '"注册资本": "1"' in reject["raw"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_registry_files_in_every_chinese_encoding_load_alike(
    duckdb_engine: Engine, tmp_path: Path, encoding: str
) -> None:
    write_csv(tmp_path / "enterprises.csv", [registry_row(1)], encoding=encoding)
    _ingest(duckdb_engine, registry_spec(tmp_path))
    assert [r["name"] for r in _rows(duckdb_engine)] == ["芜湖市第1号财富管理有限公司"]


def test_a_licence_register_loads_from_a_workbook(duckdb_engine: Engine, tmp_path: Path) -> None:
    header = [
        "持牌机构名称",
        "统一社会信用代码",
        "牌照类型",
        "许可证编号",
        "有效期起",
        "有效期至",
        "状态",
    ]
    write_xlsx(
        tmp_path / "licences.xlsx",
        [
            header,
            [
                "芜湖某某私募基金管理有限公司",
                uscc(1),
                "私募基金管理人登记",
                "P1000001",
                date(2018, 3, 1),
                "长期",
                "正常",
            ],
            [
                "芜湖某某融资担保有限公司",
                uscc(2),
                "融资担保",
                "皖0001",
                "2020-01-01",
                "2025-12-31",
                "有效",
            ],
        ],
        sheet="牌照",
    )
    result = _ingest(duckdb_engine, licence_spec(tmp_path))
    assert (result.rows_loaded, result.encoding) == (2, None)
    rows = sorted(_rows(duckdb_engine, "licence"), key=lambda r: r["number"])
    assert [(r["kind"], r["valid_from"], r["valid_to"], r["status"]) for r in rows] == [
        ("private_fund_manager", date(2018, 3, 1), None, "active"),
        ("financing_guarantee", date(2020, 1, 1), date(2025, 12, 31), "active"),
    ]
    assert rows[0]["id"] == make_id("lic", "kind+number", "private_fund_manager", "P1000001")


def test_a_parquet_export_loads(duckdb_engine: Engine, tmp_path: Path) -> None:
    table = pa.Table.from_pylist([registry_row(1), registry_row(2)])
    write_parquet(tmp_path / "enterprises.parquet", table)
    result = _ingest(duckdb_engine, registry_spec(tmp_path, location="enterprises.parquet"))
    assert result.rows_loaded == 2
    assert [r["source_row"] for r in _rows(duckdb_engine)] != []


def test_json_lines_load_with_line_numbers(duckdb_engine: Engine, tmp_path: Path) -> None:
    write_jsonl(tmp_path / "enterprises.jsonl", [registry_row(1), "{broken", registry_row(2)])
    result = _ingest(duckdb_engine, registry_spec(tmp_path, location="enterprises.jsonl"))
    assert result.rows_loaded == 2
    assert [r["row_number"] for r in result.rejects.to_pylist()] == [2]
    assert sorted(r["source_row"] for r in _rows(duckdb_engine)) == [1, 3]


def test_values_stored_as_null_are_counted_per_column(
    duckdb_engine: Engine, tmp_path: Path
) -> None:
    columns = REGISTRY_COLUMNS | {"phone": {"column": "联系电话", "on_error": "null"}}
    rows = [registry_row(1, 联系电话="12"), registry_row(2, 联系电话="13912345678")]
    write_csv(tmp_path / "enterprises.csv", rows, header=[*rows[0]])
    result = _ingest(duckdb_engine, registry_spec(tmp_path, columns=columns))
    assert (result.rows_loaded, dict(result.nulls_coerced)) == (2, {"phone": 1})


def test_a_changed_mapping_loads_an_unchanged_file_again(
    duckdb_engine: Engine, tmp_path: Path
) -> None:
    _ingest(duckdb_engine, _registry(tmp_path, [registry_row(1)]))
    again = _ingest(duckdb_engine, registry_spec(tmp_path, mode="upsert"), run_id="run-2")
    assert again.status == IngestStatus.LOADED


def test_the_state_table_remembers_what_each_source_loaded(
    duckdb_engine: Engine, tmp_path: Path
) -> None:
    result = _ingest(duckdb_engine, _registry(tmp_path, [registry_row(1)]))
    [state] = _rows(duckdb_engine, STATE_TABLE)
    assert (state["source"], state["table"], state["run_id"], state["loaded_at"]) == (
        "registry",
        "enterprise",
        "run-1",
        NOW,
    )
    assert state["content_hash"] == result.content_hash


def test_progress_counts_the_rows_of_every_batch(duckdb_engine: Engine, tmp_path: Path) -> None:
    counted: list[int] = []

    class Counting:
        def start(self, task: str, total: int | None = None) -> None:
            counted.clear()

        def advance(self, units: int = 1) -> None:
            counted.append(units)

        def finish(self) -> None:
            return None

    spec = _registry(tmp_path, [registry_row(i) for i in range(7)])
    _ingest(duckdb_engine, spec, batch_size=3, progress=Counting())
    assert counted == [3, 3, 1]


def test_a_missing_file_is_not_found(duckdb_engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        _ingest(duckdb_engine, registry_spec(tmp_path))


def test_an_undecodable_file_is_invalid_input_and_loads_nothing(
    duckdb_engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / "enterprises.csv").write_bytes(b"\xff\xfe\xff\x00garbage")
    with pytest.raises(InvalidInput, match="set encoding"):
        _ingest(duckdb_engine, registry_spec(tmp_path))
    assert _rows(duckdb_engine) == []
