"""An entity's page: the profile plus what explains it — evidence, licences, dimensions, timeline.

:func:`smokewatch.services.entities.profile` decides whether the user may see the entity and
masks PII; this module adds, for the same user:

* ``evidence`` — the findings each contribution line cites (by id), masked the same way;
* ``licences`` — what the licence rules found on the evaluation date (valid, lapsed, needed);
  the register itself lives in the analytic engine, which the dashboard does not read;
* ``dimensions`` — the scorecard's dimensions with their caps and titles (the radar's axes);
* ``timeline`` — scores, alert history, watch-list entries and cases, oldest first.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa

from smokewatch.cases.access import Actor
from smokewatch.errors import NotFound
from smokewatch.services import entities, rules
from smokewatch.services.alerts import DEFAULT_SCORECARD
from smokewatch.services.queries import finding_dict
from smokewatch.services.visibility import audited_view
from smokewatch.settings import Settings
from smokewatch.store import scoring
from smokewatch.store.db import Store
from smokewatch.store.orm import Finding
from smokewatch.store.orm_cases import Case


def _cited(profile: dict[str, Any]) -> list[str]:
    index = profile.get("smoke_index") or {}
    seen: dict[str, None] = {}
    for line in index.get("contributions") or []:
        for ref in line.get("evidence") or []:
            seen.setdefault(str(ref), None)
    return list(seen)


def _licences(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The licence look-ups recorded in the evidence of findings, one per rule and date."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for finding in findings:
        for item in finding.get("evidence") or []:
            if isinstance(item, dict) and item.get("lookup") == "licence":
                metrics = finding.get("metrics") or {}
                found[(finding["rule"], str(item.get("as_of")))] = {
                    "rule": finding["rule"],
                    "as_of": item.get("as_of"),
                    "words": item.get("words") or [],
                    "valid": item.get("valid_licences") or [],
                    "lapsed": item.get("lapsed_licences") or [],
                    "required_zh": metrics.get("required_licences_zh") or [],
                    "required_en": metrics.get("required_licences_en") or [],
                }
    return list(found.values())


def _dimensions(settings: Settings, scorecard: str | None) -> list[dict[str, Any]]:
    card_id = (scorecard or DEFAULT_SCORECARD).split("@", 1)[0]
    try:
        card = rules.get_scorecard(settings, card_id)
    except NotFound:
        return []
    return [
        {"id": d.id, "cap": d.cap, "zh": d.title.zh, "en": d.title.en} for d in card.spec.dimensions
    ]


def _at(value: date | datetime | None) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    return datetime.min.replace(tzinfo=UTC)


def _timeline(
    profile: dict[str, Any], alert_history: list[dict[str, Any]], opened: dict[str, datetime]
) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = [
        {"at": h["as_of"], "kind": "score", "grade": h["grade"], "value": h["smoke_index"]}
        for h in profile["history"]
    ]
    events += [
        {"at": e["at"], "kind": f"alert.{e['kind']}", "grade": e["grade"], "value": e["actor"]}
        for e in alert_history
    ]
    events += [
        {"at": w["added_at"], "kind": "watch.added", "grade": None, "value": w["reason"]}
        for w in profile["watchlists"]
    ]
    events += [
        {"at": opened.get(c["id"]), "kind": "case.opened", "grade": None, "value": c["id"]}
        for c in profile["cases"]
    ]
    return sorted(events, key=lambda e: _at(e["at"]))


def entity_page(
    store: Store,
    settings: Settings,
    actor: Actor,
    subject_id: str,
    *,
    scorecard_id: str = DEFAULT_SCORECARD,
) -> dict[str, Any]:
    """The profile of :func:`~smokewatch.services.entities.profile` with its explanations.

    Raises:
        NotFound: unknown, or not visible to the actor.
    """
    profile = entities.profile(store, actor, subject_id, scorecard_id=scorecard_id)
    cited = _cited(profile)
    with store.read_session() as session:
        rows = (
            session.scalars(sa.select(Finding).where(Finding.id.in_(cited))).all() if cited else []
        )
        evidence = {f.id: finding_dict(f) for f in rows}
        history: list[dict[str, Any]] = []
        if profile["alert"] is not None:
            history = [
                {"at": e.at, "kind": str(e.kind), "grade": e.grade, "actor": e.actor}
                for e in scoring.alert_events(session, profile["alert"]["id"])
            ]
        case_ids = [c["id"] for c in profile["cases"]]
        opened = dict(  # .all(): a list of rows; dict() would read a Result as a mapping
            session.execute(sa.select(Case.id, Case.opened_at).where(Case.id.in_(case_ids))).all()
        )
    shown_evidence = audited_view(
        store, actor, evidence, object_type="entity", object_id=subject_id, view="evidence"
    )
    index = profile["smoke_index"] or {}
    return {
        **profile,
        "evidence": dict(shown_evidence),
        "licences": _licences(list(shown_evidence.values())),
        "dimension_axes": _dimensions(settings, index.get("scorecard")),
        "timeline": _timeline(profile, history, opened),
    }


__all__ = ["entity_page"]
