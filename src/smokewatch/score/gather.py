"""What reached each entity: findings on it, findings on documents about it, model estimates.

A scorecard scores the rows of one table (its ``subject``, e.g. ``enterprise``). Findings reach
an entity two ways (a component's ``via``):

* ``subject`` — the finding is about the entity itself (``finding.subject_table`` is the card's
  subject table);
* ``account`` — the finding is about a bank account (a transfer typology rule) held by the
  entity: the account's ``enterprise_uscc`` in the ``account`` table is the entity's USCC;
* ``document`` — the finding is about a document (an ad, a news item) that is attributed to the
  entity: by the document's ``subject_uscc`` (the entity's USCC), else by its ``subject_name``
  (the entity's exact name), else by the name the rule itself found in the text
  (``finding.subject_name``, e.g. the company an event report is about).

Model estimates come from the engine table ``model_prediction`` when it exists (``smokewatch
model predict`` or a backtest writes it): one row per subject and model.

Everything is one engine query per input, so it runs on DuckDB and Spark alike and scales with
the findings, not with the registry.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ibis

from smokewatch.score.index import ModelHit, RuleHit
from smokewatch.score.scorecard import ScorecardSpec

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.base import Engine

FINDING_TABLE = "finding"
DOCUMENT_TABLE = "document"
ACCOUNT_TABLE = "account"
PREDICTION_TABLE = "model_prediction"
SECTOR_COLUMNS = ("industry_code", "sector", "background")
"""Columns of a subject table that say which member agency an alert concerns, in order."""


@dataclass(frozen=True, slots=True)
class SubjectInfo:
    """What an alert needs about an entity: its name and where it is routed."""

    name: str | None
    adcode: str | None
    sector: str | None


@dataclass(frozen=True, slots=True)
class Gathered:
    """Every hit per entity id, and the routing facts of those entities."""

    rules: dict[str, list[RuleHit]]
    models: dict[str, list[ModelHit]]
    subjects: dict[str, SubjectInfo]


def _rule_ids(card: ScorecardSpec, via: str) -> list[str]:
    ids = {c.rule for c in card.components if c.rule and c.via == via}
    if via == "subject":
        ids |= {q.rule for q in card.qualifiers}
    return sorted(i for i in ids if i)


def _findings(engine: Engine, rule_ids: Sequence[str], subject_table: str) -> ir.Table:
    f = engine.table(FINDING_TABLE)
    return f.filter(f.rule_id.isin(list(rule_ids)), f.subject_table == subject_table, ~f.shadow)


_COLUMNS = ("rule_id", "rule_version", "band", "id", "reason_zh", "reason_en")


def _direct(engine: Engine, card: ScorecardSpec) -> ir.Table | None:
    rules = _rule_ids(card, "subject")
    if not rules:
        return None
    f = _findings(engine, rules, card.subject)
    return f.select(f.subject_id.name("entity_id"), *_COLUMNS, via=ibis.literal("subject"))


def _via_documents(engine: Engine, card: ScorecardSpec) -> ir.Table | None:
    rules = _rule_ids(card, "document")
    if not rules or not engine.has_table(DOCUMENT_TABLE):
        return None
    f = _findings(engine, rules, DOCUMENT_TABLE)
    d = engine.table(DOCUMENT_TABLE).select("id", "subject_uscc", "subject_name")
    d = d.rename(document_id="id", document_uscc="subject_uscc", document_name="subject_name")
    e = engine.table(card.subject)
    has_uscc = "uscc" in e.columns
    entities = e.select("id", "name", *(["uscc"] if has_uscc else []))
    joined = f.left_join(d, f.subject_id == d.document_id)
    by_name = entities.select(entity_by_name="id", entity_name="name")
    joined = joined.left_join(by_name, joined.document_name == by_name.entity_name)
    found_by = entities.select(entity_by_finding="id", finding_entity_name="name")
    joined = joined.left_join(found_by, joined.subject_name == found_by.finding_entity_name)
    if has_uscc:
        by_uscc = entities.select(entity_by_uscc="id", entity_uscc="uscc")
        joined = joined.left_join(by_uscc, joined.document_uscc == by_uscc.entity_uscc)
        entity = ibis.coalesce(
            joined.entity_by_uscc, joined.entity_by_name, joined.entity_by_finding
        )
    else:
        entity = ibis.coalesce(joined.entity_by_name, joined.entity_by_finding)
    linked = joined.select(entity.name("entity_id"), *_COLUMNS, via=ibis.literal("document"))
    return linked.filter(linked.entity_id.notnull()).distinct()


def _via_accounts(engine: Engine, card: ScorecardSpec) -> ir.Table | None:
    rules = _rule_ids(card, "account")
    if not rules or not engine.has_table(ACCOUNT_TABLE):
        return None
    e = engine.table(card.subject)
    if "uscc" not in e.columns:
        return None
    f = _findings(engine, rules, ACCOUNT_TABLE)
    a = engine.table(ACCOUNT_TABLE)
    holders = (
        a.filter(a.enterprise_uscc.notnull())
        .select(account_number=a.account_number, account_uscc=a.enterprise_uscc)
        .distinct()
    )
    entities = e.filter(e.uscc.notnull()).select(entity_id=e.id, entity_uscc=e.uscc)
    joined = f.join(holders, f.subject_id == holders.account_number)
    joined = joined.join(entities, joined.account_uscc == entities.entity_uscc)
    return joined.select("entity_id", *_COLUMNS, via=ibis.literal("account")).distinct()


def _rule_hits(engine: Engine, card: ScorecardSpec) -> dict[str, list[RuleHit]]:
    if not engine.has_table(FINDING_TABLE):
        return {}
    candidates = (_direct(engine, card), _via_documents(engine, card), _via_accounts(engine, card))
    parts = [p for p in candidates if p is not None]
    hits: dict[str, list[RuleHit]] = {}
    for part in parts:
        for row in engine.to_arrow(part, step="score inputs").to_pylist():
            hits.setdefault(row["entity_id"], []).append(
                RuleHit(
                    rule_id=row["rule_id"],
                    rule_version=int(row["rule_version"]),
                    band=row["band"],
                    finding_id=row["id"],
                    reason_zh=row["reason_zh"],
                    reason_en=row["reason_en"],
                    via=row["via"],
                )
            )
    return hits


def _model_hits(engine: Engine, card: ScorecardSpec) -> dict[str, list[ModelHit]]:
    models = sorted({c.model for c in card.components if c.model})
    if not models or not engine.has_table(PREDICTION_TABLE):
        return {}
    p = engine.table(PREDICTION_TABLE)
    p = p.filter(p.model.isin(models), p.subject_table == card.subject)
    hits: dict[str, list[ModelHit]] = {}
    for row in engine.to_arrow(p, step="score model inputs").to_pylist():
        reasons = json.loads(row["reasons"]) if row.get("reasons") else []
        hits.setdefault(row["subject_id"], []).append(
            ModelHit(
                model=row["model"],
                version=row["version"],
                probability=float(row["probability"]),
                reasons=tuple(str(r) for r in reasons),
                prediction_id=row.get("id"),
            )
        )
    return hits


def _subjects(engine: Engine, card: ScorecardSpec, ids: set[str]) -> dict[str, SubjectInfo]:
    return subject_routing(engine, card.subject, ids)


def subject_routing(engine: Engine, table_name: str, ids: set[str]) -> dict[str, SubjectInfo]:
    """Name, division code and sector of the given rows of a subject table.

    A table the engine does not hold, or without an ``id`` column, routes nothing; a table
    without ``adcode`` or a sector column (:data:`SECTOR_COLUMNS`) leaves that part ``None``.
    """
    if not ids or not engine.has_table(table_name):
        return {}
    e = engine.table(table_name)
    if "id" not in e.columns:
        return {}
    sector = next((c for c in SECTOR_COLUMNS if c in e.columns), None)
    columns: dict[str, Any] = {
        "id": e.id.cast("string"),
        "name": e.name.cast("string") if "name" in e.columns else ibis.null("string"),
        "adcode": e.adcode.cast("string") if "adcode" in e.columns else ibis.null("string"),
        "sector": e[sector].cast("string") if sector else ibis.null("string"),
    }
    table = e.select(**columns)
    wanted = engine.register("__sw_score_subjects", _ids_table(sorted(ids)))
    rows = engine.to_arrow(table.semi_join(wanted, table.id == wanted.id), step="subject routing")
    engine.drop_table("__sw_score_subjects")
    return {r["id"]: SubjectInfo(r["name"], r["adcode"], r["sector"]) for r in rows.to_pylist()}


def _ids_table(ids: list[str]) -> Any:
    import pyarrow as pa  # noqa: PLC0415 - only when scoring

    return pa.table({"id": pa.array(ids, pa.string())})


def gather(engine: Engine, card: ScorecardSpec, extra_subjects: Sequence[str] = ()) -> Gathered:
    """Every finding and model estimate that reaches an entity under ``card``.

    ``extra_subjects`` are entities whose routing facts are wanted even without a hit (those
    with an open alert, to record that they fell).

    Raises:
        NotFound: (from the engine) the card's subject table was never loaded.
    """
    rules = _rule_hits(engine, card)
    models = _model_hits(engine, card)
    ids = set(rules) | set(models) | set(extra_subjects)
    return Gathered(rules, models, _subjects(engine, card, ids))


__all__ = ["PREDICTION_TABLE", "Gathered", "SubjectInfo", "gather", "subject_routing"]
