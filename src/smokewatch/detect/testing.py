"""Running a rule's regression fixtures on an engine (``smokewatch rules test`` and the suite)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smokewatch.detect.fixtures import LoadedFixture, fixture_table
from smokewatch.detect.rules import Rule
from smokewatch.detect.run import LexiconTable, run_rule
from smokewatch.errors import InvalidInput
from smokewatch.model.tables import get_table

if TYPE_CHECKING:
    from smokewatch.engine.base import Engine


@dataclass(frozen=True, slots=True)
class FixtureOutcome:
    """Result of one fixture on one engine."""

    rule_ref: str
    fixture: str
    kind: str
    engine: str
    passed: bool
    problems: tuple[str, ...]
    actual: tuple[tuple[str, str], ...]
    """(subject_id, band) pairs the rule produced."""


def _check(loaded: LoadedFixture, findings: list[dict[str, Any]]) -> list[str]:
    actual = {(f["subject_id"], f["band"]) for f in findings}
    if loaded.kind == "negative":
        return [f"expected no findings, got {sorted(actual)}"] if actual else []
    expected = {(e.subject_id, e.band) for e in loaded.fixture.expect}
    problems = []
    if missing := expected - actual:
        problems.append(f"missing findings {sorted(missing)}")
    if extra := actual - expected:
        problems.append(f"unexpected findings {sorted(extra)}")
    by_subject = {f["subject_id"]: f for f in findings}
    for exp_finding in loaded.fixture.expect:
        found = by_subject.get(exp_finding.subject_id)
        if found is None:
            continue
        for lang, text in exp_finding.reason_contains.items():
            reason = found[f"reason_{lang}"]
            if text not in reason:
                problems.append(
                    f"{exp_finding.subject_id}: reason_{lang} {reason!r} lacks {text!r}"
                )
        metrics = json.loads(found["metrics"])
        for name, value in exp_finding.metrics.items():
            if metrics.get(name) != value:
                problems.append(
                    f"{exp_finding.subject_id}: metric {name} is {metrics.get(name)!r}, "
                    f"expected {value!r}"
                )
    return problems


def run_fixture(
    engine: Engine, rule: Rule, loaded: LoadedFixture, lexicons: Mapping[str, LexiconTable]
) -> FixtureOutcome:
    """Register the fixture's tables (every declared input, empty when absent) and run."""
    spec = rule.spec
    fx = loaded.fixture
    unknown = set(fx.tables) - set(spec.inputs.tables)
    if unknown:
        raise InvalidInput(
            f"{loaded.origin}: tables {sorted(unknown)} are not inputs of {spec.ref}"
        )
    for name in spec.inputs.tables:
        schema = get_table(name)
        engine.register(name, fixture_table(schema, fx.tables.get(name, []), loaded.origin))
    try:
        table = run_rule(
            engine, rule, as_of=fx.as_of, run_id="fixture", lexicons=lexicons, overrides=fx.params
        )
    finally:
        for name in spec.inputs.tables:
            engine.drop_table(name)
    findings = table.to_pylist()
    problems = _check(loaded, findings)
    return FixtureOutcome(
        rule_ref=spec.ref,
        fixture=loaded.name,
        kind=loaded.kind,
        engine=engine.name,
        passed=not problems,
        problems=tuple(problems),
        actual=tuple(sorted((f["subject_id"], f["band"]) for f in findings)),
    )


def run_fixtures(
    engine: Engine, rule: Rule, lexicons: Mapping[str, LexiconTable]
) -> list[FixtureOutcome]:
    """Every fixture of a rule, in file order."""
    return [run_fixture(engine, rule, fx, lexicons) for fx in rule.fixtures]


__all__ = ["FixtureOutcome", "run_fixture", "run_fixtures"]
