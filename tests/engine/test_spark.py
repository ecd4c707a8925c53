"""Spark's versioned Parquet folders and their catalog: tables flip together, failures leave
nothing behind but the old versions."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from smokewatch.engine import Engine, _catalog, connect
from smokewatch.errors import EngineError
from smokewatch.settings import EngineSettings

pytestmark = pytest.mark.spark

ROWS = pa.table({"id": ["a", "b", "c"], "name": ["芜湖财富管理有限公司", "甲", "乙"]})


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse"


@pytest.fixture
def spark(warehouse: Path) -> Iterator[Engine]:
    engine = connect(
        "spark://local[2]", EngineSettings(spark_shuffle_partitions=2), data_dir=warehouse
    )
    yield engine
    engine.close()


def _folders(warehouse: Path) -> dict[str, list[str]]:
    """Each table folder with the version folders in it (the catalog and others left out).

    Staged versions (``.staging/``) count too: none may be left once a replace returns.
    """
    return {
        folder.name: sorted(p.name for p in folder.iterdir() if p.name.startswith("v"))
        for folder in sorted(warehouse.iterdir())
        if folder.is_dir() and not folder.name.startswith("_") and folder.name != ".staging"
    } | ({".staging": ["left over"]} if any(warehouse.glob(".staging/*/*")) else {})


def test_a_failed_replace_removes_the_versions_it_wrote_for_the_other_tables(
    spark: Engine, warehouse: Path
) -> None:
    spark.replace_tables({"rows": ROWS})
    rows = spark.table("rows")
    bad = rows.mutate(number=rows.name.cast("int64"))
    with pytest.raises(EngineError, match="write bad"):
        spark.replace_tables({"rows": ROWS.slice(0, 1), "more": ROWS, "bad": bad})
    assert _folders(warehouse) == {"rows": ["v000001"]}


def test_a_parquet_file_that_cannot_be_written_is_an_engine_error_naming_the_table(
    spark: Engine, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spark.replace_tables({"rows": ROWS, "more": ROWS})
    write_table = pq.write_table

    def disk_full(table: pa.Table, where: Any, **kwargs: Any) -> None:
        if "more" not in Path(where).parts:  # "rows" is written first, and succeeds
            write_table(table, where, **kwargs)
            return
        Path(where).write_bytes(b"PAR1 half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("smokewatch.engine.spark.pq.write_table", disk_full)
    with pytest.raises(EngineError, match=r"write more: OSError: .*No space left") as raised:
        spark.replace_tables({"rows": ROWS.slice(0, 1), "more": ROWS.slice(0, 1)})
    assert (raised.value.engine, raised.value.step) == ("spark", "write more")
    monkeypatch.undo()
    assert _folders(warehouse) == {"more": ["v000001"], "rows": ["v000001"]}
    assert spark.count(spark.table("rows")) == spark.count(spark.table("more")) == 3


def test_after_a_failed_replace_the_next_one_keeps_the_previous_version_for_readers(
    spark: Engine, warehouse: Path
) -> None:
    # An unpublished left-over used to be numbered above the published version, so the
    # clean-up after the next replace kept the left-over and deleted the previous version.
    spark.replace_tables({"rows": ROWS})
    rows = spark.table("rows")
    bad = rows.mutate(number=rows.name.cast("int64"))
    with pytest.raises(EngineError):
        spark.replace_tables({"rows": ROWS.slice(0, 1), "bad": bad})
    spark.replace_tables({"rows": ROWS.slice(0, 2)})
    assert _folders(warehouse) == {"rows": ["v000001", "v000002"]}
    assert spark.count(spark.table("rows")) == 2


def test_a_version_left_by_a_crashed_writer_goes_and_the_published_ones_stay(
    spark: Engine, warehouse: Path
) -> None:
    spark.replace_tables({"rows": ROWS})
    spark.replace_tables({"rows": ROWS.slice(0, 2)})
    crashed = warehouse / "rows" / "v000009"  # written, never published: the process died
    crashed.mkdir()
    pq.write_table(ROWS.slice(0, 1), crashed / "part-00000.parquet")
    spark.replace_tables({"rows": ROWS.slice(0, 1)})
    # the previous version (v000002) stays for its readers; the new one is v000010
    assert _folders(warehouse) == {"rows": ["v000002", "v000010"]}
    assert spark.count(spark.table("rows")) == 1


def test_the_tables_of_one_replace_flip_together(
    spark: Engine, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each table had a pointer file of its own, replaced one after the other: when the
    # second replacement failed (or the process died before it), a scoring run's index was
    # new and its contributions old. Now one catalog replacement flips them all.
    spark.replace_tables({"rows": ROWS, "more": ROWS})
    replace = os.replace
    calls: list[str] = []

    def only_once(src: Any, dst: Any) -> None:
        calls.append(str(dst))
        if len(calls) > 1:
            raise OSError(5, "Input/output error")
        replace(src, dst)

    monkeypatch.setattr(os, "replace", only_once)
    with contextlib.suppress(EngineError):
        spark.replace_tables({"rows": ROWS.slice(0, 1), "more": ROWS.slice(0, 1)})
    monkeypatch.undo()
    counts = {spark.count(spark.table("rows")), spark.count(spark.table("more"))}
    assert len(counts) == 1, "one table flipped and the other did not"


def test_a_catalog_write_that_fails_leaves_every_table_at_its_old_version(
    spark: Engine, warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spark.replace_tables({"rows": ROWS, "more": ROWS.slice(0, 2)})

    def disk_full(data_dir: Path, tables: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_catalog, "write", disk_full)
    with pytest.raises(EngineError, match="No space left") as raised:
        spark.replace_tables({"rows": ROWS.slice(0, 1), "more": ROWS, "new": ROWS})
    monkeypatch.undo()
    assert (raised.value.engine, raised.value.step) == ("spark", "publish rows, more, new")
    assert spark.count(spark.table("rows")) == 3
    assert spark.count(spark.table("more")) == 2
    assert not spark.has_table("new")
    assert _folders(warehouse) == {"more": ["v000001"], "rows": ["v000001"]}


def test_a_workspace_written_with_pointer_files_opens_with_its_tables(
    spark: Engine, tmp_path: Path
) -> None:
    # Before the catalog, each table had a `_CURRENT` file naming its published version.
    old = tmp_path / "old_warehouse"
    for version, rows in [("v000001", ROWS), ("v000002", ROWS.slice(0, 2))]:
        (old / "rows" / version).mkdir(parents=True)
        pq.write_table(rows, old / "rows" / version / "part-00000.parquet")
    (old / "rows" / "_CURRENT").write_text("v000002", encoding="utf-8")
    engine = connect("spark://local[2]", EngineSettings(spark_shuffle_partitions=2), data_dir=old)
    try:
        assert engine.list_tables() == ["rows"]
        assert engine.count(engine.table("rows")) == 2
        assert json.loads((old / "_CATALOG.json").read_text(encoding="utf-8")) == {
            "rows": "v000002"
        }
        engine.replace_tables({"rows": ROWS.slice(0, 1)})
        assert engine.count(engine.table("rows")) == 1
        assert _folders(old) == {"rows": ["v000002", "v000003"]}
    finally:
        engine.close()
