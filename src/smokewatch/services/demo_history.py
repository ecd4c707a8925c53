"""The demo's past: smoke indices on the month-starts before the demo's evaluation date.

The demo city is generated on one day, so by itself it has one evaluation date and the
overview's trend one point. To show a trend, :func:`backfill_history` gives every finding
behind the enterprise smoke index a **first-seen month** (0 to :data:`HISTORY_MONTHS` months
before the evaluation date, from a seeded hash of the finding's id: deterministic, no random
state) and scores each earlier month-start with the **real scorecard** over the findings
first seen by then (``smoke_index`` of :mod:`smokewatch.score.index`, the same function
``smokewatch score`` uses). Qualifiers (a valid licence) are standing facts, held in every
month. The signals of an entity so accumulate over the months, and its
index rises towards today's; every past score is explained by its contributions and evidence
like any other. It is a simulation of the past, not a replay: the run that writes these
scores says so (``inputs.simulated_history``), and no alert is raised from them.

It costs one pass over the engine's findings and a few hundred index computations: well under
a second next to the ~50 s of ``demo init``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from smokewatch.score.gather import gather
from smokewatch.score.index import ModelHit, RuleHit, SmokeIndex, smoke_index
from smokewatch.services.runs import recorded_run
from smokewatch.services.scores import score_rows, workspace_scorecards
from smokewatch.services.workspace import open_engine, open_store, open_workspace
from smokewatch.settings import Settings
from smokewatch.store import scoring

HISTORY_MONTHS = 5
"""How many month-starts before the evaluation date are scored (six dates in all)."""


@dataclass(frozen=True, slots=True)
class History:
    """What :func:`backfill_history` wrote: the run, the dates and the scores per date."""

    run_id: str
    dates: tuple[date, ...]
    scores: tuple[int, ...]
    """Scores written on each of ``dates`` (oldest first)."""


def month_starts(as_of: date, months: int = HISTORY_MONTHS) -> list[date]:
    """The first days of the ``months`` months before ``as_of``'s month, oldest first.

    Examples:
        >>> [d.isoformat() for d in month_starts(date(2026, 2, 10), 3)]
        ['2025-11-01', '2025-12-01', '2026-01-01']
    """
    days = []
    for back in range(months, 0, -1):
        index = as_of.year * 12 + as_of.month - 1 - back
        days.append(date(index // 12, index % 12 + 1, 1))
    return days


def first_seen(seed: int, subject_id: str, key: str, months: int = HISTORY_MONTHS) -> int:
    """How many months before the evaluation date a signal was first seen (0 to ``months``).

    Examples:
        >>> first_seen(1, "ent-1", "fnd-1") == first_seen(1, "ent-1", "fnd-1")
        True
    """
    digest = hashlib.sha256(f"{seed}|{subject_id}|{key}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % (months + 1)


def _seen_by(
    seed: int, subject: str, back: int, hits: list[RuleHit], standing: frozenset[str]
) -> list[RuleHit]:
    return [
        h for h in hits if h.rule_id in standing or first_seen(seed, subject, h.finding_id) >= back
    ]


def _models_by(seed: int, subject: str, back: int, hits: list[ModelHit]) -> list[ModelHit]:
    return [h for h in hits if first_seen(seed, subject, h.prediction_id or h.model) >= back]


def backfill_history(
    settings: Settings, *, as_of: date, seed: int, scorecard_id: str, months: int = HISTORY_MONTHS
) -> History:
    """Score ``scorecard_id`` on the month-starts before ``as_of`` (a recorded score run)."""
    (card,) = workspace_scorecards(open_workspace(settings), [scorecard_id])
    with open_engine(settings) as engine:
        gathered = gather(engine, card.spec)
    days = month_starts(as_of, months)
    # Qualifiers (a valid licence, …) are standing facts: held in every month, not first seen.
    standing = frozenset(q.rule for q in card.spec.qualifiers if q.rule)
    counts = []
    inputs = {"simulated_history": True, "scorecard": scorecard_id, "seed": seed}
    with (
        open_store(settings) as store,
        recorded_run(store, "score", subject="demo history", inputs=inputs) as run,
    ):
        for day in days:
            back = (as_of.year - day.year) * 12 + as_of.month - day.month
            results: list[SmokeIndex] = []
            for subject in sorted(set(gathered.rules) | set(gathered.models)):
                rules = _seen_by(seed, subject, back, gathered.rules.get(subject, []), standing)
                models = _models_by(seed, subject, back, gathered.models.get(subject, []))
                if not rules and not models:
                    continue
                result = smoke_index(card.spec, subject, rules=rules, models=models)
                if result.index > 0:
                    results.append(result)
            rows = score_rows(card, results, gathered.subjects, day)
            with store.unit_of_work() as session:
                counts.append(scoring.replace_scores(session, run.run_id, rows))
        run.stats = {"dates": [d.isoformat() for d in days], "scores": counts}
    return History(run.run_id, tuple(days), tuple(counts))


__all__ = ["HISTORY_MONTHS", "History", "backfill_history", "first_seen", "month_starts"]
