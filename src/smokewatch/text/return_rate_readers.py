"""Reading the families of rates with a period or a promise word into candidates.

The families ``rate`` (年化12%, 月息2分, 每月返3%), ``post`` (12%的年化收益), ``fen`` (3分利),
``slash`` (0.1%/天), ``fund`` (万份收益1.0260元) and ``warned`` (a bare 收益率 in a warning) of
:mod:`smokewatch.text.return_rate_patterns`, each read by its function of :data:`READERS`.
Readers reject what the patterns admit but the words do not support: lenders' scales (分, 角)
without 息 or 利, a fee before a bare rate, a market's rise (房价每年升值5%), a yield of the past.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from smokewatch.text.return_candidates import (
    MONEY_WORDS,
    RISE_VERBS,
    Candidate,
    hint_of,
    periodic,
    qualifier_of,
    text_before,
    tidy,
)
from smokewatch.text.return_patterns import RateValue, grammar, parse_rate
from smokewatch.text.return_units import ReturnUnit, amount_rate, annualise

_EVERY = {
    "每年": "year", "每月": "month", "每个月": "month", "每周": "week", "每星期": "week",
    "每个星期": "week", "每天": "day", "每日": "day", "天天": "day", "日日": "day",
    "月月": "month", "周周": "week", "年年": "year", "每季": "quarter",
    "每季度": "quarter", "每个季": "quarter", "每个季度": "quarter", "按年": "year",
    "按月": "month", "按周": "week", "按天": "day", "按日": "day", "按季": "quarter",
    "按季度": "quarter",
}  # fmt: skip


_BONUS_BEFORE = re.compile(r"(?:额外|另外|另行|另|再|外)加?$|加息$")
"""Words right before a rate that make it a bonus on another (额外年化1%, 再加年化0.5%)."""


def _rate_period(m: re.Match[str]) -> tuple[str, str, str] | None:
    """(period, cue words, reading note) of a ``rate`` match, or ``None`` to drop it."""
    cue = m.group("lead") or ""
    for group in "ymwd":
        if m.group(group):
            return _GROUP_PERIOD[group], cue + m.group(group), ""
    if m.group("q"):
        return "quarter", cue + m.group("q"), ""
    if m.group("every"):
        words = (m.group("enoun") or "") + m.group("every") + (m.group("everb") or "")
        if not m.group("everb") and not m.group("noun") and not m.group("enoun"):
            return None  # 每年12% alone may be growth; a return needs 收益/返 or …的收益
        return _EVERY[m.group("every")], cue + words + (m.group("noun") or ""), ""
    if m.group("p"):  # a product's rate: the sentence decides the kind
        return "year", cue + "期", "rate quoted for a term product (…期), read as yearly; "
    if m.group("cper"):  # 收益：月2%
        return _BEFORE_PERIOD[m.group("cper")], cue + m.group("cnoun"), ""
    if m.group("uper"):
        return _EVERY[m.group("uper")], cue + m.group("u"), ""
    return "year", cue + m.group("u"), "no period stated, read as yearly; "


def _from_rate(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["rate"].finditer(folded):
        found_period = _rate_period(m)
        if found_period is None:
            continue
        period, cue, note = found_period
        if m.group("pctval"):  # a table header: 年化收益率（%）：7.8
            number = Decimal(m.group("pctval"))
            rate: RateValue | None = RateValue(number, number, "percent")
        elif m.group("bare"):  # 月息2.5: only a monthly rate of interest leaves out its 分
            if period != "month" or ("息" not in cue and "利" not in cue):
                continue
            number = Decimal(m.group("bare"))
            rate, note = RateValue(number, number, "fen"), note + "月息 with no unit, read in 分; "
        else:
            rate = parse_rate(m.group("val"))
        if rate is None or (rate.scale in _LENDING and "息" not in cue and "利" not in cue):
            continue
        if _BONUS_BEFORE.search(text_before(folded, m.start(), 4)):
            continue  # 可享额外年化1%收益 (a coupon): a bonus on another rate, not a return
        if m.group("everb") in RISE_VERBS and not MONEY_WORDS.search(
            text_before(folded, m.start(), 12)
        ):
            continue  # 房价每年升值5% is the market; 理财币每天自动增值1% is a promise
        note = note + _stacked_note(m.group("plus"))
        if m.group("plus"):
            rate = _stacked(rate, m.group("plus"))
        bare_every = m.group("every") and not m.group("everb") and not m.group("enoun")
        end = m.end("noun") if bare_every else max(m.end("val"), m.end("pctval"), m.end("bare"))
        end = max(end, m.end("post"), m.end("plus"))
        found = periodic(
            m.start(), end, rate, period, note=note, hint=hint_of(cue),
            qualifier=qualifier_of(
                m.group("pre"), m.group("u"), m.group("equal"), m.group("conn"), m.group("post")
            ),
        )  # fmt: skip
        if found is not None:
            yield found


def _stacked(rate: RateValue, plus: str) -> RateValue:
    """年化10%+2%: a bonus stacked on a rate in percent is added to both ends."""
    if rate.scale != "percent":
        return rate
    bonus = Decimal(plus.strip().lstrip("+").strip().rstrip("%").strip())
    return RateValue(rate.low + bonus, rate.high + bonus, rate.scale)


def _stacked_note(plus: str | None) -> str:
    if not plus:
        return ""
    return f"a bonus of {plus.strip().lstrip('+').strip()} stacked on the rate, added; "


_LENDING = frozenset({"fen", "jiao"})
"""Scales only lenders use (月息2分, 月息一角): read only after 息 or 利."""
_GROUP_PERIOD = {"y": "year", "m": "month", "w": "week", "d": "day"}
_BEFORE_PERIOD = {"年": "year", "月": "month", "周": "week", "日": "day", "天": "day"}


def _from_post(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["post"].finditer(folded):
        rate = parse_rate(m.group("val"))
        if rate is None or rate.scale in _LENDING:
            continue
        group = next((g for g in "ymwd" if m.group(g)), None)
        before = m.group("vper")  # 许以月5%至10%的高额利息: the period stands before the rate
        if group is not None:
            period, cue, note = _GROUP_PERIOD[group], m.group(group), ""
        elif before:
            period, cue, note = _BEFORE_PERIOD[before[-1]], m.group("u"), ""
        else:
            period, cue, note = "year", m.group("u"), "no period stated, read as yearly; "
        found = periodic(
            m.start(), m.end(), rate, period, note=note, hint=hint_of(cue),
            qualifier=qualifier_of(m.group("pre"), m.group("post")),
        )  # fmt: skip
        if found is not None:
            yield found


def _from_fen(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["fen"].finditer(folded):
        rate = parse_rate(m.group("val") or m.group("cueval"))
        if rate is None or rate.scale != "fen":
            continue
        found = periodic(
            m.start(), m.end(), rate, "month", note="分 without a period, read as monthly; ",
            qualifier=None, hint="interest",
        )  # fmt: skip
        if found is not None:
            yield found


_NOT_A_RETURN_BEFORE = re.compile(
    r"费|税|罚|违约|增长|增速|增幅|涨|跌|降|折|首付|占|比例|保证金|通胀|利润"
)
"""Words before a bare rate that make it a fee, a penalty or a change, not a return."""
_SLASH_PERIOD = {"年": "year", "月": "month", "周": "week", "天": "day", "日": "day"}


def _from_slash(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["slash"].finditer(folded):
        rate = parse_rate(m.group("val"))
        cue = m.group("cue") or ""
        if rate is None or (rate.scale in _LENDING and "息" not in cue and "利" not in cue):
            continue
        if not cue and _NOT_A_RETURN_BEFORE.search(text_before(folded, m.start(), 6)):
            continue  # 手续费率0.75%/月: a fee
        found = periodic(
            m.start(), m.end(), rate, _SLASH_PERIOD[m.group("per")], hint=hint_of(cue),
            qualifier=None, note="rate per period after a slash; ",
        )  # fmt: skip
        if found is not None:
            yield found


def _from_fund(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["fund"].finditer(folded):
        per_10k = Decimal(m.group("amount"))
        if per_10k <= 0:
            continue
        rate = amount_rate(per_10k, Decimal(10_000))
        yield Candidate(
            m.start(), m.end(), 0, tidy(rate), ReturnUnit.DAY,
            f"fund yield per 10,000 units per day: {per_10k}/10000 × 365 (simple)",
            annualise(rate, ReturnUnit.DAY), hint="return",
        )  # fmt: skip


_WARNED_PRIORITY: Final = 4
"""Below every other family: a bare yield never displaces another reading of the same words."""


_PROMISED = re.compile(r"高达|最高|可达|保底|不低于|至少|稳定在|固定|保证|承诺")
"""Words that make a bare yield a promise (收益率高达20%！) rather than a figure of the past."""
_PAST = re.compile(
    r"以来|今年|去年|前年|上半年|下半年|年内|全年|上年|近[一二三四五六七八九十两\d]|历史|过去|累计|同期"
    r"|成立|截至|截止"
)
"""Words that make a bare yield a record (今年以来该基金收益率高达20%)."""


def _from_warned(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["warned"].finditer(folded):
        rate = parse_rate(m.group("val"))
        if rate is None or rate.scale in _LENDING:
            continue
        promised = _PROMISED.search(m.group("conn")) is not None and not _PAST.search(
            text_before(folded, m.start(), 16)
        )
        note = (
            "a promised yield with no period, read as yearly; "
            if promised
            else "a bare yield in a warning, read as yearly; "
        )
        found = periodic(
            m.start(), max(m.end("val"), m.end("post")), rate, "year", note=note, hint="return",
            qualifier=qualifier_of(m.group("conn"), m.group("post")), priority=_WARNED_PRIORITY,
        )  # fmt: skip
        if found is not None:
            yield found if promised else replace(found, warned_only=True)


READERS: Mapping[str, Callable[[str], Iterator[Candidate]]] = MappingProxyType(
    {
        "rate": _from_rate,
        "post": _from_post,
        "fen": _from_fen,
        "slash": _from_slash,
        "fund": _from_fund,
        "warned": _from_warned,
    }
)
"""The reader of each family of this module, by name."""

__all__ = ["READERS"]
