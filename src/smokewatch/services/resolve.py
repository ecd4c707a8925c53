"""Entity resolution of a workspace: ``smokewatch resolve run|judge|explain``.

A run reads the ``enterprise`` table, prepares resolution records in a Python step on the
engine, trains and applies the Splink model (its own in-memory DuckDB), clusters with the
analysts' judgements from the store and the previous run's entity ids, and replaces the
engine tables ``resolve_record``, ``resolve_pair``, ``entity_cluster``, ``entity_merge`` and
``resolve_model`` in one atomic switch; the run is recorded in the store (kind ``resolve``).
A judgement is stored with actor and time and re-clusters at once from the stored pairs, so
its effect is visible without retraining; later runs respect it too.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import sqlalchemy as sa

from smokewatch.engine import Engine
from smokewatch.errors import InvalidInput, NotFound
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.resolve.clusters import Clustering, Judgement, Link, cluster
from smokewatch.resolve.matcher import COMPARISONS, Predictions, predict
from smokewatch.resolve.records import INPUT_COLUMNS, RECORD_SCHEMA, prepare_step
from smokewatch.services.runs import recorded_run
from smokewatch.services.workspace import open_engine, open_store
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from smokewatch.store.orm_resolve import ResolveJudgement

THRESHOLD = 0.95
"""Match probability at which the model joins two records."""
PAIR_FLOOR = 0.5
"""Pairs below this probability are not kept."""

RECORDS, PAIRS, CLUSTERS, MERGES, MODEL = (
    "resolve_record",
    "resolve_pair",
    "entity_cluster",
    "entity_merge",
    "resolve_model",
)
_MERGE_SCHEMA = pa.schema([("retired_id", pa.string()), ("entity_id", pa.string())])
_MODEL_SCHEMA = pa.schema([("model", pa.string()), ("levels", pa.string())])


@dataclass(frozen=True, slots=True)
class ResolveSummary:
    """What a resolution run did."""

    run_id: str
    records: int
    pairs: int
    entities: int
    multi_record_entities: int
    held_apart: int
    merged: int
    seconds: float


def _links(pairs: pa.Table) -> list[Link]:
    return [
        Link(a, b, p)
        for a, b, p in zip(
            pairs["left_id"].to_pylist(),
            pairs["right_id"].to_pylist(),
            pairs["match_probability"].to_pylist(),
            strict=True,
        )
    ]


def _judgements(store: Store) -> list[Judgement]:
    with store.unit_of_work() as session:
        rows = session.scalars(sa.select(ResolveJudgement).order_by(ResolveJudgement.id)).all()
        return [
            Judgement(r.left_id, r.right_id, r.same, r.actor, r.judged_at, r.note or "")
            for r in rows
        ]


def _previous(engine: Engine) -> dict[str, str]:
    if not engine.has_table(CLUSTERS):
        return {}
    table = engine.to_arrow(engine.table(CLUSTERS).select("record_id", "entity_id"))
    return dict(zip(table["record_id"].to_pylist(), table["entity_id"].to_pylist(), strict=True))


def _cluster(
    records: pa.Table, pairs: pa.Table, store: Store, previous: Mapping[str, str]
) -> Clustering:
    return cluster(
        records["record_id"].to_pylist(),
        _links(pairs),
        threshold=THRESHOLD,
        uscc=dict(zip(records["record_id"].to_pylist(), records["uscc"].to_pylist(), strict=True)),
        judgements=_judgements(store),
        previous=previous,
    )


def _merge_table(result: Clustering) -> pa.Table:
    rows = [{"retired_id": k, "entity_id": v} for k, v in sorted(result.merged.items())]
    return pa.Table.from_pylist(rows, schema=_MERGE_SCHEMA)


def _prepare(engine: Engine) -> pa.Table:
    if not engine.has_table("enterprise"):
        raise InvalidInput("no enterprise table in this workspace: ingest a registry first")
    source = engine.table("enterprise")
    columns = [c for c in (*INPUT_COLUMNS, "adcode") if c in source.columns]
    prepared = engine.map_batches(
        source.select(*columns), prepare_step, RECORD_SCHEMA, name="__sw_resolve_records"
    )
    table = engine.to_arrow(prepared, step="resolve records")
    engine.drop_table("__sw_resolve_records")
    return table.sort_by("record_id")


def run_resolution(settings: Settings, *, progress: Progress = NO_PROGRESS) -> ResolveSummary:
    """Resolve the workspace's enterprises into entities (one recorded run)."""
    started = time.perf_counter()
    with open_store(settings) as store, open_engine(settings) as engine:
        engine_label = f"{engine.name} {engine.version()}"
        inputs = {"threshold": THRESHOLD, "pair_floor": PAIR_FLOOR}
        with recorded_run(store, "resolve", engine=engine_label, inputs=inputs) as run:
            progress.start("resolve", total=3)
            records = _prepare(engine)
            progress.advance(1)
            predictions = predict(records, threshold=PAIR_FLOOR)
            progress.advance(1)
            result = _cluster(records, predictions.pairs, store, _previous(engine))
            progress.advance(1)
            progress.finish()
            engine.replace_tables(
                {
                    RECORDS: records,
                    PAIRS: predictions.pairs,
                    CLUSTERS: result.assignments,
                    MERGES: _merge_table(result),
                    MODEL: _model_table(predictions),
                }
            )
            sizes = result.assignments["entity_size"].to_pylist()
            entities = len(set(result.assignments["entity_id"].to_pylist()))
            summary = ResolveSummary(
                run_id=run.run_id,
                records=records.num_rows,
                pairs=predictions.pairs.num_rows,
                entities=entities,
                multi_record_entities=len(
                    {
                        e
                        for e, n in zip(
                            result.assignments["entity_id"].to_pylist(), sizes, strict=True
                        )
                        if n > 1
                    }
                ),
                held_apart=len(result.held_apart),
                merged=len(result.merged),
                seconds=round(time.perf_counter() - started, 3),
            )
            run.stats = _stats(summary)
    return summary


def _stats(summary: ResolveSummary) -> dict[str, Any]:
    return {
        "records": summary.records,
        "pairs": summary.pairs,
        "entities": summary.entities,
        "multi_record_entities": summary.multi_record_entities,
        "held_apart": summary.held_apart,
        "merged": summary.merged,
        "seconds": summary.seconds,
    }


def _model_table(predictions: Predictions) -> pa.Table:
    row = {"model": json.dumps(predictions.model), "levels": json.dumps(predictions.levels)}
    return pa.Table.from_pylist([row], schema=_MODEL_SCHEMA)


def _require(engine: Engine) -> None:
    if not engine.has_table(PAIRS) or not engine.has_table(RECORDS):
        raise NotFound("no resolution yet: run `smokewatch resolve run` first")


@contextmanager
def _opened(settings: Settings) -> Iterator[tuple[Store, Engine]]:
    with open_store(settings) as store, open_engine(settings) as engine:
        yield store, engine


def judge(
    settings: Settings, left_id: str, right_id: str, *, same: bool, actor: str, note: str = ""
) -> dict[str, Any]:
    """Store a judgement and re-cluster from the stored pairs; returns both records' entities."""
    if left_id == right_id:
        raise InvalidInput("a judgement needs two different records")
    with _opened(settings) as (store, engine):
        _require(engine)
        records = engine.to_arrow(engine.table(RECORDS))
        known = set(records["record_id"].to_pylist())
        unknown = [r for r in (left_id, right_id) if r not in known]
        if unknown:
            raise NotFound(f"no such record: {', '.join(unknown)}")
        a, b = sorted((left_id, right_id))
        with store.unit_of_work() as session:
            session.add(
                ResolveJudgement(
                    left_id=a,
                    right_id=b,
                    same=same,
                    actor=actor,
                    note=note or None,
                    judged_at=datetime.now(UTC),
                )
            )
        pairs = engine.to_arrow(engine.table(PAIRS))
        result = _cluster(records, pairs, store, _previous(engine))
        engine.replace_tables({CLUSTERS: result.assignments, MERGES: _merge_table(result)})
        entity_of = result.entity_of()
        return {
            "left": {"record_id": a, "entity_id": entity_of[a]},
            "right": {"record_id": b, "entity_id": entity_of[b]},
            "same": same,
            "actor": actor,
        }


def explain(settings: Settings, ident: str) -> dict[str, Any]:
    """An entity (by entity or record id) with its evidence.

    Its records, the pairs that touch them with the weight of each comparison, and the
    judgements on them.
    """
    with _opened(settings) as (store, engine):
        _require(engine)
        table = engine.table(CLUSTERS)
        merges = engine.table(MERGES)
        redirect = engine.to_arrow(merges.filter(merges.retired_id == ident)).to_pylist()
        by_record = engine.to_arrow(table.filter(table.record_id == ident)).to_pylist()
        entity = (
            by_record[0]["entity_id"] if by_record
            else redirect[0]["entity_id"] if redirect else ident
        )  # fmt: skip
        members = sorted(
            engine.to_arrow(table.filter(table.entity_id == entity))["record_id"].to_pylist()
        )
        if not members:
            raise NotFound(f"no such entity or record: {ident}")
        records = engine.table(RECORDS)
        shown = engine.to_arrow(records.filter(records.record_id.isin(members))).to_pylist()
        retired = engine.to_arrow(merges.filter(merges.entity_id == entity))
        model_row = engine.to_arrow(engine.table(MODEL)).to_pylist()
        levels = json.loads(model_row[0]["levels"]) if model_row else {}
        predictions = Predictions(
            pa.table({}),
            json.loads(model_row[0]["model"]) if model_row else {},
            {k: [tuple(x) for x in v] for k, v in levels.items()},
        )
        scored = engine.table(PAIRS)
        pairs = engine.to_arrow(
            scored.filter(scored.left_id.isin(members) | scored.right_id.isin(members))
        ).to_pylist()
        inside = set(members)
        edges = [
            {
                "left_id": p["left_id"],
                "right_id": p["right_id"],
                "match_probability": round(p["match_probability"], 6),
                "match_weight": round(p["match_weight"], 4),
                "prior_weight": round(predictions.prior_weight, 4),
                "comparisons": [
                    {
                        "comparison": c,
                        "weight": round(p[f"weight_{c}"] or 0.0, 4),
                        "level": predictions.explain(c, p[f"weight_{c}"] or 0.0),
                    }
                    for c in COMPARISONS
                ],
            }
            for p in pairs
        ]
        judged = [
            {
                "left_id": j.left_id,
                "right_id": j.right_id,
                "same": j.same,
                "actor": j.actor,
                "at": j.at.isoformat(),
                "note": j.note,
            }
            for j in _judgements(store)
            if j.left_id in inside or j.right_id in inside
        ]
        return {
            "entity_id": entity,
            "retired_ids": sorted(retired["retired_id"].to_pylist()),
            "records": shown,
            "pairs": edges,
            "judgements": judged,
            "threshold": THRESHOLD,
        }


__all__ = ["PAIR_FLOOR", "THRESHOLD", "ResolveSummary", "explain", "judge", "run_resolution"]
