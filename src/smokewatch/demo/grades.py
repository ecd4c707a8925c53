"""Smoke-index grades planted cases are designed to reach (checked by ``demo init``).

The demo floor knows nothing of scorecards (``score`` sits above it); a planter states the grade
it designed a case for, and the demo service compares it with the grade the score run reached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smokewatch.errors import InvalidInput

SMOKE_SCORECARD = "SW-S-0001"
"""The scorecard planted grade expectations refer to (the enterprise smoke index)."""

SMOKE_GRADES: tuple[str, ...] = ("red", "orange", "yellow", "blue")
"""Its grades, highest first; below blue an entity has no grade (``none``)."""


@dataclass(frozen=True, slots=True)
class GradeExpectation:
    """The smoke-index grade a planted enterprise is designed to reach (or at least reach)."""

    grade: str
    at_least: bool = False
    """Met by this grade or a higher one (a floor), not only by this grade."""
    scorecard: str = SMOKE_SCORECARD

    def __post_init__(self) -> None:
        if self.grade not in SMOKE_GRADES:
            raise InvalidInput(f"unknown smoke grade {self.grade!r}")

    def met_by(self, grade: str | None) -> bool:
        """Whether a reached grade (``None`` or ``none``: below every grade) meets it.

        Examples:
            >>> GradeExpectation("orange", at_least=True).met_by("red")
            True
            >>> GradeExpectation("orange").met_by("red")
            False
        """
        if grade == self.grade:
            return True
        if not self.at_least or grade not in SMOKE_GRADES:
            return False
        return SMOKE_GRADES.index(grade) < SMOKE_GRADES.index(self.grade)

    def to_json(self) -> dict[str, Any]:
        """The expectation as written in ``demo/planted.jsonl``."""
        return {"scorecard": self.scorecard, "grade": self.grade, "at_least": self.at_least}


__all__ = ["SMOKE_GRADES", "SMOKE_SCORECARD", "GradeExpectation"]
