"""The detect service: load rules and lexicons, check them, run them, keep the findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa

from smokewatch import __version__
from smokewatch.detect.lint import LintContext, lint_rules
from smokewatch.detect.rules import Rule, load_rules
from smokewatch.detect.run import RuleOutcome, run_rules
from smokewatch.detect.spec import Status
from smokewatch.engine import Engine
from smokewatch.errors import ConfigError, NotFound, Problem
from smokewatch.model.tables import get_table
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.gather import SubjectInfo, subject_routing
from smokewatch.services.runs import recorded_run
from smokewatch.services.workspace import Workspace, open_engine, open_store, open_workspace
from smokewatch.settings import Settings
from smokewatch.store import repos
from smokewatch.store.db import RawJson, Store
from smokewatch.text.lexicon import Lexicon, load_lexicons

FINDING_TABLE = "finding"


@dataclass(frozen=True, slots=True)
class DetectSummary:
    """What a detect run did."""

    run_id: str
    as_of: date
    engine: str
    outcomes: tuple[RuleOutcome, ...]
    findings: int
    by_severity: Mapping[str, int]


def workspace_rules(workspace: Workspace, rule_ids: Sequence[str] | None = None) -> list[Rule]:
    """Built-in rules overlaid with the workspace's, optionally only the named ones."""
    rules = load_rules([workspace.rules_dir])
    if not rule_ids:
        return rules
    known = {r.id: r for r in rules}
    missing = [r for r in rule_ids if r not in known]
    if missing:
        raise NotFound(f"unknown rules: {', '.join(missing)}")
    return [known[r] for r in rule_ids]


def workspace_lexicons(workspace: Workspace | None) -> Mapping[str, Lexicon]:
    """Built-in lexicons overlaid with the workspace's ``lexicons/``."""
    return load_lexicons([workspace.lexicons_dir] if workspace else [])


def check_rules(rules: Sequence[Rule], lexicons: Mapping[str, Lexicon]) -> None:
    """Refuse to run rules with lint errors (warnings are fine).

    Raises:
        ConfigError: listing every error of every rule that would run.
    """
    runnable = [r for r in rules if r.spec.runs_in_production]
    errors = [
        i for i in lint_rules(runnable, LintContext.default(lexicons)) if i.severity == "error"
    ]
    if errors:
        raise ConfigError([Problem(f"{i.rule_ref} {i.code}: {i.message}") for i in errors])


def _publish(store: Store, rules: Sequence[Rule]) -> None:
    """Record active rule versions; changed content under an old version is a Conflict."""
    with store.unit_of_work() as session:
        for rule in rules:
            if rule.spec.status == Status.ACTIVE:
                repos.publish_rule_version(
                    session,
                    rule_id=rule.id,
                    version=rule.spec.version,
                    content_hash=rule.content_hash,
                    status=str(rule.spec.status),
                    title=rule.spec.title.zh,
                )


def _ingest_state(engine: Engine) -> list[dict[str, Any]]:
    if not engine.has_table("_ingest_state"):
        return []
    rows: list[dict[str, Any]] = engine.to_arrow(
        engine.table("_ingest_state"), step="ingest state"
    ).to_pylist()
    return [{k: str(v) for k, v in row.items()} for row in rows]


def _merge_findings(engine: Engine, new: pa.Table, ran: Sequence[str]) -> pa.Table | Any:
    """Findings of rules that did not run are kept; those of rules that ran are replaced."""
    schema = get_table(FINDING_TABLE).arrow_schema()
    engine.ensure_table(FINDING_TABLE, schema)
    old = engine.table(FINDING_TABLE)
    kept = old.filter(~old.rule_id.isin(list(ran)))
    fresh = engine.register("__sw_new_findings", new)
    return kept.union(fresh)


def store_rows(findings: pa.Table, engine: Engine | None = None) -> list[dict[str, Any]]:
    """Findings as store rows; the JSON columns go in as the engine wrote them.

    With an engine, each row is routed like a score: the division code and sector of its
    subject's row (an enterprise, a document, a platform …), so users see the findings of
    their territory (:func:`smokewatch.services.visibility.region_condition`). A subject
    whose table has no division code (bank accounts) stays unrouted: admins see it.
    """
    rows: list[dict[str, Any]] = findings.to_pylist()
    routing: dict[tuple[str, str], SubjectInfo] = {}
    if engine is not None:
        by_table: dict[str, set[str]] = {}
        for row in rows:
            by_table.setdefault(row["subject_table"], set()).add(row["subject_id"])
        for table, ids in by_table.items():
            for subject_id, found in subject_routing(engine, table, ids).items():
                routing[(table, subject_id)] = found
    for row in rows:
        row["metrics"] = RawJson(row["metrics"])
        row["evidence"] = RawJson(row["evidence"])
        info = routing.get((row["subject_table"], row["subject_id"]))
        row["adcode"] = info.adcode if info is not None else None
        row["sector"] = info.sector if info is not None else None
    return rows


def detect(
    settings: Settings,
    *,
    rule_ids: Sequence[str] | None = None,
    as_of: date | None = None,
    progress: Progress = NO_PROGRESS,
) -> DetectSummary:
    """Run the workspace's rules on its data and store the findings (one recorded run)."""
    workspace = open_workspace(settings)
    rules = workspace_rules(workspace, rule_ids)
    lexicons = workspace_lexicons(workspace)
    check_rules(rules, lexicons)
    as_of = as_of or settings.detect.as_of or datetime.now(UTC).date()
    with open_store(settings) as store, open_engine(settings) as engine:
        _publish(store, rules)
        inputs = {
            "as_of": as_of.isoformat(),
            "smokewatch_version": __version__,
            "rules": [
                {
                    "id": r.id,
                    "version": r.spec.version,
                    "status": str(r.spec.status),
                    "content_hash": r.content_hash,
                    "body_hash": r.body_hash,
                }
                for r in rules
                if r.spec.runs_in_production
            ],
            "tables": _ingest_state(engine),
            "settings_digest": settings.digest(),
        }
        engine_label = f"{engine.name} {engine.version()}"
        with recorded_run(store, "detect", engine=engine_label, inputs=inputs) as run:
            result = run_rules(
                engine, rules, as_of=as_of, run_id=run.run_id, lexicons=lexicons, progress=progress
            )
            ran = [o.rule_id for o in result.outcomes]
            engine.replace_tables({FINDING_TABLE: _merge_findings(engine, result.findings, ran)})
            engine.drop_table("__sw_new_findings")
            with store.unit_of_work() as session:
                repos.replace_findings(session, run.run_id, store_rows(result.findings, engine))
            severities = Counter(result.findings.column("severity").to_pylist())
            run.stats = {
                "findings": result.findings.num_rows,
                "by_severity": dict(sorted(severities.items())),
                "rules": [
                    {
                        "rule": f"{o.rule_id}@{o.version}",
                        "findings": o.findings,
                        "bands": dict(o.bands),
                        "seconds": o.duration_s,
                    }
                    for o in result.outcomes
                ],
            }
    return DetectSummary(
        run_id=run.run_id,
        as_of=as_of,
        engine=engine_label,
        outcomes=result.outcomes,
        findings=result.findings.num_rows,
        by_severity=dict(sorted(severities.items())),
    )


__all__ = [
    "FINDING_TABLE",
    "DetectSummary",
    "check_rules",
    "detect",
    "store_rows",
    "workspace_lexicons",
    "workspace_rules",
]
