"""``smokewatch evaluate --outcomes FILE``: how well the stored smoke indices warned.

Reads the outcomes file (:func:`smokewatch.score.evaluate.read_outcomes`), the stored score
history of a scorecard, and the population — every row of the scorecard's subject table when
it is loaded in the engine (entities never scored count as index 0), else the entities with a
score or an outcome — and computes :func:`smokewatch.score.evaluate.evaluate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from smokewatch.errors import NotFound
from smokewatch.score.evaluate import (
    EvaluationReport,
    OutcomeFile,
    ScorePoint,
    evaluate,
    read_outcomes,
)
from smokewatch.services.scores import workspace_scorecards
from smokewatch.services.workspace import open_engine, open_store, open_workspace
from smokewatch.settings import Settings
from smokewatch.store import scoring


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The report and what was read to make it."""

    report: EvaluationReport
    outcomes: OutcomeFile
    scorecard: str
    population_source: str
    """``table <name>`` or ``scored and outcomes``."""


def _population(settings: Settings, table: str) -> list[str] | None:
    with open_engine(settings) as engine:
        if not engine.has_table(table):
            return None
        ids = engine.to_arrow(engine.table(table).select("id"), step="population")
        return [str(i) for i in ids.column("id").to_pylist()]


def evaluate_outcomes(
    settings: Settings,
    outcomes: Path,
    *,
    scorecard_id: str = "SW-S-0001",
    cutoff: date | None = None,
    alert_grade: str | None = None,
    ks: Sequence[int] = (10, 50, 100),
    outcomes_from: date | None = None,
    outcomes_until: date | None = None,
) -> Evaluation:
    """Evaluate a scorecard's stored scores against known outcomes.

    Raises:
        NotFound: the scorecard is unknown or has no stored scores.
        InvalidInput: the outcomes file is missing or unusable.
    """
    workspace = open_workspace(settings)
    (card,) = workspace_scorecards(workspace, [scorecard_id])
    read = read_outcomes(outcomes)
    with open_store(settings) as store, store.unit_of_work() as session:
        history = scoring.scores_for_evaluation(session, scorecard_id)
        latest = scoring.latest_as_of(session, scorecard_id)
    if not history or latest is None:
        raise NotFound(f"no stored scores of {scorecard_id}: run `smokewatch score run` first")
    population = _population(settings, card.spec.subject)
    points = [ScorePoint(s, d, v, g) for s, d, v, g in sorted(history, key=lambda h: h[1])]
    report = evaluate(
        points,
        read.outcomes,
        grades=[g.code for g in card.spec.grades],
        cutoff=cutoff or latest,
        population=population,
        alert_grade=alert_grade or card.spec.alert_grade,
        ks=ks,
        outcomes_from=outcomes_from,
        outcomes_until=outcomes_until,
    )
    source = f"table {card.spec.subject}" if population is not None else "scored and outcomes"
    return Evaluation(report, read, card.key, source)


__all__ = ["Evaluation", "evaluate_outcomes"]
