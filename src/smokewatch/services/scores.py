"""The score service: apply the scorecards to what detect found, store the indices, run alerts.

``smokewatch score run`` → :func:`score`. One recorded run per call; for every scorecard whose
subject table is loaded:

1. lint it against the rules (errors stop the run) and publish its version (immutable);
2. gather the findings and model estimates that reach each entity (:mod:`smokewatch.score.gather`);
3. compute each entity's smoke index (:func:`smokewatch.score.index.smoke_index`) and store the
   non-zero ones with their contributions and routing (division code, sector);
4. for active scorecards (not shadow), apply the alert lifecycle
   (:mod:`smokewatch.alerts.lifecycle`): raise, rise, fall, wake, reopen — re-scoring the same
   data changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from smokewatch.alerts.lifecycle import Action, AlertState, GradeOrder, on_score
from smokewatch.detect.spec import Status
from smokewatch.errors import ConfigError, NotFound, Problem
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.gather import FINDING_TABLE, Gathered, SubjectInfo, gather
from smokewatch.score.index import Contribution, SmokeIndex, smoke_index
from smokewatch.score.lint import lint_scorecard
from smokewatch.score.scorecard import Scorecard, load_scorecards
from smokewatch.services.detect import workspace_rules
from smokewatch.services.runs import recorded_run
from smokewatch.services.workspace import Workspace, open_engine, open_store, open_workspace
from smokewatch.store import scoring
from smokewatch.store.orm import Alert, AlertStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from smokewatch.engine import Engine
    from smokewatch.settings import Settings
    from smokewatch.store.db import Store


@dataclass(slots=True)
class CardSummary:
    """What one scorecard did in a score run."""

    scorecard: str
    shadow: bool
    scored: int = 0
    by_grade: dict[str, int] = field(default_factory=dict)
    alerts: dict[str, int] = field(default_factory=dict)
    skipped: str | None = None


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    """What a score run did."""

    run_id: str
    as_of: date
    cards: tuple[CardSummary, ...]


def workspace_scorecards(workspace: Workspace, ids: Sequence[str] | None = None) -> list[Scorecard]:
    """Built-in scorecards overlaid with the workspace's, optionally only the named ones."""
    cards = load_scorecards([workspace.scorecards_dir])
    if not ids:
        return list(cards.values())
    missing = [i for i in ids if i not in cards]
    if missing:
        raise NotFound(f"unknown scorecards: {', '.join(missing)}")
    return [cards[i] for i in ids]


def check_scorecards(workspace: Workspace, cards: Sequence[Scorecard]) -> None:
    """Refuse scorecards with lint errors (warnings are fine).

    Raises:
        ConfigError: every error of every scorecard that would run.
    """
    rules = {r.id: r for r in workspace_rules(workspace)}
    errors = [
        issue
        for card in cards
        if card.spec.runs_in_production
        for issue in lint_scorecard(card, rules)
        if issue.severity == "error"
    ]
    if errors:
        raise ConfigError([Problem(f"{i.rule_ref} {i.code}: {i.message}") for i in errors])


def score_id(card: Scorecard, subject_table: str, subject_id: str, as_of: date) -> str:
    """The deterministic id of a score (re-scoring the same day replaces it)."""
    key = f"{card.spec.id}|{card.spec.version}|{subject_table}|{subject_id}|{as_of.isoformat()}"
    return "sc-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def alert_id(scorecard_id: str, subject_table: str, subject_id: str) -> str:
    """The dedupe key of an alert: one per subject and scorecard."""
    key = f"{scorecard_id}|{subject_table}|{subject_id}"
    return "al-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]


def contribution_json(line: Contribution) -> dict[str, Any]:
    """A contribution as stored and shown (points as a number with two decimals)."""
    return {
        "kind": line.kind,
        "dimension": line.dimension,
        "component": line.component,
        "source": line.source,
        "points": float(line.points),
        "reason_zh": line.reason_zh,
        "reason_en": line.reason_en,
        "evidence": list(line.evidence),
        "band": line.band,
        "probability": line.probability,
    }


def _reasons(result: SmokeIndex, lang: str) -> str:
    top = result.top_reasons[:3]
    if lang == "zh":
        return "；".join(c.reason_zh for c in top)
    return "; ".join(c.reason_en for c in top)


def _default_as_of(engine: Engine) -> date:
    if engine.has_table(FINDING_TABLE):
        table = engine.table(FINDING_TABLE)
        rows = engine.to_arrow(table.aggregate(day=table.as_of.max()), step="as of").to_pylist()
        if rows and rows[0]["day"] is not None:
            day: date = rows[0]["day"]
            return day
    return datetime.now(UTC).date()


def score_rows(
    card: Scorecard, results: list[SmokeIndex], subjects: dict[str, SubjectInfo], as_of: date
) -> list[dict[str, Any]]:
    """The stored rows of a card's smoke indices on one evaluation date."""
    shadow = card.spec.status != Status.ACTIVE
    rows = []
    for result in results:
        info = subjects.get(result.subject_id, SubjectInfo(None, None, None))
        rows.append(
            {
                "id": score_id(card, card.spec.subject, result.subject_id, as_of),
                "subject_id": result.subject_id,
                "subject_table": card.spec.subject,
                "subject_name": info.name,
                "scorecard_id": card.spec.id,
                "scorecard_version": card.spec.version,
                "as_of": as_of,
                "score": float(result.index),
                "grade": result.grade,
                "dimensions": {k: float(v) for k, v in result.dimensions.items()},
                "contributions": [contribution_json(c) for c in result.contributions],
                "shadow": shadow,
                "adcode": info.adcode,
                "sector": info.sector,
            }
        )
    return rows


def _state(alert: Alert) -> AlertState:
    return AlertState(str(alert.status), alert.grade, alert.last_grade, alert.snoozed_until)


def _apply_alerts(
    session: Session,
    card: Scorecard,
    results: dict[str, SmokeIndex],
    gathered: Gathered,
    *,
    run_id: str,
    as_of: date,
) -> Counter[str]:
    spec = card.spec
    order = GradeOrder([g.code for g in spec.grades], spec.alert_grade)
    existing = scoring.alerts_by_subject(session, spec.id, spec.subject)
    counts: Counter[str] = Counter()
    now = datetime.now(UTC)
    for subject_id in sorted(set(results) | set(existing)):
        result = results.get(subject_id)
        grade = result.grade if result is not None else "none"
        score = float(result.index) if result is not None else 0.0
        alert = existing.get(subject_id)
        decision = on_score(_state(alert) if alert else None, grade, order, as_of)
        if alert is not None:
            alert.last_grade, alert.score, alert.as_of, alert.last_run_id = (
                grade,
                score,
                as_of,
                run_id,
            )
            alert.scorecard_version = spec.version
        if decision is None:
            continue
        info = gathered.subjects.get(subject_id, SubjectInfo(None, None, None))
        if alert is None:
            alert = Alert(
                id=alert_id(spec.id, spec.subject, subject_id),
                subject_id=subject_id,
                subject_table=spec.subject,
                subject_name=info.name,
                scorecard_id=spec.id,
                scorecard_version=spec.version,
                grade=decision.grade,
                last_grade=grade,
                score=score,
                as_of=as_of,
                status=AlertStatus(decision.status),
                raised_at=now,
                raised_run_id=run_id,
                updated_at=now,
                last_run_id=run_id,
                adcode=info.adcode,
                sector=info.sector,
                reason_zh="",
                reason_en="",
            )
            session.add(alert)
            session.flush()
        alert.grade, alert.status = decision.grade, AlertStatus(decision.status)
        if decision.status != "snoozed":
            alert.snoozed_until, alert.snooze_reason = None, None
        if any(a in decision.actions for a in _RISES):
            # A rise needs fresh attention: an acknowledgement holds for the grade it saw.
            alert.acknowledged_at, alert.acknowledged_by = None, None
        if result is not None and any(a in decision.actions for a in _RISES):
            alert.reason_zh, alert.reason_en = _reasons(result, "zh"), _reasons(result, "en")
            alert.updated_at = now
        for action in decision.actions:
            scoring.add_alert_event(
                session, alert.id, str(action), grade=grade, score=score, run_id=run_id, at=now
            )
            counts[str(action)] += 1
    return counts


_RISES = (Action.RAISED, Action.ROSE, Action.REOPENED)


def _score_card(
    store: Store, engine: Engine, card: Scorecard, *, run_id: str, as_of: date
) -> CardSummary:
    spec = card.spec
    shadow = spec.status != Status.ACTIVE
    summary = CardSummary(card.key, shadow)
    if not engine.has_table(spec.subject):
        summary.skipped = f"table {spec.subject} is not loaded"
        return summary
    with store.unit_of_work() as session:
        alerted = [] if shadow else list(scoring.alerts_by_subject(session, spec.id, spec.subject))
    gathered = gather(engine, spec, alerted)
    results: dict[str, SmokeIndex] = {}
    for subject_id in sorted(set(gathered.rules) | set(gathered.models)):
        result = smoke_index(
            spec,
            subject_id,
            rules=gathered.rules.get(subject_id, ()),
            models=gathered.models.get(subject_id, ()),
        )
        if result.index > 0:
            results[subject_id] = result
    with store.unit_of_work() as session:
        if spec.status == Status.ACTIVE:
            scoring.publish_scorecard_version(
                session,
                scorecard_id=spec.id,
                version=spec.version,
                content_hash=card.content_hash,
                status=str(spec.status),
                title=spec.title.zh,
            )
        rows = score_rows(card, list(results.values()), gathered.subjects, as_of)
        summary.scored = scoring.replace_scores(session, run_id, rows)
        summary.by_grade = dict(sorted(Counter(r.grade for r in results.values()).items()))
        if not shadow:
            counts = _apply_alerts(session, card, results, gathered, run_id=run_id, as_of=as_of)
            summary.alerts = dict(sorted(counts.items()))
    return summary


def score(
    settings: Settings,
    *,
    scorecard_ids: Sequence[str] | None = None,
    as_of: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> ScoreSummary:
    """Score the workspace's entities with its scorecards (one recorded run)."""
    workspace = open_workspace(settings)
    cards = [c for c in workspace_scorecards(workspace, scorecard_ids) if c.spec.runs_in_production]
    check_scorecards(workspace, cards)
    with open_store(settings) as store, open_engine(settings) as engine:
        day = as_of or _default_as_of(engine)
        inputs = {
            "as_of": day.isoformat(),
            "scorecards": [
                {"id": c.spec.id, "version": c.spec.version, "content_hash": c.content_hash}
                for c in cards
            ],
            "settings_digest": settings.digest(),
        }
        engine_label = f"{engine.name} {engine.version()}"
        with recorded_run(store, "score", engine=engine_label, inputs=inputs) as run:
            progress.start("score", total=len(cards))
            summaries = []
            for card in cards:
                summaries.append(_score_card(store, engine, card, run_id=run.run_id, as_of=day))
                progress.advance()
            progress.finish()
            run.stats = {
                "cards": [
                    {
                        "scorecard": s.scorecard,
                        "shadow": s.shadow,
                        "scored": s.scored,
                        "by_grade": s.by_grade,
                        "alerts": s.alerts,
                        "skipped": s.skipped,
                    }
                    for s in summaries
                ]
            }
    return ScoreSummary(run.run_id, day, tuple(summaries))


__all__ = [
    "CardSummary",
    "ScoreSummary",
    "alert_id",
    "check_scorecards",
    "contribution_json",
    "score",
    "score_id",
    "score_rows",
    "workspace_scorecards",
]
