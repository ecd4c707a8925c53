"""A small reference reading of the text rules SW-R-0101…0104, written from their specification.

It reads a document the way ingest stores it (width-folded) with the public text kit —
:func:`~smokewatch.text.returns.extract_returns` and :func:`~smokewatch.text.rates.deviation`
for SW-R-0101, :func:`~smokewatch.text.signals.find_signals` for SW-R-0102/0103,
:func:`~smokewatch.text.events.find_events` for SW-R-0104 — and says which rules fire in
which band. It exists to check that every planted document says what its case claims, over
the whole default city and fast; the detectors themselves run in ``tests/cli/test_demo.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from smokewatch.model.types.text import fold_width
from smokewatch.text.events import find_events
from smokewatch.text.rates import Band, deviation, load_benchmarks
from smokewatch.text.returns import ReturnKind, extract_returns
from smokewatch.text.signals import find_signals

_LURES = {"fundraising.guarantee", "fundraising.return_promise"}
_GROUPS = {
    "pyramid.": "pyramid",
    "impersonation.": "impersonation",
    "speculation.": "speculation",
    "lending.": "lending",
    "fundraising.": "pretext",
    "fraud.": "fraud",
}
_CLOSURE_OR_COMPLAINTS = {"event.closure", "event.complaints"}


def _fields(row: Mapping[str, str | None]) -> list[str]:
    return [fold_width(v) for v in (row["标题"], row["正文"]) if v]


def _returns(row: Mapping[str, str | None], day: date) -> str | None:
    rates = [
        r.annual_rate
        for text in _fields(row)
        for r in extract_returns(text)
        if r.kind is ReturnKind.RETURN and not r.negated and r.annual_rate is not None
    ]
    if not rates:
        return None
    band = deviation(max(rates), day, load_benchmarks()).band
    return None if band is Band.MARKET else band.value


def _group(kind: str) -> str | None:
    if kind in _LURES:
        return None
    return next((g for prefix, g in _GROUPS.items() if kind.startswith(prefix)), None)


def read_document(row: Mapping[str, str | None], as_of: date) -> dict[str, str | None]:
    """Rule id → band of the finding the rule should produce on an export row (``None``: none)."""
    day = date.fromisoformat(row["发布日期"] or as_of.isoformat())
    signals = [s for text in _fields(row) for s in find_signals(text).signals]
    lures = {s.kind for s in signals if s.kind in _LURES}
    weights: dict[str, float] = {}
    for signal in signals:
        if (group := _group(signal.kind)) is not None:
            weights[group] = max(weights.get(group, 0.0), signal.weight)
    events = find_events("\n".join(_fields(row))).kinds
    return {
        "SW-R-0101": _returns(row, day),
        "SW-R-0102": (
            ("guarantee" if "fundraising.guarantee" in lures else "return_promise")
            if lures
            else None
        ),
        "SW-R-0103": max(weights, key=lambda g: (weights[g], g)) if weights else None,
        "SW-R-0104": (
            ("closure_or_complaints" if events[0] in _CLOSURE_OR_COMPLAINTS else "case_or_collapse")
            if events
            else None
        ),
    }


__all__ = ["read_document"]
