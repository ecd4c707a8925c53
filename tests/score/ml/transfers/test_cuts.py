"""Cut training: each part's features come from the file cut right after that part."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from smokewatch.engine.base import Engine
from smokewatch.engine.connect import connect
from smokewatch.errors import InvalidInput
from smokewatch.graph.transfers import GraphWindows
from smokewatch.score.ml.features import feature_matrix
from smokewatch.score.ml.transfers import cuts, task
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES
from smokewatch.settings import EngineSettings
from tests.graph.transfer_rows import Row, transfer_table

ROWS = 600
SPLIT = task.SPLIT


def _rows(seed: int, ids: range, first_day: int, days: int) -> list[Row]:
    """Ordinary traffic among 20 accounts, in day order, ids in ``ids``."""
    rng = np.random.default_rng(seed)
    day = np.sort(rng.integers(first_day, first_day + days, len(ids)))
    payer = rng.integers(0, 20, len(ids))
    payee = (payer + rng.integers(1, 20, len(ids))) % 20
    amount = rng.uniform(1.0, 900.0, len(ids)).round(2)
    return [
        (i, f"A{p:02d}", f"A{q:02d}", int(d), float(m))
        for i, p, q, d, m in zip(ids, payer, payee, day, amount, strict=True)
    ]


def _file(seed_after: int) -> pa.Table:
    """A 600-transfer file over 240 days; the rows after the training part vary with the seed."""
    a = int(ROWS * SPLIT[0])
    head = _rows(1, range(1, a + 1), 0, 144)
    return transfer_table(head + _rows(seed_after, range(a + 1, ROWS + 1), 144, 96))


def _matrix(engine: Engine, transfers: pa.Table, parts: list[cuts.Part]) -> np.ndarray:
    frame = cuts.cut_features(engine, transfers, None, GraphWindows(), parts)
    assert frame.column("tran_id").to_pylist() == transfers.column("tran_id").to_pylist()
    return feature_matrix(frame, TRANSFER_FEATURES)


def _same(x: np.ndarray, y: np.ndarray) -> bool:
    return bool(np.array_equal(x, y, equal_nan=True))


def test_the_plan_cuts_after_each_part() -> None:
    a, b = int(ROWS * SPLIT[0]), int(ROWS * SPLIT[1])
    assert cuts.plan(ROWS, SPLIT, 0) == [cuts.Part(0, ROWS)]
    assert cuts.plan(ROWS, SPLIT, 1) == [cuts.Part(0, a), cuts.Part(a, b), cuts.Part(b, ROWS)]
    three = cuts.plan(ROWS, SPLIT, 3)
    assert [p.end for p in three] == [a // 3, 2 * a // 3, a, b, ROWS]
    assert all(p.start == q.end for q, p in itertools.pairwise(three))
    with pytest.raises(InvalidInput):
        cuts.plan(ROWS, SPLIT, cuts.MAX_INNER + 1)


def test_a_row_never_sees_transfers_after_its_parts_cut(duckdb_engine: Engine) -> None:
    a = int(ROWS * SPLIT[0])
    one, other = _file(2), _file(3)  # the same first 60 %, different transfers after it
    parts = cuts.plan(ROWS, SPLIT, 2)
    x_one, x_other = _matrix(duckdb_engine, one, parts), _matrix(duckdb_engine, other, parts)
    assert _same(x_one[:a], x_other[:a])
    assert not _same(x_one[a:], x_other[a:])
    # Without cuts, the training rows near the cut see what comes after it.
    once = cuts.plan(ROWS, SPLIT, 0)
    assert not _same(_matrix(duckdb_engine, one, once)[:a], _matrix(duckdb_engine, other, once)[:a])


def test_each_part_is_featurised_as_the_file_truncated_at_its_cut(duckdb_engine: Engine) -> None:
    transfers = _file(2)
    parts = cuts.plan(ROWS, SPLIT, 2)
    x = _matrix(duckdb_engine, transfers, parts)
    for part in parts:
        alone = transfers.slice(0, part.end)
        truncated = _matrix(duckdb_engine, alone, [cuts.Part(0, part.end)])
        assert _same(x[part.start : part.end], truncated[part.start :])


def test_transfers_out_of_order_are_refused(duckdb_engine: Engine) -> None:
    transfers = _file(2)
    backwards = transfers.take(pa.array(range(ROWS - 1, -1, -1)))
    with pytest.raises(InvalidInput, match="increasing tran_id"):
        cuts.cut_features(duckdb_engine, backwards, None, GraphWindows(), [cuts.Part(0, ROWS)])


@pytest.mark.slow
@pytest.mark.spark
def test_spark_cuts_the_file_as_duckdb_does(duckdb_engine: Engine, tmp_path: Path) -> None:
    transfers = _file(2)
    parts = cuts.plan(ROWS, SPLIT, 2)
    spark = connect(
        "spark://local[2]",
        EngineSettings(spark_shuffle_partitions=2),
        data_dir=tmp_path / "warehouse",
    )
    try:
        on_spark = _matrix(spark, transfers, parts)
    finally:
        spark.close()
    assert _same(on_spark, _matrix(duckdb_engine, transfers, parts))
