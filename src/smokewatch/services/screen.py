"""Pre-registration screening ("move the risk checkpoint forward") for market-regulation staff.

``screen(name, scope)`` answers, without any workspace, whether a proposed enterprise name or
business scope uses restricted financial words: which rule, which legal article, and which
licence would be required. It runs the very rules the monitoring uses (SW-R-0001, SW-R-0002)
on a one-row table in an in-memory engine, so the answer never drifts from the detectors.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from smokewatch.detect.fixtures import fixture_table
from smokewatch.detect.rules import load_rules
from smokewatch.detect.run import run_rule
from smokewatch.engine import connect
from smokewatch.errors import InvalidInput
from smokewatch.model.tables import get_table
from smokewatch.model.vocab import get_vocabulary
from smokewatch.settings import EngineSettings
from smokewatch.text.lexicon import TextKind, load_lexicons
from smokewatch.text.scope import find_scope_activities

SCREEN_RULES = ("SW-R-0001", "SW-R-0002")
PROPOSED_ID = "proposed"


@dataclass(frozen=True, slots=True)
class ScreenFinding:
    """One rule that the proposal would trigger, with what it means."""

    rule_id: str
    rule_title_zh: str
    rule_title_en: str
    band: str
    severity: str
    reason_zh: str
    reason_en: str
    words: list[str]
    basis: list[str]
    required_licences_zh: list[str]
    required_licences_en: list[str]
    evidence: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """The answer for one proposed name and/or scope."""

    name: str | None
    scope: str | None
    as_of: date
    verdict: str
    """``restricted`` (a statute forbids the word without a licence), ``needs_approval``
    (the word needs the financial regulator's approval), or ``clear``."""
    findings: list[ScreenFinding]
    discounted: list[dict[str, Any]] = field(default_factory=list)
    """Scope words not counted (inside prohibitions, exclusions, client phrases), with why."""
    licences_held: list[str] = field(default_factory=list)


def _verdict(findings: Sequence[ScreenFinding]) -> str:
    if any(f.band.startswith("binding") or f.band == "licence_lapsed" for f in findings):
        return "restricted"
    return "needs_approval" if findings else "clear"


def screen(
    name: str | None,
    scope: str | None = None,
    *,
    licences: Sequence[str] = (),
    as_of: date | None = None,
) -> ScreenResult:
    """Screen a proposed name and/or business scope.

    ``licences`` are licence kinds (vocabulary ``licence_kind``) the applicant holds or has
    been approved for; words they authorise are not reported.

    Raises:
        InvalidInput: neither a name nor a scope was given, or a licence kind is unknown.
    """
    name = (name or "").strip() or None
    scope = (scope or "").strip() or None
    if name is None and scope is None:
        raise InvalidInput("give a proposed name (--name), a business scope (--scope), or both")
    kinds = get_vocabulary("licence_kind")
    resolved = [kinds.resolve(k) for k in licences]
    unknown = [k for k, r in zip(licences, resolved, strict=True) if r is None]
    if unknown:
        raise InvalidInput(
            f"unknown licence kinds: {', '.join(unknown)}; known: {', '.join(kinds.terms)}"
        )
    as_of = as_of or datetime.now(UTC).date()
    lexicons = load_lexicons()
    rules = [r for r in load_rules() if r.id in SCREEN_RULES]
    engine = connect("duckdb://:memory:", EngineSettings(threads=1))
    try:
        row = {"id": PROPOSED_ID, "name": name or "", "business_scope": scope, "status": "active"}
        licence_rows = [
            {"id": f"held-{i}", "holder_name": name or "", "kind": kind, "status": "active"}
            for i, kind in enumerate(r for r in resolved if r is not None)
        ]
        engine.register("enterprise", fixture_table(get_table("enterprise"), [row], "screen"))
        engine.register("licence", fixture_table(get_table("licence"), licence_rows, "screen"))
        findings: list[ScreenFinding] = []
        for rule in rules:
            table = run_rule(engine, rule, as_of=as_of, run_id="screen", lexicons=lexicons)
            findings.extend(
                _finding(rule.spec.title.zh, rule.spec.title.en, f) for f in table.to_pylist()
            )
    finally:
        engine.close()
    discounted: list[dict[str, Any]] = []
    if scope:
        matcher = lexicons["restricted_financial_words"].matcher(TextKind.SCOPE)
        discounted = [
            {
                "term": h.match.term,
                "clause": h.clause.text,
                "reason_zh": h.reason.zh if h.reason else None,
                "reason_en": h.reason.en if h.reason else None,
            }
            for h in find_scope_activities(scope, matcher).discounted
        ]
    return ScreenResult(
        name,
        scope,
        as_of,
        _verdict(findings),
        findings,
        discounted,
        [r for r in resolved if r is not None],
    )


def _finding(title_zh: str, title_en: str, row: dict[str, Any]) -> ScreenFinding:
    metrics = json.loads(row["metrics"])
    return ScreenFinding(
        rule_id=row["rule_id"],
        rule_title_zh=title_zh,
        rule_title_en=title_en,
        band=row["band"],
        severity=row["severity"],
        reason_zh=row["reason_zh"],
        reason_en=row["reason_en"],
        words=metrics.get("words") or metrics.get("activities") or [],
        basis=metrics.get("basis", []),
        required_licences_zh=metrics.get("required_licences_zh", []),
        required_licences_en=metrics.get("required_licences_en", []),
        evidence=json.loads(row["evidence"]),
    )


__all__ = ["SCREEN_RULES", "ScreenFinding", "ScreenResult", "screen"]
