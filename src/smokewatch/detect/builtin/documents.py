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


# -- signals: SW-R-0102 (lure promises) and SW-R-0103 (typology words) ----------------------

LURE_CATEGORIES = frozenset({"fundraising.guarantee", "fundraising.return_promise"})
GROUPS: Mapping[str, str] = {
    "pyramid": "pyramid.",
    "impersonation": "impersonation.",
    "speculation": "speculation.",
    "lending": "lending.",
    "pretext": "fundraising.",
    "fraud": "fraud.",
}
"""Typology groups of SW-R-0103, by category prefix (lure categories excluded)."""

SIGNALS_SCHEMA = pa.schema(
    [
        ("subject_id", pa.string()),
        ("subject_name", pa.string()),
        ("document_kind_zh", pa.string()),
        ("document_kind_en", pa.string()),
        ("signals", pa.string()),
        ("discounted", pa.string()),
    ]
)


def _signal_item(field: str, signal: Any) -> dict[str, Any]:
    item = {
        "field": field,
        "kind": signal.kind,
        "term": signal.term,
        "text": signal.text,
        "start": signal.start,
        "end": signal.end,
        "weight": signal.weight,
        "source": signal.source,
        "citation": signal.citation,
    }
    if signal.negated:
        item.update(
            discount=str(signal.discount),
            cue=signal.cue,
            reason_zh=signal.reason_zh,
            reason_en=signal.reason_en,
        )
    return item


def _outside_names(analysis: Any, text: str) -> Any:
    """``analysis`` without the words that are part of an organisation's or platform's name."""
    from smokewatch.text.mentions import find_mentions, name_spans  # noqa: PLC0415

    if not analysis.signals:
        return analysis
    return analysis.outside_names(name_spans(find_mentions(text)))


def _signals_row(
    row: Mapping[str, Any], *, scanner: Any, kinds: Mapping[str, tuple[str, str]]
) -> dict[str, Any] | None:
    found: list[dict[str, Any]] = []
    discounted: list[dict[str, Any]] = []
    for field in _FIELDS:
        if row[field]:
            analysis = _outside_names(scanner.scan(row[field]), row[field])
            found.extend(_signal_item(field, s) for s in analysis.signals)
            discounted.extend(_signal_item(field, s) for s in analysis.discounted)
    if not found:
        return None
    kind_zh, kind_en = kinds.get(row["kind"], (row["kind"], row["kind"]))
    return {
        "subject_id": row["id"],
        "subject_name": row["subject_name"] or row["title"],
        "document_kind_zh": kind_zh,
        "document_kind_en": kind_en,
        "signals": json.dumps(found, ensure_ascii=False),
        "discounted": json.dumps(discounted, ensure_ascii=False),
    }


def _build_signals(ctx: DetectorContext) -> ir.Table:
    from smokewatch.text.signals import default_signal_scanner  # noqa: PLC0415

    docs = ctx.table("document").select("id", "kind", "title", "text", "subject_name")
    row_fn = functools.partial(_signals_row, scanner=default_signal_scanner(), kinds=_kinds())
    step = functools.partial(_batches, row_fn=row_fn, schema=SIGNALS_SCHEMA)
    return ctx.map_batches(docs, step, SIGNALS_SCHEMA, step="signals")


def document_signals(ctx: DetectorContext) -> ir.Table:
    """Affirmed and discounted lure signals of every document (computed once per run)."""
    return ctx.shared("document_signals", _build_signals)


def _labels(prefix: str) -> tuple[str, str]:
    from smokewatch.text.lexicon import load_lexicon  # noqa: PLC0415

    for category in load_lexicon("lure_terms").categories:
        if category.id.startswith(prefix):
            return category.label.zh, category.label.en
    return prefix, prefix


def _note(discounted: list[dict[str, Any]], lang: str) -> str:
    if not discounted:
        return ""
    if lang == "zh":
        return f"；另有 {len(discounted)} 处出现于否定、禁止或警示语境，未计入"
    return f"; {len(discounted)} more in negations, prohibitions or warnings not counted"


def _noisy_or(weights: list[float]) -> float:
    keep = 1.0
    for weight in weights:
        keep *= 1.0 - weight
    return round(1.0 - keep, 4)


LURE_SCHEMA = pa.schema(
    [
        ("subject_id", pa.string()),
        ("subject_name", pa.string()),
        ("document_kind_zh", pa.string()),
        ("document_kind_en", pa.string()),
        ("terms", pa.list_(pa.string())),
        ("guarantee_terms", pa.list_(pa.string())),
        ("n_guarantee", pa.int64()),
        ("score", pa.float64()),
        ("n_discounted", pa.int64()),
        ("discounted_note_zh", pa.string()),
        ("discounted_note_en", pa.string()),
        ("evidence", pa.string()),
    ]
)


def _lure_row(row: Mapping[str, Any]) -> dict[str, Any] | None:
    signals = [s for s in json.loads(row["signals"]) if s["kind"] in LURE_CATEGORIES]
    if not signals:
        return None
    discounted = [s for s in json.loads(row["discounted"]) if s["kind"] in LURE_CATEGORIES]
    guarantee = [s["term"] for s in signals if s["kind"] == "fundraising.guarantee"]
    return {
        "subject_id": row["subject_id"],
        "subject_name": row["subject_name"],
        "document_kind_zh": row["document_kind_zh"],
        "document_kind_en": row["document_kind_en"],
        "terms": list(dict.fromkeys(s["term"] for s in signals)),
        "guarantee_terms": list(dict.fromkeys(guarantee)),
        "n_guarantee": len(set(guarantee)),
        "score": _noisy_or([s["weight"] for s in {x["term"]: x for x in signals}.values()]),
        "n_discounted": len(discounted),
        "discounted_note_zh": _note(discounted, "zh"),
        "discounted_note_en": _note(discounted, "en"),
        "evidence": json.dumps(
            signals + [{**d, "discounted": True} for d in discounted], ensure_ascii=False
        ),
    }


def lure_promise(ctx: DetectorContext) -> ir.Table:
    """A document promises that money is safe or that returns are high and regular.

    保本保息, 稳赚不赔, 零风险, 高额回报, 日日分红, 按月返息 … — the language 《广告法》第二十五条
    forbids in investment advertising and the non-legal-fundraising rules name as the mark of
    illegal fundraising. Words inside negations, prohibitions and public-education warnings
    (本平台不承诺保本保息, 谨防“高回报”陷阱) do not count.
    """
    step = functools.partial(_batches, row_fn=_lure_row, schema=LURE_SCHEMA)
    return ctx.map_batches(document_signals(ctx), step, LURE_SCHEMA, step="lure")


TYPOLOGY_SCHEMA = pa.schema(
    [
        ("subject_id", pa.string()),
        ("subject_name", pa.string()),
        ("document_kind_zh", pa.string()),
        ("document_kind_en", pa.string()),
        ("top_group", pa.string()),
        ("group_zh", pa.string()),
        ("group_en", pa.string()),
        ("terms", pa.list_(pa.string())),
        ("groups", pa.list_(pa.string())),
        ("score", pa.float64()),
        ("n_discounted", pa.int64()),
        ("discounted_note_zh", pa.string()),
        ("discounted_note_en", pa.string()),
        ("evidence", pa.string()),
    ]
)


def _group(kind: str) -> str | None:
    if kind in LURE_CATEGORIES:
        return None
    return next((g for g, prefix in GROUPS.items() if kind.startswith(prefix)), None)


def _typology_row(
    row: Mapping[str, Any], *, labels: Mapping[str, tuple[str, str]], min_score: float
) -> dict[str, Any] | None:
    signals = [s for s in json.loads(row["signals"]) if _group(s["kind"])]
    score = _noisy_or([s["weight"] for s in {x["term"]: x for x in signals}.values()])
    if not signals or score < min_score:
        return None
    discounted = [s for s in json.loads(row["discounted"]) if _group(s["kind"])]
    by_group: dict[str, float] = {}
    for signal in signals:
        group = _group(signal["kind"]) or ""
        by_group[group] = max(by_group.get(group, 0.0), signal["weight"])
    top = max(by_group, key=lambda g: (by_group[g], g))
    zh, en = labels[top]
    return {
        "subject_id": row["subject_id"],
        "subject_name": row["subject_name"],
        "document_kind_zh": row["document_kind_zh"],
        "document_kind_en": row["document_kind_en"],
        "top_group": top,
        "group_zh": zh,
        "group_en": en,
        "terms": list(dict.fromkeys(s["term"] for s in signals)),
        "groups": sorted(by_group),
        "score": score,
        "n_discounted": len(discounted),
        "discounted_note_zh": _note(discounted, "zh"),
        "discounted_note_en": _note(discounted, "en"),
        "evidence": json.dumps(
            signals + [{**d, "discounted": True} for d in discounted], ensure_ascii=False
        ),
    }


def typology_feature_words(ctx: DetectorContext) -> ir.Table:
    """A document uses the vocabulary of a known scheme.

    Recruitment and multi-level rewards (拉人头, 发展下线), claimed licences, bank custody or
    government backing, virtual-currency and forex speculation, loan-intermediary tricks
    (包装资料, 洗白征信, 砍头息), fundraising disguised as a business, an elderly-care project
    or a cooperative, and telecom-fraud scripts (安全账户, 屏幕共享). The band is the group with
    the strongest word. Documents whose combined
    weight stays below ``min_score`` (a lone 养老服务) and words that are part of a name
    (康泰养老服务有限公司) are not reported.
    """
    labels = {
        "pyramid": _labels("pyramid."),
        "impersonation": ("虚称资质背书或冒充身份", "Claimed licence, backing or identity"),
        "speculation": ("投机炒作", "Speculation scheme"),
        "lending": _labels("lending."),
        "pretext": ("以经营、养老、互助为名集资", "Fundraising under a pretext"),
        "fraud": _labels("fraud."),
    }
    row_fn = functools.partial(
        _typology_row, labels=labels, min_score=float(ctx.params["min_score"])
    )
    step = functools.partial(_batches, row_fn=row_fn, schema=TYPOLOGY_SCHEMA)
    return ctx.map_batches(document_signals(ctx), step, TYPOLOGY_SCHEMA, step="typology")


# -- SW-R-0104: illegal-finance events reported --------------------------------------------

EVENT_RANK: Mapping[str, int] = {
    "event.illegal_fundraising": 3,
    "event.pyramid": 3,
    "event.fraud": 3,
    "event.absconding": 3,
    "event.withdrawal_difficulty": 3,
    "event.closure": 2,
    "event.complaints": 2,
}

EVENT_SCHEMA = pa.schema(
    [
        ("subject_id", pa.string()),
        ("subject_name", pa.string()),
        ("document_kind_zh", pa.string()),
        ("document_kind_en", pa.string()),
        ("event_kind", pa.string()),
        ("event_zh", pa.string()),
        ("event_en", pa.string()),
        ("event_rank", pa.int64()),
        ("terms", pa.list_(pa.string())),
        ("about", pa.string()),
        ("operator", pa.string()),
        ("score", pa.float64()),
        ("evidence", pa.string()),
    ]
)


def _event_row(
    row: Mapping[str, Any],
    *,
    kinds: Mapping[str, tuple[str, str]],
    labels: Mapping[str, tuple[str, str]],
) -> dict[str, Any] | None:
    from smokewatch.text.events import find_events  # noqa: PLC0415

    text = "\n".join(t for t in (row["title"], row["text"]) if t)
    analysis = find_events(text)
    if not analysis.events:
        return None
    top = analysis.kinds[0]
    about = analysis.subject.text if analysis.subject else row["subject_name"]
    kind_zh, kind_en = kinds.get(row["kind"], (row["kind"], row["kind"]))
    evidence: list[dict[str, Any]] = [
        {
            "field": "title+text",
            "kind": s.kind,
            "term": s.term,
            "text": s.text,
            "start": s.start,
            "end": s.end,
            "weight": s.weight,
            "source": s.source,
        }
        for s in analysis.events
    ]
    if analysis.subject is not None:
        evidence.append(
            {
                "field": "title+text",
                "mention": str(analysis.subject.kind),
                "text": analysis.subject.text,
                "start": analysis.subject.start,
                "end": analysis.subject.end,
            }
        )
    operator = analysis.operator.text if analysis.operator else ""
    if analysis.operator is not None:
        evidence.append(
            {
                "field": "title+text",
                "mention": "operator",
                "of": about,
                "text": operator,
                "start": analysis.operator.start,
                "end": analysis.operator.end,
            }
        )
    evidence.extend(
        {"field": "title+text", "term": s.term, "discounted": True, "reason_zh": s.reason_zh}
        for s in analysis.discounted
    )
    zh, en = labels.get(top, (top, top))
    return {
        "subject_id": row["id"],
        # The operator is the registered company behind a platform: what the index links to.
        "subject_name": operator or about or row["title"],
        "document_kind_zh": kind_zh,
        "document_kind_en": kind_en,
        "event_kind": top,
        "event_zh": zh,
        "event_en": en,
        "event_rank": EVENT_RANK.get(top, 1),
        "terms": list(dict.fromkeys(s.term for s in analysis.events)),
        "about": about,
        "operator": operator,
        "score": _noisy_or([s.weight for s in {x.term: x for x in analysis.events}.values()]),
        "evidence": json.dumps(evidence, ensure_ascii=False),
    }


def illegal_finance_event_reported(ctx: DetectorContext) -> ir.Table:
    """A news item, post or complaint reports an illegal-finance event about someone.

    An investigation for 非法吸收公众存款 or 集资诈骗, a pyramid or fraud case, investors unable
    to withdraw (无法提现, 爆雷), operators gone (失联, 跑路), a closure or mass complaints. The
    subject is the organisation or platform named nearest to the strongest event word.
    Negations (并未跑路) and public-education warnings (谨防平台跑路) do not count.
    """
    from smokewatch.text.lexicon import load_lexicon  # noqa: PLC0415

    labels = {c.id: (c.label.zh, c.label.en) for c in load_lexicon("event_terms").categories}
    docs = ctx.table("document").select("id", "kind", "title", "text", "subject_name")
    row_fn = functools.partial(_event_row, kinds=_kinds(), labels=labels)
    step = functools.partial(_batches, row_fn=row_fn, schema=EVENT_SCHEMA)
    return ctx.map_batches(docs, step, EVENT_SCHEMA, step="events")


__all__ = [
    "RETURN_SCHEMA",
    "document_signals",
    "illegal_finance_event_reported",
    "lure_promise",
    "promised_return_above_market",
    "typology_feature_words",
]
