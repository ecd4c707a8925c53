"""Python bodies of the text rules over the ``document`` table (ads, pages, news, posts, SMS).

Every body reads title and text with :mod:`smokewatch.text` in a Python step over Arrow batches
(worker processes on DuckDB, executors on Spark) and writes per document the metrics and the
evidence of its finding: the phrase, its span, and the benchmark it was compared with.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from smokewatch.detect.run import DetectorContext
from smokewatch.model.vocab import get_vocabulary
from smokewatch.text.rates import Band, Benchmarks, deviation, load_benchmarks
from smokewatch.text.returns import PromisedReturn, ReturnKind, extract_returns, might_hold_returns

if TYPE_CHECKING:
    import ibis.expr.types as ir

_BAND_RANK = {Band.MARKET: 0, Band.ELEVATED: 1, Band.HIGH: 2, Band.ABOVE_LEGAL_CEILING: 3}
_FIELDS = ("title", "text")

RETURN_SCHEMA = pa.schema(
    [
        ("subject_id", pa.string()),
        ("subject_name", pa.string()),
        ("document_kind_zh", pa.string()),
        ("document_kind_en", pa.string()),
        ("phrase", pa.string()),
        ("annual_rate", pa.float64()),
        ("multiple", pa.float64()),
        ("band_rank", pa.int64()),
        ("benchmark_rate", pa.float64()),
        ("benchmark_from", pa.date32()),
        ("legal_ceiling", pa.float64()),
        ("n_promises", pa.int64()),
        ("deviation_zh", pa.string()),
        ("deviation_en", pa.string()),
        ("evidence", pa.string()),
    ]
)


def _promises(
    row: Mapping[str, Any],
) -> tuple[list[tuple[str, PromisedReturn]], list[tuple[str, PromisedReturn]]]:
    kept: list[tuple[str, PromisedReturn]] = []
    negated: list[tuple[str, PromisedReturn]] = []
    for field in _FIELDS:
        text = row[field]
        if not text or not might_hold_returns(text):
            continue
        for promised in extract_returns(text):
            if promised.kind != ReturnKind.RETURN or promised.annual_rate is None:
                continue
            (negated if promised.negated else kept).append((field, promised))
    return kept, negated


def _item(field: str, promised: PromisedReturn, **extra: Any) -> dict[str, Any]:
    return {
        "field": field,
        "text": promised.text,
        "start": promised.start,
        "end": promised.end,
        "annual_rate": float(promised.annual_rate) if promised.annual_rate is not None else None,
        "unit": str(promised.unit),
        "basis": promised.basis,
        **extra,
    }


def _return_row(
    row: Mapping[str, Any],
    *,
    as_of: date,
    benchmarks: Benchmarks,
    kinds: Mapping[str, tuple[str, str]],
) -> dict[str, Any] | None:
    kept, negated = _promises(row)
    if not kept:
        return None
    day = row["published_on"] or as_of
    top = max((p for _, p in kept), key=lambda p: p.annual_rate or 0)
    if top.annual_rate is None:  # pragma: no cover - _promises keeps annualised ones only
        return None
    dev = deviation(top.annual_rate, day, benchmarks)
    if _BAND_RANK[dev.band] == 0:
        return None
    evidence = [_item(f, p) for f, p in kept]
    evidence += [_item(f, p, discounted=True, reason="negated or warning") for f, p in negated]
    evidence.append(
        {
            "lookup": "benchmark",
            "series": dev.benchmark.series,
            "rate": float(dev.benchmark.value),
            "from": dev.benchmark.effective_from.isoformat(),
            "day": day.isoformat(),
            "multiple": float(dev.multiple),
            "legal_ceiling": float(dev.legal_ceiling),
        }
    )
    kind_zh, kind_en = kinds.get(row["kind"], (row["kind"], row["kind"]))
    return {
        "subject_id": row["id"],
        "subject_name": row["subject_name"] or row["title"],
        "document_kind_zh": kind_zh,
        "document_kind_en": kind_en,
        "phrase": top.text,
        "annual_rate": float(top.annual_rate),
        "multiple": float(dev.multiple),
        "band_rank": _BAND_RANK[dev.band],
        "benchmark_rate": float(dev.benchmark.value),
        "benchmark_from": dev.benchmark.effective_from,
        "legal_ceiling": float(dev.legal_ceiling),
        "n_promises": len(kept),
        "deviation_zh": dev.describe("zh"),
        "deviation_en": dev.describe("en"),
        "evidence": json.dumps(evidence, ensure_ascii=False),
    }


def _batches(
    batches: Iterator[pa.RecordBatch], *, row_fn: Any, schema: pa.Schema
) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        rows = [out for row in batch.to_pylist() if (out := row_fn(row)) is not None]
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def _kinds() -> dict[str, tuple[str, str]]:
    vocab = get_vocabulary("document_kind")
    return {k: (t.label_zh, t.label_en) for k, t in vocab.terms.items()}


def promised_return_above_market(ctx: DetectorContext) -> ir.Table:
    """A document promises a return far above the market rate.

    Every stated return in the title and text (年化18%, 月息2分, 每万元每天收益5元, 一年后连本带息
    返还12万元 …) is annualised; promises inside negations and warnings (不承诺…, 谨防…) do not
    count. The highest promise is compared with the one-year LPR in force on the publication
    date (or the evaluation date), and with the judicial protection ceiling for private
    lending (4 × LPR).
    """
    docs = ctx.table("document").select(
        "id", "kind", "title", "text", "published_on", "subject_name"
    )
    row_fn = functools.partial(
        _return_row, as_of=ctx.as_of, benchmarks=load_benchmarks(), kinds=_kinds()
    )
    step = functools.partial(_batches, row_fn=row_fn, schema=RETURN_SCHEMA)
    return ctx.map_batches(docs, step, RETURN_SCHEMA, step="returns")


__all__ = ["RETURN_SCHEMA", "promised_return_above_market"]
