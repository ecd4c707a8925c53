"""``smokewatch text analyze`` over JSON-lines files: read, analyse in batches, write atomically.

Input lines are ``{"id": ..., "text": "..."}``; other keys are ignored. A line that is not such
an object is reported with its line number and the reason, and skipped — never silently
dropped. Files may be UTF-8 (with or without a BOM) or GB18030/GBK; the encoding is detected
unless given. The output file appears only when the whole run succeeded (it is written next to
the target and renamed), so a failed or interrupted run never leaves half a file behind.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from smokewatch.errors import InvalidInput
from smokewatch.heap import frozen_heap
from smokewatch.ingest.encoding import detect_encoding
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.services.text import TextAnalyzer

BATCH = 256
"""Lines analysed together (model inference is batched)."""

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


def parse_line(number: int, line: str) -> dict[str, Any] | MalformedLine | None:
    """One input line: the record, a :class:`MalformedLine`, or ``None`` for a blank line.

    Examples:
        >>> parse_line(1, '{"id": 7, "text": "保本保息"}')
        {'id': 7, 'text': '保本保息'}
        >>> parse_line(2, '{"id": 7}')
        MalformedLine(line=2, reason='expected an object with "id" and a string "text"')
        >>> parse_line(3, "   ") is None
        True
    """
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return MalformedLine(number, f"not JSON: {exc.msg} at column {exc.colno}")
    if (
        not isinstance(record, dict)
        or "id" not in record
        or not isinstance(record.get("text"), str)
    ):
        return MalformedLine(number, 'expected an object with "id" and a string "text"')
    return record


def read_lines(stream: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | MalformedLine]]:
    """Number every line (from 1); parse records, report the others, skip blank lines."""
    for number, line in enumerate(stream, start=1):
        parsed = parse_line(number, line)
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
    if source == STDIO:
        yield sys.stdin
        return
    with Path(source).open(encoding=encoding, newline=None) as fh:
        yield fh


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


def analyze_file(
    source: Path | str,
    target: Path | str,
    *,
    model_dir: Path | None = None,
    as_of: date | None = None,
    within_adcode: str | None = None,
    encoding: str = "auto",
    progress: Progress = NO_PROGRESS,
) -> AnalyzeReport:
    """Analyse a JSON-lines file into another (``-`` for standard input or output).

    Raises:
        InvalidInput: the input is missing or in an undecodable encoding, or the output folder
            does not exist.
        ConfigError: ``model_dir`` is not a text model, or a file changed after training.
    """
    source, target = str(source), str(target)
    total: int | None = None
    if source != STDIO:
        path = Path(source)
        if not path.is_file():
            raise InvalidInput(f"no such input file: {source}")
        encoding = detect_encoding(path, encoding)
        total = _count_lines(path)
    elif encoding == "auto":
        encoding = sys.stdin.encoding or "utf-8"
    analyzer = TextAnalyzer.open(model_dir, as_of=as_of, within_adcode=within_adcode)
    analyzer.warm_up()
    report = AnalyzeReport(encoding=encoding, task=analyzer.task)
    started = time.perf_counter()
    progress.start("analyze", total=total)
    # the loaded word lists, divisions and model outlive the run: no collection need walk them
    with frozen_heap(), _reader(source, encoding) as inp, _atomic_writer(target) as out:
        for batch in _batches(read_lines(inp), BATCH):
            good = [record for _, record in batch if isinstance(record, dict)]
            report.malformed += [bad for _, bad in batch if isinstance(bad, MalformedLine)]
            for record in analyzer.analyze([(r["id"], r["text"]) for r in good]):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            report.written += len(good)
            progress.advance(batch[-1][0] - report.lines)
            report.lines = batch[-1][0]
    progress.finish()
    report.seconds = time.perf_counter() - started
    return report


__all__ = ["BATCH", "AnalyzeReport", "MalformedLine", "analyze_file", "parse_line", "read_lines"]
