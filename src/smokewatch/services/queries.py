"""Read-only queries the edges show: runs, rejects, findings, overview figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from smokewatch.settings import JurisdictionSettings
from smokewatch.store import repos
from smokewatch.store.db import Store
from smokewatch.store.orm import Finding, IngestReject, Run


def run_dict(run: Run) -> dict[str, Any]:
    """A run as plain data."""
    return {
        "id": run.id,
        "kind": str(run.kind),
        "status": str(run.status),
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "engine": run.engine,
        "source_id": run.source_id,
        "subject": run.subject,
        "inputs": run.inputs,
        "stats": run.stats,
        "error": run.error,
    }


def reject_dict(reject: IngestReject) -> dict[str, Any]:
    """A rejected row as plain data."""
    return {
        "row_number": reject.row_number,
        "column": reject.column,
        "reason": reject.reason,
        "raw": reject.raw,
        "source_id": reject.source_id,
    }


def finding_dict(finding: Finding) -> dict[str, Any]:
    """A finding as plain data (the Finding contract)."""
    return {
        "id": finding.id,
        "subject_id": finding.subject_id,
        "subject_table": finding.subject_table,
        "subject_name": finding.subject_name,
        "rule_id": finding.rule_id,
        "rule_version": finding.rule_version,
        "rule": f"{finding.rule_id}@{finding.rule_version}",
        "severity": finding.severity,
        "band": finding.band,
        "reason_zh": finding.reason_zh,
        "reason_en": finding.reason_en,
        "metrics": finding.metrics,
        "evidence": finding.evidence,
        "as_of": finding.as_of,
        "shadow": finding.shadow,
        "run_id": finding.run_id,
        "engine": finding.engine,
        "adcode": finding.adcode,
        "sector": finding.sector,
    }


def list_runs(store: Store, *, kind: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Recent runs, newest first."""
    with store.read_session() as session:
        return [run_dict(r) for r in repos.list_runs(session, kind=kind, limit=limit)]


def get_run(store: Store, run_id: str, *, rejects: int = 20) -> dict[str, Any]:
    """One run with the first ``rejects`` rejected rows and the total number of rejects."""
    with store.read_session() as session:
        run = run_dict(repos.get_run_or_raise(session, run_id))
        run["rejects_total"] = repos.count_rejects(session, run_id)
        run["rejects"] = (
            [reject_dict(r) for r in repos.list_rejects(session, run_id, limit=rejects)]
            if rejects > 0
            else []
        )
        return run


def list_rejects(
    store: Store, run_id: str, *, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """A page of a run's rejected rows."""
    with store.read_session() as session:
        repos.get_run_or_raise(session, run_id)
        return [
            reject_dict(r) for r in repos.list_rejects(session, run_id, limit=limit, offset=offset)
        ]


def latest_detect_run(store: Store) -> str | None:
    """Id of the newest successful detect run."""
    with store.read_session() as session:
        runs = [
            r
            for r in repos.list_runs(session, kind="detect", limit=20)
            if str(r.status) == "succeeded"
        ]
        return runs[0].id if runs else None


@dataclass(frozen=True, slots=True)
class FindingPage:
    """A page of findings and how many match in total."""

    items: list[dict[str, Any]]
    total: int
    run_id: str | None


def list_findings(
    store: Store,
    *,
    rule_id: str | None = None,
    subject_id: str | None = None,
    band: str | None = None,
    severity: str | None = None,
    run_id: str | None = None,
    all_runs: bool = False,
    include_shadow: bool = False,
    where: sa.ColumnElement[bool] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> FindingPage:
    """Findings of the latest detect run (or of ``run_id``, or of every run).

    ``where`` limits them further (a user's territory).
    """
    if run_id is None and not all_runs:
        run_id = latest_detect_run(store)
        if run_id is None:
            return FindingPage([], 0, None)
    with store.read_session() as session:
        rows, total = repos.list_findings(
            session,
            rule_id=rule_id,
            subject_id=subject_id,
            band=band,
            severity=severity,
            run_id=run_id,
            include_shadow=include_shadow,
            where=where,
            limit=limit,
            offset=offset,
        )
        return FindingPage([finding_dict(f) for f in rows], total, run_id)


def overview(
    store: Store,
    jurisdiction: JurisdictionSettings,
    where: sa.ColumnElement[bool] | None = None,
) -> dict[str, Any]:
    """Figures for the summary table and the API's overview (``where``: findings counted)."""
    run_id = latest_detect_run(store)
    with store.read_session() as session:
        runs = repos.list_runs(session, limit=200)
        by_rule: Counter[str] = Counter()
        by_severity: Counter[str] = Counter()
        subjects: set[str] = set()
        if run_id is not None:
            query = sa.select(Finding.rule_id, Finding.severity, Finding.subject_id).where(
                Finding.run_id == run_id, Finding.shadow.is_(False)
            )
            if where is not None:
                query = query.where(where)
            for rule, sev, subject in session.execute(query):
                by_rule[rule] += 1
                by_severity[sev] += 1
                subjects.add(subject)
        last: dict[str, datetime | None] = {}
        for run in runs:
            last.setdefault(str(run.kind), run.finished_at)
    return {
        "jurisdiction": jurisdiction.model_dump(),
        "latest_detect_run": run_id,
        "findings": sum(by_rule.values()),
        "subjects_flagged": len(subjects),
        "findings_by_rule": dict(sorted(by_rule.items())),
        "findings_by_severity": dict(sorted(by_severity.items())),
        "last_run_finished": last,
    }


__all__ = [
    "FindingPage",
    "finding_dict",
    "get_run",
    "latest_detect_run",
    "list_findings",
    "list_rejects",
    "list_runs",
    "overview",
    "reject_dict",
    "run_dict",
]
