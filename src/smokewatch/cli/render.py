"""Terminal output: rich tables, JSON for scripts, and progress bars for long steps."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

out = Console(highlight=False, soft_wrap=False)
"""Standard output: results (tables, JSON)."""

err = Console(stderr=True, highlight=False)
"""Standard error: progress, messages, errors."""


def _default(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, PurePath):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(payload: Any) -> None:
    """Write JSON (UTF-8, Chinese kept readable) to standard output."""
    out.file.write(json.dumps(payload, ensure_ascii=False, indent=2, default=_default) + "\n")


def counted(n: int, noun: str) -> str:
    """``n`` and an English noun, plural unless ``n`` is one.

    Examples:
        >>> counted(1, "text"), counted(2, "malformed line"), counted(0, "text")
        ('1 text', '2 malformed lines', '0 texts')
    """
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def table(
    title: str | None,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    caption: str | None = None,
) -> None:
    """Print a table to standard output."""
    grid = Table(
        title=title,
        caption=caption,
        show_lines=False,
        header_style="bold",
        show_header=any(columns),
    )
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        # Cells are plain text: brackets in reasons or JSON must never be read as markup.
        grid.add_row(*(Text(_cell(v)) for v in row))
    out.print(grid)


def key_values(title: str, items: Mapping[str, Any]) -> None:
    """Print a two-column table of labelled values."""
    table(title, ["", ""], [(k, v) for k, v in items.items()])


class RichProgress:
    """:class:`smokewatch.progress.Progress` drawn as rich progress bars on standard error."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: TaskID | None = None

    def start(self, task: str, total: int | None = None) -> None:
        """Begin a bar (a spinner when the total is unknown)."""
        self.finish()
        self._task = self._progress.add_task(task, total=total)

    def advance(self, units: int = 1) -> None:
        """Move the current bar."""
        if self._task is not None:
            self._progress.advance(self._task, units)

    def finish(self) -> None:
        """Complete the current bar."""
        if self._task is not None:
            task = self._progress.tasks[-1]
            if task.total is None:
                self._progress.update(
                    self._task, total=task.completed or 1, completed=task.completed or 1
                )
            else:
                self._progress.update(self._task, completed=task.total)
            self._task = None


@contextmanager
def progress_bars(enabled: bool = True) -> Iterator[RichProgress]:
    """Progress bars for the duration of a command (hidden when stderr is not a terminal)."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not enabled,
    )
    with progress:
        yield RichProgress(progress)


__all__ = [
    "RichProgress",
    "counted",
    "err",
    "key_values",
    "out",
    "print_json",
    "progress_bars",
    "table",
]
