"""The engine conformance suite: every test runs on DuckDB and on Spark and must agree."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pyarrow as pa
import pytest

from smokewatch.engine import Engine
from smokewatch.engine.sql import compile_sql, parse
from smokewatch.errors import EngineError, InvalidInput
from smokewatch.model.tables import get_table

ROWS = pa.table(
    {
        "id": ["a", "b", "c"],
        "name": ["芜湖财富管理有限公司", "芜湖商贸有限公司", "P2P金融信息服务有限公司"],
        "capital": pa.array([Decimal("100000000.00"), None, Decimal("0.50")], pa.decimal128(20, 2)),
        "on": pa.array([date(2020, 1, 2), date(2021, 3, 4), None]),
        "seen": pa.array([datetime(2024, 1, 1, tzinfo=UTC)] * 3, pa.timestamp("us", tz="UTC")),
        "names": pa.array([["旧名"], [], None], pa.list_(pa.string())),
    }
)


def test_arrow_round_trip_keeps_types_and_values(engine: Engine) -> None:
    engine.replace_tables({"rows": ROWS})
    back = engine.to_arrow(engine.table("rows").order_by("id"))
    assert back.schema.equals(ROWS.schema)
    assert back.to_pylist() == ROWS.to_pylist()


def test_ensure_table_creates_an_empty_typed_table_once(engine: Engine) -> None:
    schema = get_table("licence").arrow_schema()
    engine.ensure_table("licence", schema)
    engine.ensure_table("licence", schema)
    assert engine.count(engine.table("licence")) == 0
    assert engine.to_arrow(engine.table("licence")).schema.names == schema.names


def test_replace_tables_swaps_contents(engine: Engine) -> None:
    engine.replace_tables({"rows": ROWS})
    rows = engine.table("rows")
    engine.replace_tables({"rows": rows.filter(rows.id != "a")})
    assert sorted(engine.to_arrow(engine.table("rows"))["id"].to_pylist()) == ["b", "c"]


def test_failed_replace_leaves_previous_contents(engine: Engine) -> None:
    engine.replace_tables({"rows": ROWS})
    bad = engine.sql(
        compile_sql(parse("select 1/0 as x from rows"), {}, engine.dialect, step="bad")
    )
    broken = {"rows": ROWS.slice(0, 1), "other": bad.mutate(y=bad.x.cast("int64"))}
    with contextlib.suppress(EngineError):
        engine.replace_tables(broken)
    # Either the whole replace failed (DuckDB/ANSI Spark error) or it succeeded; it must
    # never leave `rows` half-replaced.
    count = engine.count(engine.table("rows"))
    assert count in {1, 3}


def _contents(engine: Engine, name: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = engine.to_arrow(engine.table(name).order_by("id")).to_pylist()
    return rows


def test_nulls_in_a_non_nullable_column_are_refused_and_the_old_contents_kept(
    engine: Engine,
) -> None:
    # DuckDB used to store them and Spark to fail with a bare ArrowInvalid, after writing
    # the tables before it.
    engine.replace_tables({"rows": ROWS})
    required = pa.schema(
        [pa.field("id", pa.string(), nullable=False), pa.field("kind", pa.string(), False)]
    )
    bad = pa.Table.from_pylist([{"id": "x", "kind": None}, {"id": None, "kind": "k"}], required)
    with pytest.raises(
        EngineError, match=r"column\(s\) id \(1 of 2 rows\), kind \(1 of 2 rows\)$"
    ) as raised:
        engine.replace_tables({"rows": ROWS.slice(0, 1), "bad": bad})
    assert (raised.value.engine, raised.value.step) == (engine.name, "write bad")
    assert _contents(engine, "rows") == ROWS.to_pylist()
    assert not engine.has_table("bad")


def test_nulls_in_a_non_nullable_column_are_refused_by_register_too(engine: Engine) -> None:
    # A session view could hold rows its own schema forbids, and pass them on to every table
    # computed from it.
    engine.register("rows", ROWS)
    required = pa.schema([pa.field("id", pa.string(), nullable=False), ("kind", pa.string())])
    bad = pa.Table.from_pylist([{"id": "x", "kind": None}, {"id": None, "kind": "k"}], required)
    with pytest.raises(EngineError, match=r"column\(s\) id \(1 of 2 rows\)$") as raised:
        engine.register("rows", bad)
    assert (raised.value.engine, raised.value.step) == (engine.name, "register rows")
    assert _contents(engine, "rows") == ROWS.to_pylist()  # the view registered before stays


def test_a_replace_with_one_failing_table_keeps_every_table_as_it_was(engine: Engine) -> None:
    engine.replace_tables({"rows": ROWS, "more": ROWS.slice(0, 2)})
    rows = engine.table("rows")
    # Company names are not numbers: the cast fails only when the table is written.
    bad = rows.mutate(number=rows.name.cast("int64"))
    with pytest.raises(EngineError) as raised:
        engine.replace_tables({"rows": ROWS.slice(0, 1), "more": ROWS, "bad": bad})
    assert (raised.value.engine, raised.value.step) == (engine.name, "write bad")
    assert _contents(engine, "rows") == ROWS.to_pylist()
    assert _contents(engine, "more") == ROWS.slice(0, 2).to_pylist()
    assert not engine.has_table("bad")
    # … and the next replace starts from there.
    engine.replace_tables({"rows": ROWS.slice(2), "more": ROWS.slice(2)})
    assert _contents(engine, "rows") == _contents(engine, "more") == ROWS.slice(2).to_pylist()


def test_rule_sql_with_bound_parameters_gives_identical_results(engine: Engine) -> None:
    engine.register("rows", ROWS)
    engine.register("words", pa.table({"word": ["财富管理", "金融", "P2P"]}))
    tree = parse(
        "select r.id, w.word, instr(r.name, w.word) as pos from rows r "
        "join words w on contains(r.name, w.word) where r.id <> :skip order by r.id, w.word"
    )
    result = engine.to_arrow(engine.sql(compile_sql(tree, {"skip": "b"}, engine.dialect, step="t")))
    assert result.to_pylist() == [
        {"id": "a", "word": "财富管理", "pos": 3},
        {"id": "c", "word": "P2P", "pos": 1},
        {"id": "c", "word": "金融", "pos": 4},
    ]


def _shout(batches: Iterator[pa.RecordBatch], suffix: str) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        names = [f"{n}{suffix}" for n in batch.column("name").to_pylist()]
        yield pa.RecordBatch.from_pydict({"id": batch.column("id"), "shout": names})


def test_map_batches_runs_python_over_arrow_batches(engine: Engine) -> None:
    engine.register("rows", ROWS)
    rows = engine.table("rows")
    schema = pa.schema([("id", pa.string()), ("shout", pa.string())])
    out = engine.map_batches(
        rows.filter(rows.id != "b"), functools.partial(_shout, suffix="！"), schema, name="shouted"
    )
    result = engine.to_arrow(out.order_by("id"))
    assert result.to_pylist() == [
        {"id": "a", "shout": "芜湖财富管理有限公司！"},
        {"id": "c", "shout": "P2P金融信息服务有限公司！"},
    ]


def test_engine_failures_carry_step_and_sql(engine: Engine) -> None:
    tree = parse("select no_such_column from missing_table")
    with pytest.raises(EngineError) as info:
        engine.to_arrow(engine.sql(compile_sql(tree, {}, engine.dialect, step="probe")))
    assert info.value.engine == engine.name


def test_table_names_are_identifiers_only(engine: Engine) -> None:
    with pytest.raises(InvalidInput):
        engine.table('rows"; drop table x; --')


def test_empty_arrow_tables_register_with_their_schema(engine: Engine) -> None:
    empty = pa.Table.from_batches([], schema=ROWS.schema)
    table = engine.register("nothing", empty)
    assert engine.count(table) == 0
    assert engine.to_arrow(table).schema.names == ROWS.schema.names


def test_registered_tables_keep_every_row_of_every_chunk(engine: Engine) -> None:
    # Findings arrive as one chunk per rule, and a rule that found nothing leaves an empty
    # chunk in the middle. PySpark 4.0 stops reading an Arrow stream at an empty batch, so
    # without care every rule after it was lost on Spark.
    empty = ROWS.slice(0, 0)
    chunked = pa.concat_tables([ROWS.slice(0, 1), empty, ROWS.slice(1, 2), empty])
    assert chunked.column("id").num_chunks == 4
    table = engine.register("chunked", chunked)
    assert sorted(engine.to_arrow(table)["id"].to_pylist()) == ["a", "b", "c"]


def test_materialise_computes_a_session_table_that_drop_removes(engine: Engine) -> None:
    engine.register("rows", ROWS)
    rows = engine.table("rows")
    kept = engine.materialise("kept", rows.filter(rows.id != "b").select("id", "name"))
    assert sorted(engine.to_arrow(kept)["id"].to_pylist()) == ["a", "c"]
    assert engine.has_table("kept")
    engine.drop_table("kept")
    assert not engine.has_table("kept")
