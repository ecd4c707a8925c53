"""Reading returns over a stated term and multiples (翻倍) into candidates.

The families ``term_rate`` (3个月收益15%, 半年期产品，到期收益5%, 一天一个点, tiers of holding
periods) and ``multiple`` (三个月翻倍, 资金翻倍, 5倍收益) of
:mod:`smokewatch.text.return_rate_patterns`, each read by its function of :data:`READERS`. A
total over a term is annualised over that term; 翻倍 without a term is kept as a multiple of
the principal, not annualised. Readers drop a market's rise (房价一年升值30%) and a doubling
of something that is not money (销量翻倍).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType

from smokewatch.text.numerals import parse_number
from smokewatch.text.return_candidates import (
    MONEY_WORDS,
    RISE_VERBS,
    Candidate,
    hint_of,
    per_period_rate,
    periodic,
    qualifier_of,
    read_term,
    text_before,
    tidy,
)
from smokewatch.text.return_patterns import grammar, parse_rate
from smokewatch.text.return_units import ReturnUnit

_PROMISE = re.compile(r"承诺|保证|许诺|确保|保")


_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_YEARLY_LIST = re.compile(
    r"期[^,，。；;!！?？]{0,6}?(?:利率|利息|收益率)|(?:利率|收益率|年化|利息)表?\s*[:：]"
)
"""Words before a list that make its rates yearly: a term product's rate (三年期票面利率2.38%，
五年期2.5%) or a heading (定期存款利率表：三个月1.05%，半年1.25%; 年化收益率：3个月4%)."""


def _in_a_list_of_yearly_rates(folded: str, start: int) -> bool:
    """Whether a term and a bare rate at ``start`` continue a list of yearly rates.

    Banks and products list rates by term (三个月1.05%，半年1.25%); after such a heading in
    the sentence, 三个月1.05% is the yearly rate of a three-month deposit, not 1.05 % over
    three months (which a lender's 一个月5个点 is).
    """
    left = max(0, start - 40)
    stops = [m.end() for m in _SENTENCE_END.finditer(folded, left, start)]
    return _YEARLY_LIST.search(folded, stops[-1] if stops else left, start) is not None


def _from_term_rate(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["term_rate"].finditer(folded):
        term = read_term(m.group("tn"), m.group("tu"))
        rate = parse_rate(m.group("val"))
        read = per_period_rate(rate, "term") if rate is not None else None
        if term is None or rate is None or read is None or read[1] <= 0:
            continue
        cue = m.group("cue") or m.group("mcue")
        if cue is None and rate.scale not in {"percent", "permille", "per_10k"}:
            continue  # 一个月2分 without 息: not a rate
        if cue in RISE_VERBS and not _PROMISE.search(text_before(folded, m.start(), 10)):
            continue  # 房价一年升值30% is the market; 承诺一年内升值30% is a promise
        listed = cue is None and (
            m.group("tp") is not None or _in_a_list_of_yearly_rates(folded, m.start())
        )
        if m.group("tier") or m.group("tierpost") or listed:  # 持有1-3个月6%，4-6个月8%
            found = periodic(
                m.start(), max(m.end("val"), m.end("post")), rate, "year", hint=hint_of(cue or ""),
                note=(
                    "a term product's rate or a term in a list of yearly rates, read as yearly; "
                    if listed
                    else "the rate of a tier of holding periods, read as yearly; "
                ),
                qualifier=qualifier_of(m.group("conn"), m.group("post")), priority=1,
            )  # fmt: skip
            if found is not None:
                yield found
            continue
        low, high, reading = read
        yield Candidate(
            m.start(), max(m.end("val"), m.end("post")), 1, tidy(high), ReturnUnit.TERM,
            f"{reading}total over {term.words} {term.factor}", term.annualise(high),
            term.annualise(low) if rate.is_range else None,
            qualifier_of(m.group("conn"), m.group("post")), hint_of(cue or ""),
            term_months=term.months, term_days=term.days,
        )  # fmt: skip


_NOT_MONEY = re.compile(
    r"销量|销售|营收|营业|业绩|利润|净利|股价|房价|价格|产量|用户|人数|客流|规模|GDP|收入|粉丝"
    r"|流量|订单|成交|积分|礼|流水|市值|估值|票房|体重|速度|效率|涨价|价"
)


def _from_multiple(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["multiple"].finditer(folded):
        context = text_before(folded, m.start()) + m.group(0)
        if m.group("times"):
            try:
                times = parse_number(m.group("times"))
            except ValueError:
                continue
            if times > 1 and not _NOT_MONEY.search(text_before(folded, m.start())):
                yield Candidate(
                    m.start(), m.end(), 1, tidy(times), ReturnUnit.MULTIPLE,
                    f"{tidy(times)} times as stated, not annualised (the text does not say "
                    "whether it is the gain or the total)", None, hint="return",
                )  # fmt: skip
            continue
        if _NOT_MONEY.search(context):
            continue
        double = m.group("double") is not None
        group = "t" if double else "q"
        term = read_term(m.group(f"{group}n"), m.group(f"{group}u"))
        multiple = Decimal(2 if double else 4)
        what = "doubling (翻倍 = 2 × the principal)" if double else "翻两番 (4 × the principal)"
        if term is None:
            after = folded[m.end() : m.end() + 2]
            if not MONEY_WORDS.search(context) and after not in {"收益", "回报"}:
                continue  # 翻倍 alone is as often sales or points as money
            yield Candidate(
                m.start(), m.end(), 1, multiple, ReturnUnit.MULTIPLE,
                f"{what}, no term stated: not annualised", None, hint="return",
            )  # fmt: skip
            continue
        gain = (multiple - 1) * 100
        yield Candidate(
            m.start(), m.end(), 1, gain, ReturnUnit.TERM,
            f"{what}: +{gain} % over {term.words} {term.factor}", term.annualise(gain),
            hint="return", term_months=term.months, term_days=term.days,
        )  # fmt: skip


READERS: Mapping[str, Callable[[str], Iterator[Candidate]]] = MappingProxyType(
    {"term_rate": _from_term_rate, "multiple": _from_multiple}
)
"""The reader of each family of this module, by name."""

__all__ = ["READERS"]
