"""Spark's versioned Parquet folders: a failed write leaves nothing behind but the old versions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from smokewatch.engine import Engine, connect
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
    """Each table folder with the version folders in it (the pointer and others left out)."""
    return {
        table.name: sorted(p.name for p in table.iterdir() if p.name.startswith("v"))
        for table in sorted(warehouse.iterdir())
        if not table.name.startswith("_")
    }


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
