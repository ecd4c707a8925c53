"""``smokewatch text analyze`` over JSON-lines files: read, analyse in batches, write atomically.

Input lines are ``{"id": ..., "text": "..."}``; other keys are ignored. A line that is not such
an object is reported with its line number and the reason, and skipped — never silently
dropped. Files may be UTF-8 (with or without a BOM) or GB18030/GBK; the encoding is detected
unless given. A line with bytes the encoding cannot decode is such a line too: one corrupt
line does not refuse the file, unless most of its lines are undecodable (another encoding).
The output file appears only when the whole run succeeded (it is written next to the target
and renamed), so a failed or interrupted run never leaves half a file behind. With ``jobs``
above 1 the batches are analysed in worker processes and written in input order: the same
file, line for line.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any

from smokewatch.errors import InvalidInput
from smokewatch.heap import frozen_heap
from smokewatch.ingest.encoding import (
    detect_line_encoding,
    open_lines,
    standard_input,
    undecodable_at,
)
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.services.text import TextAnalyzer

BATCH = 1024
"""Lines analysed together (model inference is batched).

A model's prediction has a cost per call as well as per text (its hash tables and weights are
read again from memory by every call): 1,024 lines read the 12,847 FinESE news texts about 8 %
faster than 256 did, and larger batches were no faster (docs/benchmarks.md).
"""

STDIO = "-"


@dataclass(frozen=True, slots=True)
class MalformedLine:
    """An input line that could not be analysed, and why."""

    line: int
    reason: str


@dataclass(slots=True)
class AnalyzeReport:
    """What an analyze run read and wrote."""

    lines: int = 0
    written: int = 0
    malformed: list[MalformedLine] = field(default_factory=list)
    seconds: float = 0.0
    """Time spent reading, analysing and writing, after start-up (see ``TextAnalyzer.warm_up``)."""
    encoding: str = "utf-8"
    task: str | None = None

    @property
    def texts_per_second(self) -> float:
        """Throughput of the run after start-up (texts written per second)."""
        return self.written / self.seconds if self.seconds else 0.0


def parse_line(
    number: int, line: str, *, encoding: str = "utf-8"
) -> dict[str, Any] | MalformedLine | None:
    r"""One input line: the record, a :class:`MalformedLine`, or ``None`` for a blank line.

    ``line`` comes from a stream opened with ``errors="surrogateescape"``: its undecodable
    bytes are lone surrogates, reported against ``encoding``.

    Examples:
        >>> parse_line(1, '{"id": 7, "text": "保本保息"}')
        {'id': 7, 'text': '保本保息'}
        >>> parse_line(2, '{"id": 7}')
        MalformedLine(line=2, reason='expected an object with "id" and a string "text"')
        >>> parse_line(3, "   ") is None
        True
        >>> parse_line(4, '{"id": 7, "text": "保本保息"')
        MalformedLine(line=4, reason="not JSON: Expecting ',' delimiter at the end of the line")
        >>> parse_line(5, '{"id": 7 "text": "保本保息"}')
        MalformedLine(line=5, reason="not JSON: Expecting ',' delimiter at column 10")
        >>> parse_line(6, b'{"id": 7, "text": "\xb1\xa3"}'.decode("utf-8", "surrogateescape"))
        MalformedLine(line=6, reason='not utf-8 text: undecodable bytes at column 20')
        >>> parse_line(7, '{"id": "\\ud800", "text": "保本保息"}')
        MalformedLine(line=7, reason='"id" is not Unicode text (a lone surrogate escape)')
    """
    if not line.strip():
        return None
    line = line.rstrip("\r\n")  # so that an error at the end is not placed on a next line
    at = undecodable_at(line)
    if at is not None:
        return MalformedLine(number, f"not {encoding} text: undecodable bytes at column {at + 1}")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        where = "at the end of the line" if exc.pos >= len(line) else f"at column {exc.colno}"
        # json says "Unterminated string starting at" and means the position that follows
        return MalformedLine(number, f"not JSON: {exc.msg.removesuffix(' at')} {where}")
    if (
        not isinstance(record, dict)
        or "id" not in record
        or not isinstance(record.get("text"), str)
    ):
        return MalformedLine(number, 'expected an object with "id" and a string "text"')
    # the id is written back as it came: "\ud800" (JSON, but no character) cannot be; a text's
    # lone surrogates are read as U+FFFD by the analyzer
    if "\\u" in line and not _writable(record["id"]):
        return MalformedLine(number, '"id" is not Unicode text (a lone surrogate escape)')
    return record


def _writable(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_lines(
    stream: Iterable[str], *, encoding: str = "utf-8"
) -> Iterator[tuple[int, dict[str, Any] | MalformedLine]]:
    """Number every line (from 1); parse records, report the others, skip blank lines."""
    for number, line in enumerate(stream, start=1):
        parsed = parse_line(number, line, encoding=encoding)
        if parsed is not None:
            yield number, parsed


def _batches(
    lines: Iterable[tuple[int, dict[str, Any] | MalformedLine]], size: int
) -> Iterator[list[tuple[int, dict[str, Any] | MalformedLine]]]:
    batch: list[tuple[int, dict[str, Any] | MalformedLine]] = []
    for item in lines:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\n")
    return count


@contextmanager
def _reader(source: str, encoding: str) -> Iterator[IO[str]]:
    if source != STDIO:
        with open_lines(Path(source), encoding) as fh:
            yield fh
        return
    with standard_input(encoding, errors="surrogateescape") as stream:
        yield stream


@contextmanager
def _atomic_writer(target: str) -> Iterator[IO[str]]:
    if target == STDIO:
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(target)
    if path.parent and not path.parent.is_dir():
        raise InvalidInput(f"the output folder does not exist: {path.parent}")
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8") as fh:
            yield fh
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class _Setup:
    """What every analyzer of one run is opened with (the same in each worker process)."""

    model_dir: Path | None
    as_of: date
    within_adcode: str | None

    def open(self) -> TextAnalyzer:
        analyzer = TextAnalyzer.open(
            self.model_dir, as_of=self.as_of, within_adcode=self.within_adcode
        )
        analyzer.warm_up()
        return analyzer


@dataclass(frozen=True, slots=True)
class _Chunk:
    """One batch of input lines: the texts to analyse, the lines skipped, the last line."""

    items: list[tuple[Any, str]]
    malformed: list[MalformedLine]
    last_line: int


def _chunks(stream: Iterable[str], encoding: str) -> Iterator[_Chunk]:
    for batch in _batches(read_lines(stream, encoding=encoding), BATCH):
        yield _Chunk(
            [(r["id"], r["text"]) for _, r in batch if isinstance(r, dict)],
            [bad for _, bad in batch if isinstance(bad, MalformedLine)],
            batch[-1][0],
        )


def _encoded(analyzer: TextAnalyzer, items: list[tuple[Any, str]]) -> list[str]:
    return [json.dumps(record, ensure_ascii=False) + "\n" for record in analyzer.analyze(items)]


def _here(analyzer: TextAnalyzer, chunks: Iterable[_Chunk]) -> Iterator[tuple[_Chunk, list[str]]]:
    for chunk in chunks:
        yield chunk, _encoded(analyzer, chunk.items)


_WORKER: dict[_Setup, TextAnalyzer] = {}
"""A worker process's analyzer: opened for its first batch, kept until the process ends."""


def _worker_analyzer(setup: _Setup) -> TextAnalyzer:
    analyzer = _WORKER.get(setup)
    if analyzer is None:
        _WORKER.clear()
        analyzer = _WORKER[setup] = setup.open()
        gc.freeze()  # the worker ends with the run; no collection need walk what it loaded
    return analyzer


def _worker_start(setup: _Setup) -> None:
    """Open the analyzer as the worker starts (a failure is raised again by its first task)."""
    with suppress(Exception):
        _worker_analyzer(setup)


def _worker_task(setup: _Setup) -> str | None:
    return _worker_analyzer(setup).task


def _worker_batch(setup: _Setup, items: list[tuple[Any, str]]) -> list[str]:
    return _encoded(_worker_analyzer(setup), items)


def _in_workers(
    pool: ProcessPoolExecutor, setup: _Setup, chunks: Iterable[_Chunk], window: int
) -> Iterator[tuple[_Chunk, list[str]]]:
    """Batches analysed by the pool, in input order, at most ``window`` of them in flight."""
    pending: deque[tuple[_Chunk, Future[list[str]]]] = deque()
    for chunk in chunks:
        pending.append((chunk, pool.submit(_worker_batch, setup, chunk.items)))
        if len(pending) >= window:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()


_Analysed = Iterator[tuple[_Chunk, list[str]]]


def _analysis(
    setup: _Setup, jobs: int, stack: ExitStack
) -> tuple[str | None, Callable[[Iterable[_Chunk]], _Analysed]]:
    """The model's task, and how batches are analysed: here, or in ``jobs`` worker processes."""
    if jobs == 1:
        analyzer = setup.open()
        return analyzer.task, functools.partial(_here, analyzer)
    # spawned, not forked: a fork would copy the progress bar's thread and the locks it holds
    pool = ProcessPoolExecutor(
        jobs, mp_context=get_context("spawn"), initializer=_worker_start, initargs=(setup,)
    )
    stack.callback(pool.shutdown, cancel_futures=True)
    # as many tasks as workers, submitted at once: every worker starts (and loads) before the
    # first line is read, and a model the workers refuse fails here
    started = [pool.submit(_worker_task, setup) for _ in range(jobs)]
    (task,) = {future.result() for future in started}
    return task, functools.partial(_in_workers, pool, setup, window=2 * jobs)


def _nothing_readable(source: str, malformed: list[MalformedLine]) -> str:
    """Why a run that could read none of its lines fails, with the first lines' reasons."""
    first = "; ".join(f"line {bad.line}: {bad.reason}" for bad in malformed[:3])
    more = f"; and {len(malformed) - 3} more" if len(malformed) > 3 else ""
    name = "standard input" if source == STDIO else source
    return (
        f"no line of {name} could be read ({first}{more}); expected JSON lines "
        '{"id": ..., "text": "..."}; nothing was written'
    )


def analyze_file(
    source: Path | str,
    target: Path | str,
    *,
    model_dir: Path | None = None,
    as_of: date | None = None,
    within_adcode: str | None = None,
    encoding: str = "auto",
    jobs: int = 1,
    progress: Progress = NO_PROGRESS,
) -> AnalyzeReport:
    """Analyse a JSON-lines file into another (``-`` for standard input or output).

    ``jobs`` above 1 analyses the batches in that many worker processes, each with its own
    analyzer (and its own copy of the model); the output is the same, line for line. All
    workers start, and load, before the first line is read.

    Raises:
        InvalidInput: the input is missing or most of its lines are undecodable, none of its
            non-blank lines is a text to analyse (the output is then left as it was), the
            output folder does not exist, or ``jobs`` is below 1.
        ConfigError: ``model_dir`` is not a text model, or a file changed after training.
    """
    if jobs < 1:
        raise InvalidInput(f"jobs must be at least 1, not {jobs}")
    source, target = str(source), str(target)
    total: int | None = None
    if source != STDIO:
        path = Path(source)
        if not path.is_file():
            raise InvalidInput(f"no such input file: {source}")
        encoding = detect_line_encoding(path, encoding, how_to_declare="name it with --encoding")
        total = _count_lines(path)
    elif encoding == "auto":
        encoding = sys.stdin.encoding or "utf-8"
    setup = _Setup(model_dir, as_of or datetime.now(UTC).date(), within_adcode)
    with ExitStack() as stack:
        task, analysed = _analysis(setup, jobs, stack)
        report = AnalyzeReport(encoding=encoding, task=task)
        started = time.perf_counter()
        progress.start("analyze", total=total)
        # the loaded word lists, divisions and model outlive the run: no collection need walk them
        with frozen_heap(), _reader(source, encoding) as inp, _atomic_writer(target) as out:
            for chunk, lines in analysed(_chunks(inp, encoding)):
                out.writelines(lines)
                report.malformed += chunk.malformed
                report.written += len(chunk.items)
                progress.advance(chunk.last_line - report.lines)
                report.lines = chunk.last_line
            if report.malformed and not report.written:
                raise InvalidInput(_nothing_readable(source, report.malformed))
        progress.finish()
        report.seconds = time.perf_counter() - started
    return report


__all__ = ["BATCH", "AnalyzeReport", "MalformedLine", "analyze_file", "parse_line", "read_lines"]
