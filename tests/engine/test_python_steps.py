"""Python steps on worker processes: same results, same order, errors surface."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import pyarrow as pa
import pytest

from smokewatch.engine.python_steps import PythonSteps, WorkerFailed


def _double(batches: Iterator[pa.RecordBatch], *, offset: int) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        values = [v * 2 + offset for v in batch.column("x").to_pylist()]
        yield pa.RecordBatch.from_pydict({"x": values})


def _explode(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        if 13 in batch.column("x").to_pylist():
            raise ValueError("unlucky batch")
        yield batch


def _batches(n: int, size: int = 5) -> Iterator[pa.RecordBatch]:
    for i in range(n):
        yield pa.RecordBatch.from_pydict({"x": list(range(i * size, (i + 1) * size))})


@pytest.fixture
def steps() -> Iterator[PythonSteps]:
    runner = PythonSteps(workers=2)
    yield runner
    runner.close()


def test_workers_return_results_in_input_order(steps: PythonSteps) -> None:
    out = list(steps.run(functools.partial(_double, offset=1), _batches(7)))
    assert [v for b in out for v in b.column("x").to_pylist()] == [x * 2 + 1 for x in range(35)]
    assert len(steps._pool) == 2  # the work really went to the worker processes


def test_a_single_batch_stays_in_process(steps: PythonSteps) -> None:
    out = list(steps.run(functools.partial(_double, offset=0), _batches(1)))
    assert out[0].column("x").to_pylist() == [0, 2, 4, 6, 8]
    assert steps._pool == []


def test_a_failing_step_reports_the_worker_traceback(steps: PythonSteps) -> None:
    with pytest.raises(WorkerFailed, match="unlucky batch"):
        list(steps.run(_explode, _batches(6)))


def test_workers_can_be_reused_after_a_failure(steps: PythonSteps) -> None:
    with pytest.raises(WorkerFailed):
        list(steps.run(_explode, _batches(6)))
    out = list(steps.run(functools.partial(_double, offset=0), _batches(3)))
    assert sum(b.num_rows for b in out) == 15


def test_no_input_gives_no_output(steps: PythonSteps) -> None:
    assert list(steps.run(_explode, iter([]))) == []
