"""``smokewatch resolve compare``: score a CSV of name pairs, no workspace needed.

The input has a header with at least the columns ``left`` and ``right`` (UTF-8, with or
without a BOM, or GBK/GB18030, detected). Every input row is written out, in order, with its
columns and ``score`` (0–1, four decimals) and ``match`` (1 when ``score >= threshold``); a
row that cannot be compared (a name missing, too many fields) keeps empty ``score`` and
``match`` and is reported with its line number and the reason. The output is UTF-8 and
written atomically (a partial file never replaces a previous result).
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from smokewatch.errors import InvalidInput
from smokewatch.ingest.encoding import detect_encoding, standard_input
from smokewatch.resolve.compare import THRESHOLD, compare_names

STDIO = "-"
REQUIRED = ("left", "right")


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row written without a score, and why."""

    line: int
    reason: str


@dataclass
class CompareReport:
    """What a comparison run did."""

    encoding: str
    rows: int = 0
    matches: int = 0
    bad: list[BadRow] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pairs_per_second(self) -> float:
        """Throughput of the run."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@contextmanager
def _reader(source: str, encoding: str) -> Iterator[IO[str]]:
    try:
        if source == STDIO:
            with standard_input(encoding, newline="") as stream:
                yield stream
            return
        with Path(source).open(encoding=encoding, newline="") as fh:
            yield fh
    except UnicodeDecodeError as exc:  # standard input (unlike a file) is not checked first
        name = "standard input" if source == STDIO else source
        raise InvalidInput(
            f"{name} is not valid {encoding} text ({exc.reason}); name it with --encoding"
        ) from exc


@contextmanager
def _atomic_writer(target: str) -> Iterator[IO[str]]:
    if target == STDIO:
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(target)
    if not path.parent.is_dir():
        raise InvalidInput(f"the output folder does not exist: {path.parent}")
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _problem(row: dict[str | None, str | list[str] | None]) -> str | None:
    if None in row:
        return "more fields than the header has"
    missing = [col for col in REQUIRED if not (row.get(col) or "").strip()]  # type: ignore[union-attr]
    if missing:
        return f"no name in {' and '.join(missing)}"
    return None


def compare_file(
    source: Path | str,
    target: Path | str,
    *,
    threshold: float = THRESHOLD,
    explain: bool = False,
    encoding: str = "auto",
) -> CompareReport:
    """Score every pair of ``source`` into ``target`` (``-`` for standard input or output).

    Raises:
        InvalidInput: the input is missing, undecodable, or lacks a ``left``/``right`` header;
            the threshold is outside 0–1; the output folder does not exist.
    """
    if not 0.0 <= threshold <= 1.0:
        raise InvalidInput(f"the threshold must lie between 0 and 1, not {threshold}")
    source, target = str(source), str(target)
    if source != STDIO:
        path = Path(source)
        if not path.is_file():
            raise InvalidInput(f"no such input file: {source}")
        encoding = detect_encoding(path, encoding, how_to_declare="name it with --encoding")
    elif encoding == "auto":
        encoding = sys.stdin.encoding or "utf-8"
    report = CompareReport(encoding=encoding)
    started = time.perf_counter()
    with _reader(source, encoding) as inp:
        reader = csv.DictReader(inp)
        header = [name.strip() for name in reader.fieldnames or []]
        if any(col not in header for col in REQUIRED):
            raise InvalidInput(f"the input needs the columns left,right; it has {','.join(header)}")
        reader.fieldnames = header
        extra = ["score", "match", *(["explanation"] if explain else [])]
        columns = [*(c for c in header if c not in extra), *extra]
        with _atomic_writer(target) as out:
            writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            for row in reader:
                report.rows += 1
                problem = _problem(row)
                if problem is not None:
                    report.bad.append(BadRow(reader.line_num, problem))
                    writer.writerow({**row, "score": "", "match": ""})
                    continue
                result = compare_names(row["left"], row["right"], threshold)
                report.matches += result.match
                cells = {**row, "score": f"{result.score:.4f}", "match": int(result.match)}
                if explain:
                    cells["explanation"] = json.dumps(
                        [[c.part, c.logit, c.reason] for c in result.contributions],
                        ensure_ascii=False,
                    )
                writer.writerow(cells)
    report.seconds = time.perf_counter() - started
    return report


__all__ = ["BadRow", "CompareReport", "compare_file"]
