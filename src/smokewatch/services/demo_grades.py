"""The demo's check of the smoke index against the planted truth: grades, reasons, controls.

After ``demo init`` scores the city, three things are compared with ``demo/planted.jsonl``:

* **grades** — each smoke case (``grade`` in its line) against the grade its index reached;
* **reasons** — for every planted enterprise, the rules whose findings should reach its index
  (the rules its case expects to fire, and those expected to fire on the documents that
  identify it, ``about``) against the rules behind the component lines of its score. Only
  rules and bands the scorecard gives points for count. A case expecting nothing is a
  **control**: it must not be scored at all;
* **false alarms** — scored entities that were not planted (ordinary enterprises).

Nothing here is hard-coded to the demo's numbers: every expectation is read from the planting
records the generator wrote, and every result from the store.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from smokewatch.demo.grades import SMOKE_SCORECARD, GradeExpectation
from smokewatch.score.scorecard import ScorecardSpec
from smokewatch.services.scores import ScoreSummary
from smokewatch.services.workspace import open_engine, open_store
from smokewatch.settings import Settings
from smokewatch.store import scoring
from smokewatch.store.orm import Score

NO_GRADE = "none"
"""The grade of an entity that scored below every grade, or not at all."""
TOP_PER_GRADE: Mapping[str, int] = {"red": 5, "orange": 5, "yellow": 2, "blue": 2}
"""How many entities of each grade the demo summary lists with their reasons, highest first."""
_REASONS = 3
_PAGE = 5_000


def read_cases(planted: Path) -> list[dict[str, Any]]:
    """The objects of ``planted.jsonl``, one per planted case."""
    lines = planted.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


SUBJECT_KEYS: Mapping[str, tuple[str, str]] = {
    "enterprise": ("uscc", "uscc"),
    "document": ("reference", "reference"),
    "local_org": ("uscc", "uscc"),
    "platform": ("reference", "provider_id"),
}
"""Per subject table: the field of a planted case that keys it, and the engine column it is."""


def case_key(case: Mapping[str, Any]) -> str:
    """``enterprise:USCC``, ``document:REFERENCE`` …: how a planted case is looked up."""
    table = case.get("subject_table", "enterprise")
    return f"{table}:{case[SUBJECT_KEYS[table][0]]}"


def subject_ids(settings: Settings, cases: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Engine ids of the planted subjects, by case key (USCC, reference or provider id)."""
    keys: dict[str, list[str]] = {}
    for case in cases:
        table = case.get("subject_table", "enterprise")
        keys.setdefault(table, []).append(case[SUBJECT_KEYS[table][0]])
    ids: dict[str, str] = {}
    with open_engine(settings) as engine:
        for table, (_, column) in SUBJECT_KEYS.items():
            if not keys.get(table) or not engine.has_table(table):
                continue
            rows = engine.table(table)
            found = engine.to_arrow(
                rows.filter(rows[column].isin(keys[table])).select(column, "id")
            )
            pairs = zip(found[column].to_pylist(), found["id"].to_pylist(), strict=True)
            ids |= {f"{table}:{key}": subject for key, subject in pairs}
    return ids


@dataclass(frozen=True, slots=True)
class GradeCase:
    """A planted smoke case: the grade it was designed for and the grade it reached."""

    pattern: str
    name: str
    expected: GradeExpectation
    reached: str
    """The grade of its score, ``none`` when it scored below every grade or not at all."""
    index: float
    met: bool

    @property
    def wanted(self) -> str:
        """The expected grade as shown: ``orange``, or ``≥ orange`` for a floor."""
        return ("≥ " if self.expected.at_least else "") + self.expected.grade


@dataclass(frozen=True, slots=True)
class Explained:
    """A planted enterprise: the rules that should reach its index and those that did."""

    pattern: str
    name: str
    expected: frozenset[str]
    reached: frozenset[str]
    grade: str
    index: float

    @property
    def met(self) -> bool:
        """Exactly the expected rules are behind its score (none, for a control)."""
        return self.expected == self.reached

    @property
    def control(self) -> bool:
        """Planted to stay clean: nothing should reach its index."""
        return not self.expected

    def why(self) -> str:
        """``pattern name: missing …; unexpected …`` for a case not met."""
        said = []
        if missing := sorted(self.expected - self.reached):
            said.append("missing " + ", ".join(missing))
        if extra := sorted(self.reached - self.expected):
            said.append("unexpected " + ", ".join(extra))
        return f"{self.pattern} {self.name} ({self.grade} {self.index:g}): " + "; ".join(said)


@dataclass(frozen=True, slots=True)
class TopEntity:
    """An entity with its strongest reasons (zh), for the demo summary."""

    subject_id: str
    name: str
    grade: str
    index: float
    reasons: tuple[tuple[float, str], ...]
    """The strongest contributions: points and reason (zh), strongest first."""
    pattern: str | None
    """The planted case's pattern, ``None`` for an entity that was not planted."""


@dataclass(frozen=True, slots=True)
class GradeCheck:
    """How the smoke index compares with the planted truth (module docstring)."""

    scorecard: str
    by_grade: dict[str, int]
    """Scored entities per grade (``none``: a positive index below every grade)."""
    alerts: dict[str, int]
    """Alert actions of the score run (``raised`` …)."""
    cases: tuple[GradeCase, ...]
    unplanted: int
    """Entities scored that were not planted at all (false alarms; there should be none)."""
    top: tuple[TopEntity, ...] = ()
    explained: tuple[Explained, ...] = ()
    """Every planted subject of the card's table, in planting order."""
    subject: str = "enterprise"
    """The table of the subjects the card scores."""

    @property
    def met(self) -> int:
        """Planted grade expectations met."""
        return sum(1 for c in self.cases if c.met)

    @property
    def misses(self) -> tuple[str, ...]:
        """``pattern name: why`` of every grade expectation not met."""
        return tuple(
            f"{c.pattern} {c.name}: reached {c.reached} ({c.index:g}), expected {c.wanted}"
            for c in self.cases
            if not c.met
        )

    @property
    def controls(self) -> tuple[Explained, ...]:
        """The planted enterprises nothing should reach."""
        return tuple(e for e in self.explained if e.control)

    @property
    def reason_misses(self) -> tuple[str, ...]:
        """Why, for every planted enterprise whose score is not made of the expected rules."""
        return tuple(e.why() for e in self.explained if not e.met)

    def stats(self) -> dict[str, Any]:
        """The comparison as recorded with the demo run."""
        controls = self.controls
        return {
            "scorecard": self.scorecard,
            "subject": self.subject,
            "by_grade": dict(self.by_grade),
            "alerts": dict(self.alerts),
            "expected": len(self.cases),
            "met": self.met,
            "unplanted": self.unplanted,
            "cases": [
                {
                    "pattern": c.pattern,
                    "name": c.name,
                    "expected": c.wanted,
                    "reached": c.reached,
                    "index": c.index,
                    "met": c.met,
                }
                for c in self.cases
            ],
            "misses": list(self.misses),
            "explained": len(self.explained),
            "explained_met": sum(1 for e in self.explained if e.met),
            "controls": len(controls),
            "controls_clean": sum(1 for e in controls if e.met),
            "reason_misses": list(self.reason_misses),
        }


def compare_grades(
    cases: Sequence[Mapping[str, Any]],
    reached: Mapping[str, tuple[str, float]],
    scorecard: str = SMOKE_SCORECARD,
) -> tuple[GradeCase, ...]:
    """The planted grade expectations against the grades reached.

    ``cases`` are objects of ``planted.jsonl`` (those with a ``grade`` count); ``reached`` maps
    a case key (``enterprise:USCC``) to ``(grade, index)``. A case without a score reached no
    grade (``none``, index 0).
    """
    compared = []
    for case in cases:
        wanted = case.get("grade")
        if not wanted or wanted.get("scorecard", SMOKE_SCORECARD) != scorecard:
            continue
        expected = GradeExpectation(
            str(wanted["grade"]),
            bool(wanted.get("at_least", False)),
            str(wanted.get("scorecard", SMOKE_SCORECARD)),
        )
        grade, index = reached.get(case_key(case), (NO_GRADE, 0.0))
        compared.append(
            GradeCase(case["pattern"], case["name"], expected, grade, index, expected.met_by(grade))
        )
    return tuple(compared)


def scored_bands(card: ScorecardSpec) -> dict[str, frozenset[str]]:
    """The bands the card gives points for, per rule of its components."""
    bands: dict[str, set[str]] = {}
    for component in card.components:
        if component.rule is not None:
            bands.setdefault(component.rule, set()).update(component.bands or {})
    return {rule: frozenset(b) for rule, b in bands.items()}


def expected_reasons(
    cases: Sequence[Mapping[str, Any]],
    bands: Mapping[str, Collection[str]],
    subject: str = "enterprise",
) -> dict[str, frozenset[str]]:
    """Per planted enterprise (case key), the rules whose findings should reach its index.

    Those its case expects to fire, and those expected to fire on documents that identify it
    (``about``), counted when the card scores the rule in the expected band (a registry
    expectation names no band: any band of the rule counts).
    """

    def scored(expect: Mapping[str, Any]) -> bool:
        rule, band = expect["rule_id"], expect.get("band")
        return bool(expect["fires"]) and rule in bands and (band is None or band in bands[rule])

    expected: dict[str, set[str]] = {}
    for case in cases:
        if case.get("subject_table", "enterprise") == subject:
            rules = {e["rule_id"] for e in case["expect"] if scored(e)}
            expected.setdefault(case_key(case), set()).update(rules)
    for case in cases if subject == "enterprise" else ():
        if case.get("subject_table") == "document" and case.get("about"):
            rules = {e["rule_id"] for e in case["expect"] if scored(e)}
            expected.setdefault(f"enterprise:{case['about']}", set()).update(rules)
    return {key: frozenset(rules) for key, rules in expected.items()}


def _reached_rules(score: Score) -> frozenset[str]:
    lines = score.contributions
    return frozenset(
        str(c["source"]).split("@")[0] for c in lines if c["kind"] == "component" and c["source"]
    )


def explain(
    cases: Sequence[Mapping[str, Any]],
    expected: Mapping[str, frozenset[str]],
    scores: Mapping[str, Score],
    subject: str = "enterprise",
) -> tuple[Explained, ...]:
    """Every planted enterprise's expected rules against those behind its score.

    ``scores`` maps a case key to the enterprise's score; an enterprise without one reached no
    rule and no grade.
    """
    explained = []
    for case in cases:
        if case.get("subject_table", "enterprise") != subject:
            continue
        key = case_key(case)
        found = scores.get(key)
        explained.append(
            Explained(
                case["pattern"],
                case["name"],
                expected.get(key, frozenset()),
                _reached_rules(found) if found else frozenset(),
                (found.grade or NO_GRADE) if found else NO_GRADE,
                found.score if found else 0.0,
            )
        )
    return tuple(explained)


def _scores(settings: Settings, scorecard: str, as_of: date) -> list[Score]:
    found: list[Score] = []
    with open_store(settings) as store, store.read_session() as session:
        while True:
            page, total = scoring.list_scores(
                session, scorecard_id=scorecard, as_of=as_of, limit=_PAGE, offset=len(found)
            )
            found.extend(page)
            if not page or len(found) >= total:
                return found


def top_entities(scores: Sequence[Score], planted: Mapping[str, str]) -> tuple[TopEntity, ...]:
    """The highest entities of each grade of :data:`TOP_PER_GRADE` (scores come highest first)."""
    top = []
    for grade, count in TOP_PER_GRADE.items():
        for s in [s for s in scores if s.grade == grade][:count]:
            lines = [c for c in s.contributions if c["kind"] == "component" and c["points"] > 0]
            lines.sort(key=lambda c: (-c["points"], c.get("component") or ""))
            reasons = tuple((float(c["points"]), str(c["reason_zh"])) for c in lines[:_REASONS])
            name = s.subject_name or s.subject_id
            pattern = planted.get(s.subject_id)
            top.append(TopEntity(s.subject_id, name, grade, s.score, reasons, pattern))
    return tuple(top)


def check_grades(
    settings: Settings,
    planted: Path,
    summary: ScoreSummary,
    card: ScorecardSpec,
) -> GradeCheck:
    """Compare the scores of ``card`` on the score run's day with the planted truth."""
    cases = read_cases(planted)
    ids = subject_ids(settings, cases)
    scores = _scores(settings, card.id, summary.as_of)
    by_subject = {s.subject_id: s for s in scores}
    by_key = {key: by_subject[i] for key, i in ids.items() if i in by_subject}
    reached = {key: (s.grade or NO_GRADE, s.score) for key, s in by_key.items()}
    patterns = {ids[case_key(c)]: c["pattern"] for c in cases if case_key(c) in ids}
    ran = next((c for c in summary.cards if c.scorecard.split("@")[0] == card.id), None)
    expected = expected_reasons(cases, scored_bands(card), card.subject)
    return GradeCheck(
        scorecard=card.id,
        by_grade=dict(ran.by_grade) if ran else {},
        alerts=dict(ran.alerts) if ran else {},
        cases=compare_grades(cases, reached, card.id),
        unplanted=sum(1 for s in scores if s.subject_id not in patterns),
        top=top_entities(scores, patterns),
        explained=explain(cases, expected, by_key, card.subject),
        subject=card.subject,
    )


__all__ = [
    "NO_GRADE",
    "SUBJECT_KEYS",
    "TOP_PER_GRADE",
    "Explained",
    "GradeCase",
    "GradeCheck",
    "TopEntity",
    "case_key",
    "check_grades",
    "compare_grades",
    "expected_reasons",
    "explain",
    "read_cases",
    "scored_bands",
    "subject_ids",
    "top_entities",
]
