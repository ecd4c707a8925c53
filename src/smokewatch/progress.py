"""Progress reporting without a terminal: the core reports, the edges draw.

Long steps call :class:`Progress` methods; the CLI passes an implementation that draws rich
progress bars, the API passes :data:`NO_PROGRESS`.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress of long-running steps."""

    def start(self, task: str, total: int | None = None) -> None:
        """A step begins; ``total`` is the expected number of units, when known."""
        ...

    def advance(self, units: int = 1) -> None:
        """Some units of the current step are done."""
        ...

    def finish(self) -> None:
        """The current step is done."""
        ...


class _NoProgress:
    def start(self, task: str, total: int | None = None) -> None:
        return None

    def advance(self, units: int = 1) -> None:
        return None

    def finish(self) -> None:
        return None


NO_PROGRESS: Progress = _NoProgress()
"""A :class:`Progress` that ignores everything."""

__all__ = ["NO_PROGRESS", "Progress"]
