"""Rules as the edges show them: catalogue, description, lint and fixture tests."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from smokewatch.detect.lint import Issue, LintContext, lint_rules
from smokewatch.detect.rules import Rule, load_rules
from smokewatch.detect.testing import FixtureOutcome, run_fixtures
from smokewatch.engine import connect
from smokewatch.errors import NotFound
from smokewatch.score.scorecard import Scorecard, load_scorecards
from smokewatch.services.workspace import Workspace
from smokewatch.settings import Settings
from smokewatch.text.lexicon import Lexicon, load_lexicons


def _workspace(settings: Settings | None) -> Workspace | None:
    if settings is None:
        return None
    workspace = Workspace(settings.workspace)
    return workspace if workspace.settings_file.exists() else None


def _fingerprint(folder: Path | None) -> tuple[tuple[str, int, int], ...]:
    """What changes when a rule file under ``folder`` is added, removed or edited."""
    if folder is None or not folder.is_dir():
        return ()
    return tuple(
        sorted(
            (str(f), f.stat().st_mtime_ns, f.stat().st_size)
            for f in folder.rglob("*")
            if f.is_file()
        )
    )


@lru_cache(maxsize=8)
def _cached_rules(folder: Path | None, _: tuple[tuple[str, int, int], ...]) -> tuple[Rule, ...]:
    return tuple(load_rules([folder] if folder is not None else []))


def catalogue(settings: Settings | None) -> list[Rule]:
    """Built-in rules, overlaid with the workspace's when ``settings`` name a workspace.

    Parsed once per process and version of the workspace's rule files (the API reads the
    catalogue on every request about rules).
    """
    workspace = _workspace(settings)
    folder = workspace.rules_dir if workspace else None
    return list(_cached_rules(folder, _fingerprint(folder)))


def lexicons(settings: Settings | None) -> dict[str, Lexicon]:
    """Built-in lexicons, overlaid with the workspace's."""
    workspace = _workspace(settings)
    return dict(load_lexicons([workspace.lexicons_dir] if workspace else []))


def get_rule(settings: Settings | None, rule_id: str) -> Rule:
    """One rule by id.

    Raises:
        NotFound: naming the known ids.
    """
    rules = {r.id: r for r in catalogue(settings)}
    if rule_id not in rules:
        raise NotFound(f"no rule {rule_id!r}; known: {', '.join(sorted(rules))}")
    return rules[rule_id]


def describe(rule: Rule) -> dict[str, Any]:
    """Everything an analyst needs to know about a rule, as plain data."""
    spec = rule.spec
    return {
        "id": spec.id,
        "version": spec.version,
        "ref": spec.ref,
        "name": spec.name,
        "title": spec.title.model_dump(),
        "status": str(spec.status),
        "severity": str(spec.severity),
        "subject": spec.subject,
        "typology": spec.typology,
        "description": spec.description.model_dump(),
        "references": [
            r.model_dump(exclude_none=True) | {"cite": r.cite()} for r in spec.references
        ],
        "inputs": spec.inputs.model_dump(),
        "parameters": {k: v.model_dump(exclude_none=True) for k, v in spec.parameters.items()},
        "metrics": {k: v.model_dump() for k, v in spec.metrics.items()},
        "bands": [
            {
                "code": b.code,
                "when": b.when,
                "severity": str(b.severity or spec.severity),
                "reason": b.reason.model_dump(),
            }
            for b in spec.bands
        ],
        "falsepositives": spec.falsepositives,
        "logic": "sql" if spec.logic.sql else "python",
        "body": rule.sql_text if rule.sql_text is not None else spec.logic.python,
        "origin": rule.origin,
        "content_hash": rule.content_hash,
        "fixtures": [
            {"name": f.name, "kind": f.kind, "description": f.fixture.description}
            for f in rule.fixtures
        ],
    }


def lint(settings: Settings | None) -> list[Issue]:
    """Lint every rule (built-in and workspace)."""
    rules = catalogue(settings)
    return lint_rules(rules, LintContext.default(lexicons(settings)))


def test_rules(
    settings: Settings | None,
    *,
    rule_ids: Sequence[str] = (),
    engine_url: str = "duckdb://:memory:",
) -> list[FixtureOutcome]:
    """Run the fixtures of the given rules (default all) on a scratch engine."""
    rules = catalogue(settings)
    if rule_ids:
        wanted = set(rule_ids)
        unknown = wanted - {r.id for r in rules}
        if unknown:
            raise NotFound(f"unknown rules: {', '.join(sorted(unknown))}")
        rules = [r for r in rules if r.id in wanted]
    lex = lexicons(settings)
    engine_settings = settings.engine if settings else Settings().engine
    with tempfile.TemporaryDirectory(prefix="sw-rules-test-") as scratch:
        engine = connect(engine_url, engine_settings, data_dir=Path(scratch))
        try:
            return [o for rule in rules for o in run_fixtures(engine, rule, lex)]
        finally:
            engine.close()


def scorecards(settings: Settings | None) -> list[Scorecard]:
    """Built-in scorecards, overlaid with the workspace's, by id."""
    workspace = _workspace(settings)
    cards = load_scorecards([workspace.scorecards_dir] if workspace else [])
    return [cards[k] for k in sorted(cards)]


def get_scorecard(settings: Settings | None, scorecard_id: str) -> Scorecard:
    """One scorecard by id.

    Raises:
        NotFound: naming the known ids.
    """
    cards = {c.spec.id: c for c in scorecards(settings)}
    if scorecard_id not in cards:
        raise NotFound(f"no scorecard {scorecard_id!r}; known: {', '.join(sorted(cards))}")
    return cards[scorecard_id]


def describe_scorecard(card: Scorecard) -> dict[str, Any]:
    """A scorecard as written in its YAML (grades, dimensions, components, qualifiers)."""
    spec = card.spec.model_dump(mode="json")
    return {
        **spec,
        "key": card.key,
        "alert_grade": card.spec.alert_grade,
        "origin": card.origin,
        "content_hash": card.content_hash,
    }


__all__ = [
    "catalogue",
    "describe",
    "describe_scorecard",
    "get_rule",
    "get_scorecard",
    "lexicons",
    "lint",
    "scorecards",
    "test_rules",
]
