"""How well the smoke index warns, measured the way regulators report it.

:func:`evaluate` takes score histories (:class:`ScorePoint`: entity, evaluation date, index,
grade — one per entity and run) and known outcomes (:class:`Outcome`: entity, event date, kind,
e.g. a court case, a police filing, a platform collapse) and returns an
:class:`EvaluationReport` (``to_dict()``, ``describe("zh"|"en")``). Outcome CSV files are
read by :func:`read_outcomes`. These types live in :mod:`smokewatch.score.evaluate_io` and are
re-exported here. Every number comes with its counts, so a figure built on three cases reads
as such.

Definitions (these are the numbers analysts and leadership read):

* **Grades** are passed in, highest first (e.g. ``red, orange, yellow, blue``); ``none``
  (:data:`~smokewatch.score.scorecard.NO_GRADE`) is below all of them. An entity is *at or
  above* grade *g* when its grade is *g* or a higher one. A score with any other grade code
  is an error. Grade metrics use the *stored grade* (it can be higher than the index alone
  suggests, because of a scorecard's ``min_grade`` floors); AUC and precision@K use the index.
* **Population**: the entity ids the caller passes (default: every entity with a score or an
  outcome). Outcomes of entities outside it are left out and counted (``outside_population``).
* **Snapshot score**: for each entity of the population, its latest score dated on or before
  ``cutoff``; several scores on that same date: the last one given (pass histories in run
  order). Scores after the cut-off are ignored. An entity without such a score is *unscored*
  and counts as index 0, grade ``none``.
* **Positive**: an entity with at least one outcome whose event date lies in the window
  ``outcomes_from``..``outcomes_until`` (both inclusive, both optional: by default every
  outcome counts). **Negative**: an entity with no outcome at all. An entity whose outcomes all
  fall outside the window is neither: it is left out of AUC, grades and precision@K and counted
  (``excluded``). For a forward-looking test, set ``outcomes_from`` to the day after the cut-off.
  **Base rate** = positives / (positives + negatives).
* **AUC**: the probability that a random positive has a higher snapshot index than a random
  negative, a tie counting one half — the Mann–Whitney U statistic with average ranks for tied
  values: AUC = (R₊ − n₊(n₊+1)/2) / (n₊·n₋), R₊ the sum of the positives' ranks. Unscored
  entities tie at 0. ``tied_pairs`` counts the positive–negative pairs with equal index.
  ``None`` when there is no positive or no negative.
* **By grade** (one row per grade, then ``none``): *at grade* counts the entities whose
  snapshot grade is exactly that grade, their positives, precision = positives / entities and
  share of all positives; *cumulative* (flagged = at this grade or above) counts flagged
  entities and their positives, precision = positives / flagged, recall = positives / all
  positives, and lift = precision / base rate. A ratio is ``None`` when its denominator is 0.
* **Precision@K**: entities ranked by index (highest first), ties broken by entity id
  (ascending); the top K are taken (all of them when there are fewer: ``taken`` < K) and
  precision = positives among them / ``taken``. The tie at the boundary is reported: the index
  of the K-th entity, how many entities share it and how many of those were taken, and the
  lowest and highest precision any other order of the tied entities would give.
* **Lead time and found first** are counted per outcome *event*: each outcome row of a
  population entity inside the window (identical rows — same entity, date and kind — count
  once; ``duplicate_outcomes``). A *flag* is a score at or above ``alert_grade`` (default
  ``orange``); for an event only flags dated strictly *before* the event date count — a score
  dated on the event day or later never does, and the cut-off does not apply here. An event is
  ``found_first`` when the entity was flagged before it; the lead in days = event date − date
  of the entity's *first* flag before it (≥ 1). Otherwise it is ``flagged_late`` (flagged only
  on or after the event date), ``missed`` (scored before the event, always below the alert
  grade) or ``not_scored`` (no score before the event and no flag after). Lead statistics are
  over found-first events: minimum, quartiles (linear interpolation between order statistics,
  as numpy's default and Excel's QUARTILE.INC), median, mean, maximum and a distribution in
  :data:`LEAD_BUCKETS`. **Found-first share** = found-first events / events.

Metrics that cannot be computed are ``None`` with a reason code (:data:`REASONS`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import numpy as np

from smokewatch.errors import InvalidInput
from smokewatch.score.evaluate_io import (
    LEAD_BUCKETS,
    REASONS,
    SMALL_SAMPLE,
    Auc,
    EvaluationReport,
    EventLead,
    EventStatus,
    GradeRow,
    KindCount,
    LeadTime,
    Outcome,
    OutcomeFile,
    OutcomeReject,
    PrecisionAtK,
    Reason,
    ScorePoint,
    read_outcomes,
)
from smokewatch.score.ml.metrics import roc_auc
from smokewatch.score.scorecard import NO_GRADE


def evaluate(
    scores: Iterable[ScorePoint],
    outcomes: Iterable[Outcome],
    *,
    grades: Sequence[str],
    cutoff: date,
    population: Iterable[str] | None = None,
    alert_grade: str = "orange",
    ks: Sequence[int] = (10, 50, 100),
    outcomes_from: date | None = None,
    outcomes_until: date | None = None,
) -> EvaluationReport:
    """Evaluate score histories against known outcomes (definitions: module docstring).

    Raises:
        InvalidInput: grades empty, repeated or containing ``none``; ``alert_grade`` not a
            grade; a K below 1; a score with an unknown grade or a non-finite index.
    """
    rank = _grade_ranks(grades, alert_grade)
    if any(k < 1 for k in ks):
        raise InvalidInput(f"precision@K needs K ≥ 1, got {list(ks)}")
    history: dict[str, list[ScorePoint]] = defaultdict(list)
    for point in scores:
        if point.grade not in rank:
            raise InvalidInput(
                f"score of {point.entity_id} on {point.as_of}: grade {point.grade!r} is not one "
                f"of {[*grades, NO_GRADE]}"
            )
        if not math.isfinite(point.index):
            raise InvalidInput(f"score of {point.entity_id} on {point.as_of}: index is not finite")
        history[point.entity_id].append(point)
    rows = list(outcomes)
    events = list(dict.fromkeys(rows))
    members = (
        set(population) if population is not None else {*history, *(o.entity_id for o in rows)}
    )

    def in_window(day: date) -> bool:
        return (outcomes_from is None or day >= outcomes_from) and (
            outcomes_until is None or day <= outcomes_until
        )

    ours = [o for o in events if o.entity_id in members]
    windowed = [o for o in ours if in_window(o.event_date)]
    positive_ids = {o.entity_id for o in windowed}
    excluded_ids = {o.entity_id for o in ours} - positive_ids
    entities = sorted(members - excluded_ids)
    snapshot = {e: _snapshot(history.get(e, ()), cutoff) for e in entities}
    labels = [e in positive_ids for e in entities]
    index = [p.index if p else 0.0 for p in snapshot.values()]
    level = [rank[p.grade] if p else len(grades) for p in snapshot.values()]
    positives = sum(labels)
    base_rate = positives / len(entities) if entities else None
    leads = tuple(_event_lead(o, history.get(o.entity_id, ()), rank, alert_grade) for o in windowed)
    return EvaluationReport(
        cutoff=cutoff,
        grades=tuple(grades),
        alert_grade=alert_grade,
        outcomes_from=outcomes_from,
        outcomes_until=outcomes_until,
        population=len(entities),
        scored=sum(p is not None for p in snapshot.values()),
        unscored=sum(p is None for p in snapshot.values()),
        positives=positives,
        negatives=len(entities) - positives,
        excluded=len(excluded_ids),
        base_rate=base_rate,
        outcome_rows=len(rows),
        duplicate_outcomes=len(rows) - len(events),
        outside_population=len(events) - len(ours),
        outside_window=len(ours) - len(windowed),
        auc=_auc(index, labels),
        by_grade=_by_grade([*grades, NO_GRADE], level, labels, base_rate),
        precision_at_k=tuple(_precision_at_k(k, entities, index, labels) for k in ks),
        lead_time=_lead_time(leads),
        events=leads,
    )


def _grade_ranks(grades: Sequence[str], alert_grade: str) -> dict[str, int]:
    if not grades or len(set(grades)) != len(grades) or NO_GRADE in grades:
        raise InvalidInput(
            f"grades must be distinct codes, highest first, without {NO_GRADE!r}: {list(grades)}"
        )
    if alert_grade not in grades:
        raise InvalidInput(f"alert grade {alert_grade!r} is not one of {list(grades)}")
    return {code: i for i, code in enumerate([*grades, NO_GRADE])}


def _snapshot(points: Iterable[ScorePoint], cutoff: date) -> ScorePoint | None:
    latest: ScorePoint | None = None
    for point in points:
        if point.as_of <= cutoff and (latest is None or point.as_of >= latest.as_of):
            latest = point
    return latest


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _auc(index: Sequence[float], labels: Sequence[bool]) -> Auc:
    positives = sum(labels)
    negatives = len(labels) - positives
    per_value: dict[float, list[int]] = defaultdict(lambda: [0, 0])
    for x, label in zip(index, labels, strict=True):
        per_value[x][0 if label else 1] += 1
    tied = sum(p * n for p, n in per_value.values())
    reason: Reason | None = None
    if not labels:
        reason = "empty_population"
    elif positives == 0:
        reason = "no_positives"
    elif negatives == 0:
        reason = "no_negatives"
    value = None if reason else roc_auc(np.array(labels), np.array(index, dtype=np.float64))
    return Auc(value, positives, negatives, tied, reason)


def _by_grade(
    codes: Sequence[str], level: Sequence[int], labels: Sequence[bool], base_rate: float | None
) -> tuple[GradeRow, ...]:
    total_positives = sum(labels)
    rows: list[GradeRow] = []
    flagged = flagged_positives = 0
    for i, code in enumerate(codes):
        at = [label for lv, label in zip(level, labels, strict=True) if lv == i]
        flagged += len(at)
        flagged_positives += sum(at)
        precision = _ratio(flagged_positives, flagged)
        rows.append(
            GradeRow(
                grade=code,
                entities=len(at),
                positives=sum(at),
                precision=_ratio(sum(at), len(at)),
                share_of_positives=_ratio(sum(at), total_positives),
                flagged=flagged,
                flagged_positives=flagged_positives,
                cumulative_precision=precision,
                recall=_ratio(flagged_positives, total_positives),
                lift=_ratio(precision, base_rate) if precision is not None and base_rate else None,
            )
        )
    return tuple(rows)


def _precision_at_k(
    k: int, entities: Sequence[str], index: Sequence[float], labels: Sequence[bool]
) -> PrecisionAtK:
    if not entities:
        return PrecisionAtK(k, 0, 0, None, None, 0, 0, None, None, "empty_population")
    order = sorted(range(len(entities)), key=lambda i: (-index[i], entities[i]))
    top = order[:k]
    taken = len(top)
    hits = sum(labels[i] for i in top)
    boundary = index[top[-1]]
    tied = [i for i in order if index[i] == boundary]
    tied_taken = sum(index[i] == boundary for i in top)
    tied_hits = sum(labels[i] for i in tied)
    sure = hits - sum(labels[i] for i in top if index[i] == boundary)
    fewest = max(0, tied_taken - (len(tied) - tied_hits))
    most = min(tied_taken, tied_hits)
    return PrecisionAtK(
        k=k,
        taken=taken,
        positives=hits,
        precision=hits / taken,
        boundary_index=boundary,
        tied_at_boundary=len(tied),
        tied_taken=tied_taken,
        precision_min=(sure + fewest) / taken,
        precision_max=(sure + most) / taken,
    )


def _event_lead(
    event: Outcome, points: Sequence[ScorePoint], rank: Mapping[str, int], alert_grade: str
) -> EventLead:
    flags = sorted(p.as_of for p in points if rank[p.grade] <= rank[alert_grade])
    before = [d for d in flags if d < event.event_date]
    status: EventStatus
    if before:
        first: date | None = before[0]
        status = "found_first"
    elif flags:
        first, status = flags[0], "flagged_late"
    else:
        first = None
        scored_before = any(p.as_of < event.event_date for p in points)
        status = "missed" if scored_before else "not_scored"
    lead = (event.event_date - before[0]).days if before else None
    return EventLead(event.entity_id, event.event_date, event.kind, status, first, lead)


def _lead_time(leads: Sequence[EventLead]) -> LeadTime:
    status = Counter(e.status for e in leads)
    days = sorted(e.lead_days for e in leads if e.lead_days is not None)
    buckets = dict.fromkeys((en for _, _, en in LEAD_BUCKETS), 0)
    for d in days:
        en = next(en for upper, _, en in LEAD_BUCKETS if upper is None or d <= upper)
        buckets[en] += 1
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for e in leads:
        kinds[e.kind][0] += 1
        kinds[e.kind][1] += e.status == "found_first"
    q1 = median = q3 = mean = None
    if days:
        q1, median, q3 = (float(q) for q in np.percentile(np.array(days), [25, 50, 75]))
        mean = sum(days) / len(days)
    return LeadTime(
        events=len(leads),
        found_first=status["found_first"],
        flagged_late=status["flagged_late"],
        missed=status["missed"],
        not_scored=status["not_scored"],
        found_first_share=_ratio(status["found_first"], len(leads)),
        min_days=days[0] if days else None,
        q1_days=q1,
        median_days=median,
        mean_days=mean,
        q3_days=q3,
        max_days=days[-1] if days else None,
        distribution=tuple(buckets.items()),
        by_kind=tuple(KindCount(k, n, f) for k, (n, f) in sorted(kinds.items())),
        share_reason=None if leads else "no_events",
        lead_reason=None if days else ("no_found_first" if leads else "no_events"),
    )


__all__ = [
    "LEAD_BUCKETS",
    "REASONS",
    "SMALL_SAMPLE",
    "Auc",
    "EvaluationReport",
    "EventLead",
    "EventStatus",
    "GradeRow",
    "KindCount",
    "LeadTime",
    "Outcome",
    "OutcomeFile",
    "OutcomeReject",
    "PrecisionAtK",
    "Reason",
    "ScorePoint",
    "evaluate",
    "read_outcomes",
]
