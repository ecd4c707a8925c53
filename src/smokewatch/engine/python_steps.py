"""Running Python steps over Arrow batches on every core of the machine (DuckDB engine).

DuckDB runs queries on all cores, but a Python step (a detector reading Chinese text) would
run on one. :class:`PythonSteps` hands the batches of a step to worker processes
(:mod:`smokewatch.engine.python_worker`) and yields their results in input order. Small
inputs (a single batch) stay in process: starting workers would cost more than it saves.

Workers are plain ``python -m`` processes fed through pipes — not ``multiprocessing``, which
would fork a process full of DuckDB and Arrow threads, or re-import the caller's main script.
They start on first use and live as long as the engine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from itertools import chain
from typing import IO, Any

import pyarrow as pa

from smokewatch.engine.base import BatchFn
from smokewatch.engine.python_worker import read_frame, write_frame


def default_workers() -> int:
    """Worker processes for Python steps: the CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


class WorkerFailed(RuntimeError):
    """A Python step failed in a worker; the message carries the worker's traceback."""


def _portable(fn: BatchFn) -> bool:
    """Whether ``fn`` can be pickled by reference (module-level, importable)."""
    target: Any = getattr(fn, "func", fn)
    module = sys.modules.get(getattr(target, "__module__", "") or "")
    return module is not None and not getattr(module, "__smokewatch_by_value__", False)


class _Worker:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "smokewatch.engine.python_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    @property
    def stdin(self) -> IO[bytes]:
        assert self.proc.stdin is not None  # noqa: S101 - set by Popen(stdin=PIPE)
        return self.proc.stdin

    @property
    def stdout(self) -> IO[bytes]:
        assert self.proc.stdout is not None  # noqa: S101 - set by Popen(stdout=PIPE)
        return self.proc.stdout

    def send(self, fn: BatchFn, batch: pa.RecordBatch) -> None:
        write_frame(self.stdin, (fn, batch))

    def receive(self) -> list[pa.RecordBatch]:
        answer = read_frame(self.stdout)
        if answer is None:
            raise WorkerFailed(f"Python worker {self.proc.pid} stopped unexpectedly")
        ok, value = answer
        if not ok:
            raise WorkerFailed(str(value))
        result: list[pa.RecordBatch] = value
        return result

    def close(self) -> None:
        if self.proc.poll() is None:
            self.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class PythonSteps:
    """Runs a :data:`BatchFn` over batches, in parallel when there is enough work."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: list[_Worker] = []

    def run(self, fn: BatchFn, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """Outputs of ``fn`` in input order. ``fn`` must treat batches independently."""
        first = next(batches, None)
        second = next(batches, None) if first is not None else None
        if second is None or self.workers <= 1 or not _portable(fn):
            head = [b for b in (first, second) if b is not None]
            yield from fn(chain(head, batches))
            return
        if not self._pool:
            self._pool = [_Worker() for _ in range(self.workers)]
        idle = deque(self._pool)
        busy: deque[_Worker] = deque()  # in order of the batches they hold
        try:
            for batch in chain([first, second], batches):
                if not idle:
                    worker = busy.popleft()
                    yield from worker.receive()
                    idle.append(worker)
                worker = idle.popleft()
                worker.send(fn, batch)
                busy.append(worker)
            while busy:
                yield from busy.popleft().receive()
        except BaseException:
            self.close()  # a half-read pipe cannot be reused
            raise

    def close(self) -> None:
        """Stop the worker processes."""
        for worker in self._pool:
            worker.close()
        self._pool = []


__all__ = ["PythonSteps", "WorkerFailed", "default_workers"]
