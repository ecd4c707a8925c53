"""Python bodies of the online lending (P2P) platform rules.

Most platform rules are SQL (``rulepacks/core/rules/SW-R-02xx/query.sql``). The return rule
is Python because it compares a platform's rate with the benchmark *in force on the
assessment date* and with the judicial ceiling of that date, from the benchmark table of
:mod:`smokewatch.text.rates`, and words the comparison the way the document rules do.

The engine links each month of figures to its platform (by the provider's id, else by name)
and averages the recent rates; a Python step over Arrow batches then reads the advertised
return (``7.73%``, ``8%-12%``: the highest number counts), takes the higher of the two, and
writes the metrics and the evidence.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from smokewatch.detect.run import DetectorContext
from smokewatch.text.rates import Benchmarks, deviation, load_benchmarks

if TYPE_CHECKING:
    import ibis.expr.types as ir

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_MAX_RATE = 100.0
"""Percentages at or above this are not yearly rates (a typo or another field)."""

RETURN_SCHEMA = pa.schema(
    [
        ("subject_id", pa.string()),
        ("subject_name", pa.string()),
        ("rate_pct", pa.float64()),
        ("advertised_pct", pa.float64()),
        ("recent_pct", pa.float64()),
        ("recent_months", pa.int64()),
        ("multiple", pa.float64()),
        ("benchmark_pct", pa.float64()),
        ("ceiling_pct", pa.float64()),
        ("source_zh", pa.string()),
        ("source_en", pa.string()),
        ("deviation_zh", pa.string()),
        ("deviation_en", pa.string()),
        ("evidence", pa.string()),
    ]
)


def month_index(day: date) -> int:
    """The index (year × 12 + month) of the last month complete on ``day``.

    A month's figures are complete on its last day, so on 2017-03-31 March counts and on
    2017-03-30 it does not.

    Examples:
        >>> month_index(date(2017, 3, 31)) - month_index(date(2017, 3, 30))
        1
    """
    following = day + timedelta(days=1)
    return following.year * 12 + following.month - 1


def advertised_rate(text: str | None) -> float | None:
    """The highest yearly rate in an advertised-return text, in percent.

    Examples:
        >>> advertised_rate("7.73%"), advertised_rate("8%-12.5%"), advertised_rate("—")
        (7.73, 12.5, None)
    """
    if not text:
        return None
    numbers = [float(n) for n in _NUMBER.findall(text)]
    rates = [n for n in numbers if 0 < n < _MAX_RATE]
    return max(rates) if rates else None


def _recent_rates(ctx: DetectorContext) -> ir.Table:
    """Average rate of the platform's last complete months, one row per platform."""
    months = int(ctx.params["recent_months"])
    last = month_index(ctx.as_of)
    m = ctx.table("platform_metric")
    m = m.mutate(idx=m.month.substr(0, 4).cast("int64") * 12 + m.month.substr(5, 2).cast("int64"))
    m = m.filter((m.idx <= last) & (m.idx > last - months) & m.rate_pct.notnull())
    p = ctx.table("platform").select(pid="id", p_provider="provider_id", p_name="name")
    by_id = m.join(p, m.provider_id == p.p_provider).select(
        subject_id=p.pid, month=m.month, rate=m.rate_pct
    )
    unlinked = m.filter(m.provider_id.isnull())
    by_name = unlinked.join(p, unlinked.platform_name == p.p_name).select(
        subject_id=p.pid, month=unlinked.month, rate=unlinked.rate_pct
    )
    linked = by_id.union(by_name)
    per_month = linked.group_by(["subject_id", "month"]).aggregate(rate=linked.rate.mean())
    return per_month.group_by("subject_id").aggregate(
        recent_pct=per_month.rate.mean(), recent_months=per_month.month.count()
    )


def return_above_benchmark(ctx: DetectorContext) -> ir.Table:
    """A platform pays investors far more than the benchmark lending rate.

    The rate is the higher of the advertised return in the profile and the average rate of
    the last complete months of figures (default three). It is compared with the one-year
    benchmark lending rate (the LPR from 2019-08-20) in force on the assessment date and with
    the judicial protection ceiling for private lending of that date (24 % a year from
    2015-09-01). Money that pays several times the bank rate has to come from borrowers who
    pay even more, or from new lenders.
    """
    platforms = ctx.table("platform")
    recent = _recent_rates(ctx)
    joined = platforms.left_join(recent, platforms.id == recent.subject_id)
    rows = joined.select(
        id=joined.id,
        name=joined.name,
        advertised_return=joined.advertised_return,
        recent_pct=joined.recent_pct,
        recent_months=joined.recent_months,
    )
    rows = rows.filter(rows.advertised_return.notnull() | rows.recent_pct.notnull())
    step = functools.partial(
        _return_batches,
        as_of=ctx.as_of,
        benchmarks=load_benchmarks(),
        min_multiple=float(ctx.params["min_multiple"]),
    )
    return ctx.map_batches(rows, step, RETURN_SCHEMA, step="returns")


def _return_batches(
    batches: Iterator[pa.RecordBatch],
    *,
    as_of: date,
    benchmarks: Benchmarks,
    min_multiple: float,
) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        rows = [
            out
            for row in batch.to_pylist()
            if (out := _return_row(row, as_of, benchmarks, min_multiple)) is not None
        ]
        yield pa.RecordBatch.from_pylist(rows, schema=RETURN_SCHEMA)


def _sources(advertised: float | None, recent: float | None, months: int) -> tuple[str, str]:
    zh, en = [], []
    if advertised is not None:
        zh.append(f"宣传年化收益率{advertised:g}%")
        en.append(f"advertised return {advertised:g}%")
    if recent is not None:
        zh.append(f"近{months}个月平均成交利率{recent:.2f}%")
        en.append(f"average rate of the last {months} months {recent:.2f}%")
    return "，".join(zh), "; ".join(en)


def _return_row(
    row: Mapping[str, Any], as_of: date, benchmarks: Benchmarks, min_multiple: float
) -> dict[str, Any] | None:
    advertised = advertised_rate(row["advertised_return"])
    recent = row["recent_pct"]
    recent = None if recent is None else round(float(recent), 2)
    rates = [r for r in (advertised, recent) if r is not None]
    if not rates:
        return None
    rate = max(rates)
    found = deviation(Decimal(str(rate)), as_of, benchmarks)
    benchmark = float(found.benchmark.value)
    multiple = round(rate / benchmark, 4)
    if multiple < min_multiple:
        return None
    months = int(row["recent_months"] or 0)
    source_zh, source_en = _sources(advertised, recent, months)
    evidence = [
        {"field": "advertised_return", "value": row["advertised_return"]},
        {"field": "platform_metric.rate_pct", "months": months, "average": recent},
        {
            "lookup": "benchmark",
            "series": found.benchmark.series,
            "rate": benchmark,
            "from": found.benchmark.effective_from.isoformat(),
            "day": as_of.isoformat(),
            "legal_ceiling": float(found.legal_ceiling),
        },
    ]
    return {
        "subject_id": row["id"],
        "subject_name": row["name"],
        "rate_pct": rate,
        "advertised_pct": advertised,
        "recent_pct": recent,
        "recent_months": months,
        "multiple": multiple,
        "benchmark_pct": benchmark,
        "ceiling_pct": float(found.legal_ceiling),
        "source_zh": source_zh,
        "source_en": source_en,
        "deviation_zh": found.describe("zh"),
        "deviation_en": found.describe("en"),
        "evidence": json.dumps(evidence, ensure_ascii=False),
    }


__all__ = ["RETURN_SCHEMA", "advertised_rate", "month_index", "return_above_benchmark"]
