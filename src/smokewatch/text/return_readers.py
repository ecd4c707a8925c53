"""Reading each pattern family of :mod:`smokewatch.text.return_patterns` into candidates.

A :class:`Candidate` is a return found by one family, with its value, unit, yearly rate and
basis, before :mod:`smokewatch.text.returns` settles overlaps, kind and negation. Readers
reject matches that the patterns admit but the numbers or context do not support: a range in
two scales, 分 after a cue without 息/利, a doubling of sales (销量翻倍), a total that is not
above the principal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Final

from smokewatch.text.numerals import parse_amount, parse_number
from smokewatch.text.return_patterns import FAMILIES, RateValue, grammar, parse_rate
from smokewatch.text.return_units import (
    Qualifier,
    ReturnUnit,
    amount_rate,
    annualise,
)


def _tidy(number: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (12.000 → 12)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A return found by one pattern family, before overlaps, kind and negation are settled."""

    start: int
    end: int
    priority: int
    """Lower wins an overlap: explicit rates, then terms and multiples, then amounts."""
    value: Decimal
    unit: ReturnUnit
    basis: str
    annual: Decimal | None
    low: Decimal | None = None
    qualifier: Qualifier | None = None
    hint: str = "either"
    """``return``, ``interest`` or ``either``: what the cue word itself says."""
    strong: bool = False
    """The hint comes from a principal cue (借 / 投资) and overrides the sentence."""
    term_months: Decimal | None = None
    term_days: Decimal | None = None
    warned_only: bool = False
    """Kept only in a sentence that warns or negates (a bare 收益率: see the ``warned`` family)."""
    principal: Decimal | None = None
    """For a reading of amounts: the principal, which a later amount in the sentence may share
    (投资1万元，每天收益50元，一年收益18250元)."""


_QUALIFIERS = (
    ("最高可达", Qualifier.MAX), ("最高可享", Qualifier.MAX), ("最高达", Qualifier.MAX),
    ("最高", Qualifier.MAX), ("高达", Qualifier.MAX), ("可达", Qualifier.MAX),
    ("多达", Qualifier.MAX), ("以内", Qualifier.MAX), ("以下", Qualifier.MAX),
    ("不超过", Qualifier.MAX), ("不高于", Qualifier.MAX),
    ("不低于", Qualifier.MIN), ("至少", Qualifier.MIN), ("最低", Qualifier.MIN),
    ("最少", Qualifier.MIN), ("保底", Qualifier.MIN), ("低至", Qualifier.MIN),
    ("以上", Qualifier.MIN), ("超过", Qualifier.MIN), ("高于", Qualifier.MIN),
    ("起", Qualifier.MIN), ("+", Qualifier.MIN), ("逾", Qualifier.MIN), ("超", Qualifier.MIN),
    ("约为", Qualifier.APPROX), ("大约", Qualifier.APPROX), ("约", Qualifier.APPROX),
    ("左右", Qualifier.APPROX), ("上下", Qualifier.APPROX), ("近", Qualifier.APPROX),
)  # fmt: skip


def _qualifier(*parts: str | None) -> Qualifier | None:
    """The bounding word that comes first in ``parts`` (最高可达 before 最高 at one place)."""
    for part in parts:
        if not part:
            continue
        best: tuple[int, Qualifier] | None = None
        for word, qualifier in _QUALIFIERS:
            at = part.find(word)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, qualifier)
        if best is not None:
            return best[1]
    return None


def _hint(cue: str) -> str:
    returns = ("收益", "回报", "分红", "返", "赚", "享", "获", "拿", "领", "得", "释放", "产")
    if any(w in cue for w in returns):
        return "return"
    if "息" in cue or "利" in cue:
        return "interest"
    return "either"


_PER_UNIT = {
    "year": (ReturnUnit.YEAR, "yearly rate as stated"),
    "month": (ReturnUnit.MONTH, "monthly × 12 (simple)"),
    "week": (ReturnUnit.WEEK, "weekly × 52 (simple)"),
    "day": (ReturnUnit.DAY, "daily × 365 (simple)"),
}
_EVERY = {
    "每年": "year", "每月": "month", "每个月": "month", "每周": "week", "每星期": "week",
    "每个星期": "week", "每天": "day", "每日": "day", "天天": "day", "每季": "quarter",
    "每季度": "quarter", "每个季": "quarter", "每个季度": "quarter", "按年": "year",
    "按月": "month", "按周": "week", "按天": "day", "按日": "day", "按季": "quarter",
    "按季度": "quarter",
}  # fmt: skip


def _per_period_rate(rate: RateValue, period: str) -> tuple[Decimal, Decimal, str] | None:
    """(low, high) in percent per period, and a note on the reading, or ``None``."""
    if rate.scale == "percent":
        return rate.low, rate.high, ""
    if rate.scale == "permille":
        return rate.low / 10, rate.high / 10, "千分之/‰ ÷ 10 = %; "
    if rate.scale == "per_10k":
        return rate.low / 100, rate.high / 100, "万分之 ÷ 100 = %; "
    if rate.scale == "jiao":
        if period == "term":
            return None
        return rate.low * 10, rate.high * 10, "1 角 (一毛) a yuan = 10 %; "
    if period == "year":
        return rate.low * 10, rate.high * 10, "年息 1 分 = 10 %, 1 厘 = 1 %; "
    if period == "day":
        return rate.low, rate.high, "日息 1 分 = 1 %, 1 厘 = 0.1 % a day (lending usage); "
    if period in {"month", "week"}:
        return rate.low, rate.high, "1 分 = 1 %, 1 厘 = 0.1 %; "
    return None


def _periodic(
    start: int,
    end: int,
    rate: RateValue,
    period: str,
    *,
    note: str = "",
    qualifier: Qualifier | None,
    hint: str,
    priority: int = 0,
) -> Candidate | None:
    """A candidate for a rate per year, month, week, day or quarter."""
    read = _per_period_rate(rate, period)
    if read is None:
        return None
    low, high, reading = read
    if high <= 0:
        return None
    if period == "quarter":
        term = Decimal(3)
        annual = annualise(high, ReturnUnit.TERM, term_months=term)
        low_annual = annualise(low, ReturnUnit.TERM, term_months=term)
        return Candidate(
            start, end, priority, _tidy(high), ReturnUnit.TERM,
            f"{note}{reading}quarterly × 4 (simple)",
            annual, low_annual if rate.is_range else None, qualifier, hint, term_months=term,
        )  # fmt: skip
    unit, words = _PER_UNIT[period]
    return Candidate(
        start, end, priority, _tidy(high), unit, f"{note}{reading}{words}",
        annualise(high, unit), annualise(low, unit) if rate.is_range else None, qualifier, hint,
    )  # fmt: skip


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
        else:
            rate = parse_rate(m.group("val"))
        if rate is None or (rate.scale in _LENDING and "息" not in cue and "利" not in cue):
            continue
        if m.group("everb") in _RISE and not _MONEY.search(_before(folded, m.start(), 12)):
            continue  # 房价每年升值5% is the market; 理财币每天自动增值1% is a promise
        note = note + _stacked_note(m.group("plus"))
        if m.group("plus"):
            rate = _stacked(rate, m.group("plus"))
        bare_every = m.group("every") and not m.group("everb") and not m.group("enoun")
        end = m.end("noun") if bare_every else max(m.end("val"), m.end("pctval"))
        end = max(end, m.end("post"), m.end("plus"))
        found = _periodic(
            m.start(), end, rate, period, note=note, hint=_hint(cue),
            qualifier=_qualifier(m.group("pre"), m.group("u"), m.group("conn"), m.group("post")),
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
        found = _periodic(
            m.start(), m.end(), rate, period, note=note, hint=_hint(cue),
            qualifier=_qualifier(m.group("pre"), m.group("post")),
        )  # fmt: skip
        if found is not None:
            yield found


def _from_fen(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["fen"].finditer(folded):
        rate = parse_rate(m.group("val") or m.group("cueval"))
        if rate is None or rate.scale != "fen":
            continue
        found = _periodic(
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
        if not cue and _NOT_A_RETURN_BEFORE.search(_before(folded, m.start(), 6)):
            continue  # 手续费率0.75%/月: a fee
        found = _periodic(
            m.start(), m.end(), rate, _SLASH_PERIOD[m.group("per")], hint=_hint(cue),
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
            m.start(), m.end(), 0, _tidy(rate), ReturnUnit.DAY,
            f"fund yield per 10,000 units per day: {per_10k}/10000 × 365 (simple)",
            annualise(rate, ReturnUnit.DAY), hint="return",
        )  # fmt: skip


# ---------------------------------------------------------------- terms and multiples


@dataclass(frozen=True, slots=True)
class _Term:
    """A stated term in months (months, quarters, years) or in days (days, weeks)."""

    months: Decimal | None
    days: Decimal | None

    @property
    def words(self) -> str:
        if self.months is not None:
            return f"{_tidy(self.months)} months"
        return f"{_tidy(self.days or Decimal(0))} days"

    @property
    def factor(self) -> str:
        if self.months is not None:
            return f"× 12/{_tidy(self.months)} (simple)"
        return f"× 365/{_tidy(self.days or Decimal(0))} (simple)"

    def annualise(self, value: Decimal) -> Decimal:
        return annualise(value, ReturnUnit.TERM, term_months=self.months, term_days=self.days)


def _term(count: str | None, unit: str | None) -> _Term | None:
    if count is None or unit is None:
        return None
    try:
        number = Decimal("0.5") if count == "半" else parse_number(count)
    except ValueError:
        return None
    if number <= 0:
        return None
    if unit == "个月":
        return _Term(number, None)
    if unit == "年":
        return _Term(number * 12, None) if number <= 50 else None
    if unit == "个季度":
        return _Term(number * 3, None)
    if unit == "天":
        return _Term(None, number)
    return _Term(None, number * 7)  # 周, 星期, 个星期


_PROMISE = re.compile(r"承诺|保证|许诺|确保|保")
_RISE = frozenset({"升值", "增值"})


def _from_term_rate(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["term_rate"].finditer(folded):
        term = _term(m.group("tn"), m.group("tu"))
        rate = parse_rate(m.group("val"))
        read = _per_period_rate(rate, "term") if rate is not None else None
        if term is None or rate is None or read is None or read[1] <= 0:
            continue
        cue = m.group("cue") or m.group("mcue")
        if cue is None and rate.scale not in {"percent", "permille", "per_10k"}:
            continue  # 一个月2分 without 息: not a rate
        if cue in _RISE and not _PROMISE.search(_before(folded, m.start(), 10)):
            continue  # 房价一年升值30% is the market; 承诺一年内升值30% is a promise
        if m.group("tier") or m.group("tierpost"):  # 持有1-3个月6%，4-6个月8%: yearly tiers
            found = _periodic(
                m.start(), max(m.end("val"), m.end("post")), rate, "year", hint=_hint(cue or ""),
                note="the rate of a tier of holding periods, read as yearly; ",
                qualifier=_qualifier(m.group("conn"), m.group("post")), priority=1,
            )  # fmt: skip
            if found is not None:
                yield found
            continue
        low, high, reading = read
        yield Candidate(
            m.start(), max(m.end("val"), m.end("post")), 1, _tidy(high), ReturnUnit.TERM,
            f"{reading}total over {term.words} {term.factor}", term.annualise(high),
            term.annualise(low) if rate.is_range else None,
            _qualifier(m.group("conn"), m.group("post")), _hint(cue or ""),
            term_months=term.months, term_days=term.days,
        )  # fmt: skip


_CLAUSE_END = re.compile(r"[。！？!?；;\n,，]")
_NOT_MONEY = re.compile(
    r"销量|销售|营收|营业|业绩|利润|净利|股价|房价|价格|产量|用户|人数|客流|规模|GDP|收入|粉丝"
    r"|流量|订单|成交|积分|礼|流水|市值|估值|票房|体重|速度|效率|涨价|价"
)
_MONEY = re.compile(r"收益|资金|本金|投资|财富|回报|钱|资产|理财|入金|存款|利润率")


def _before(folded: str, start: int, width: int = 8) -> str:
    """Up to ``width`` characters before ``start``, not crossing a clause separator."""
    window = folded[max(0, start - width) : start]
    cut = [m.end() for m in _CLAUSE_END.finditer(window)]
    return window[cut[-1] :] if cut else window


def _from_multiple(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["multiple"].finditer(folded):
        context = _before(folded, m.start()) + m.group(0)
        if m.group("times"):
            try:
                times = parse_number(m.group("times"))
            except ValueError:
                continue
            if times > 1 and not _NOT_MONEY.search(_before(folded, m.start())):
                yield Candidate(
                    m.start(), m.end(), 1, _tidy(times), ReturnUnit.MULTIPLE,
                    f"{_tidy(times)} times as stated, not annualised (the text does not say "
                    "whether it is the gain or the total)", None, hint="return",
                )  # fmt: skip
            continue
        if _NOT_MONEY.search(context):
            continue
        double = m.group("double") is not None
        group = "t" if double else "q"
        term = _term(m.group(f"{group}n"), m.group(f"{group}u"))
        multiple = Decimal(2 if double else 4)
        what = "doubling (翻倍 = 2 × the principal)" if double else "翻两番 (4 × the principal)"
        if term is None:
            after = folded[m.end() : m.end() + 2]
            if not _MONEY.search(context) and after not in {"收益", "回报"}:
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


# ---------------------------------------------------------------- amounts


_LOAN_CUES = frozenset({"借给", "借款", "借", "贷款", "下款"})
_INVEST_CUES = frozenset(
    {"投资", "投入", "存入", "存款", "存", "出借", "认购", "购买", "买入", "买", "入股", "加盟",
     "入金", "入单"}
)  # fmt: skip
_PERIOD_OF = {
    "每月": "month", "每个月": "month", "一个月": "month", "月": "month", "按月": "month",
    "每天": "day", "每日": "day", "天天": "day", "一天": "day", "日": "day", "按天": "day",
    "按日": "day",
    "每周": "week", "每星期": "week", "每个星期": "week", "一周": "week", "周": "week",
    "按周": "week",
    "每年": "year", "一年": "year", "年": "year", "按年": "year",
    "每季": "quarter", "每季度": "quarter", "每个季": "quarter", "每个季度": "quarter",
    "按季": "quarter", "按季度": "quarter",
}  # fmt: skip
_ONE_TERM = frozenset({"一个月", "一天", "一周", "一年"})
"""Periods said as one term (投一万一年拿一万二): an amount above the principal is a total."""
_FACTOR_WORDS = {
    "month": " × 12 (simple)", "day": " × 365 (simple)", "week": " × 52 (simple)",
    "year": "", "quarter": " × 4 (simple)",
}  # fmt: skip
_GAIN_VERBS = frozenset({"收益", "利息", "赚取", "赚", "获利", "分红"})
_TOTAL_VERBS = frozenset(
    {"连本带息", "连本带利", "本息合计", "本息共计", "本息共", "本息", "本利合计", "本利和",
     "本利", "拿回", "取回", "变成", "变为", "收回", "还款", "还"}
)  # fmt: skip
_MONEY_UNIT = re.compile("[元块万千亿仟wWkKUu]")
"""A unit that makes a number a sum of money (USDT ends in U too: see the patterns)."""
_ONE_TERM_OF = {
    "一个月": _Term(Decimal(1), None), "一年": _Term(Decimal(12), None),
    "一天": _Term(None, Decimal(1)), "一周": _Term(None, Decimal(7)),
}  # fmt: skip


def _amounts(*texts: str) -> list[Decimal] | None:
    try:
        return [parse_amount(t) for t in texts]
    except ValueError:
        return None


def _amount_hint(cue: str | None, verb: str) -> tuple[str, bool]:
    """(hint, strong): a loan or investment cue before the principal decides the kind."""
    if cue in _LOAN_CUES:
        return "interest", True
    if cue in _INVEST_CUES:
        return "return", True
    if any(w in verb for w in ("利息", "付息", "派息")) or verb.startswith("还"):
        return "interest", False
    return "return", False


_VERBLESS_PERIODS = frozenset(
    {"一天", "一个月", "一年", "一周", "每天", "每日", "每月", "每个月", "每年", "每周"}
)
_CLAUSE_OR_END = re.compile(r"[\s,，。！？!?；;:：)）]|$")
_BETWEEN = re.compile(r"\s*[,，]?\s*")
_ENDS_IN_UNIT = re.compile(r"[元块钱万千亿仟整wWkKUuT]\s*$")


def _verbless(folded: str, m: re.Match[str], principal: Decimal, income: Decimal) -> bool:
    """一万块一天十五: an amount per period said without a verb, taken only in plain form.

    The period is one of :data:`_VERBLESS_PERIODS` and follows the principal directly, the
    principal ends in a unit of money (元, 块, 万: the gate of the family looks for it right
    before the period), the income is below it and ends its clause (一万块一天十五，… — not
    3000元一个月30天).
    """
    return (
        m.group("per") in _VERBLESS_PERIODS
        and _ENDS_IN_UNIT.search(m.group("principal")) is not None
        and _BETWEEN.fullmatch(folded, m.end("principal"), m.start("per")) is not None
        and income < principal
        and _CLAUSE_OR_END.match(folded, m.end("income")) is not None
    )


def _from_per_period(folded: str) -> Iterator[Candidate]:
    yield from _per_period_candidates(folded, "per_period")


def _from_per_first(folded: str) -> Iterator[Candidate]:
    yield from _per_period_candidates(folded, "per_first")


_INCOME_BEFORE = re.compile(
    r"(?:收益|回报|收入|利息|分红|返利|返息|返还|返|赚了?|领|拿|得|到账|付息|派息|给你?)$"
)
"""An amount right after these words is an income, not a principal: in 每周回报900元，一个月就有
3600元的收入 the 900元 is paid, not invested."""


_LONE_MULTIPLIER = re.compile(r"[十百千万亿仟]")
"""万 without a number or a currency: no principal (万一年收益… is 万一, "in case")."""


def _per_period_candidates(folded: str, family: str) -> Iterator[Candidate]:
    for m in grammar().families[family].finditer(folded):
        groups = m.groupdict()
        verb, cue = m.group("verb") or "", groups.get("pc")
        if not cue and _INCOME_BEFORE.search(_before(folded, m.start("principal"), 4)):
            continue
        if family == "per_period" and cue != "每" and _LONE_MULTIPLIER.fullmatch(m["principal"]):
            continue
        if family == "per_first" and not verb and not m.group("noun"):
            if not _MONEY_UNIT.search(m.group("income")):
                continue  # 每月每万元300: the yield needs 元 or a verb
        elif not verb and not m.group("noun"):
            amounts = _amounts(m.group("principal"), m.group("income"))
            if amounts is None or not _verbless(folded, m, amounts[0], amounts[1]):
                continue
        if cue not in _LOAN_CUES | _INVEST_CUES and not _MONEY_UNIT.search(m.group("principal")):
            continue  # 每一年… or 2023年…: not a sum of money
        amounts = _amounts(m.group("principal"), m.group("income"))
        if amounts is None or amounts[0] <= 0 or amounts[1] <= 0:
            continue
        principal, income = (_tidy(a) for a in amounts)
        per = m.group("per")
        total = (
            per in _ONE_TERM and income > principal and not m.group("noun")
            and not any(w in verb for w in _GAIN_VERBS)
        )  # fmt: skip
        start = m.start("pc") if cue else min(m.start("principal"), m.start("per"))
        if total:  # 投一万一年拿一万二: 12,000 back on 10,000 is a gain of 2,000
            found = _total(
                start, m.end("income"),
                principal=principal, amount=income, term=_ONE_TERM_OF[per], verb="本息",
                hint=_amount_hint(cue, verb),
            )  # fmt: skip
            if found is not None:
                yield found
            continue
        period = _PERIOD_OF[per]
        rate = amount_rate(income, principal)
        unit = ReturnUnit.TERM if period == "quarter" else ReturnUnit(period)
        months = Decimal(3) if period == "quarter" else None
        annual = annualise(rate, unit, term_months=months)
        hint, strong = _amount_hint(cue, verb + (m.group("noun") or ""))
        yield Candidate(
            start, m.end("noun") if m.group("noun") else m.end("income"), 2, _tidy(rate), unit,
            f"per {principal:,} yuan per {'quarter' if months else period}: "
            f"{income}/{principal}{_FACTOR_WORDS[period]}",
            annual, qualifier=_qualifier(verb), hint=hint, strong=strong, term_months=months,
            principal=principal,
        )  # fmt: skip


def _total(
    start: int,
    end: int,
    *,
    principal: Decimal,
    amount: Decimal,
    term: _Term,
    verb: str,
    hint: tuple[str, bool],
    net: bool = False,
) -> Candidate | None:
    principal, amount = _tidy(principal), _tidy(amount)
    if principal <= 0:
        return None
    if verb in _GAIN_VERBS or (verb not in _TOTAL_VERBS and amount <= principal):
        gain, how = amount, f"{amount}/{principal}"
    else:
        gain, how = amount - principal, f"({amount} − {principal})/{principal}"
    if gain <= 0:
        return None
    rate = amount_rate(gain, principal)
    received = f"{principal} received after interest deducted up front (砍头息); " if net else ""
    return Candidate(
        start, end, 2, _tidy(rate), ReturnUnit.TERM,
        f"{received}total over {term.words}: {how} {term.factor}", term.annualise(rate),
        hint=hint[0], strong=hint[1], term_months=term.months, term_days=term.days,
        principal=principal,
    )  # fmt: skip


def _from_term_total(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["term_total"].finditer(folded):
        term = _term(m.group("tn"), m.group("tu"))
        placed = m.group("placed")
        if placed is not None and not _MONEY_UNIT.search(placed):
            continue  # 五万块放半年 is money; 三放一年 is not
        # 借5000元，实际到手3500元: interest deducted up front (砍头息); the principal is what
        # was received (最高人民法院民间借贷规定第二十六条: 预先在本金中扣除利息的…实际出借的金额).
        lent = m.group("net") or m.group("principal") or placed
        amounts = _amounts(lent, m.group("amount"))
        if term is None or amounts is None:
            continue
        found = _total(
            m.start(), m.end("amount"), principal=amounts[0], amount=amounts[1], term=term,
            verb=m.group("verb"), net=m.group("net") is not None,
            hint=_amount_hint(m.group("pc") or m.group("pv"), m.group("verb")),
        )  # fmt: skip
        if found is not None:
            yield found


def _from_total_then_principal(folded: str) -> Iterator[Candidate]:
    yield from _totals_and_principals(folded, "total_then_principal")


def _from_total_principal_term(folded: str) -> Iterator[Candidate]:
    yield from _totals_and_principals(folded, "total_principal_term")


def _totals_and_principals(folded: str, family: str) -> Iterator[Candidate]:
    for m in grammar().families[family].finditer(folded):
        term = _term(m.group("tn"), m.group("tu"))
        amounts = _amounts(m.group("principal"), m.group("amount"))
        if term is None or amounts is None:
            continue
        found = _total(
            m.start(), m.end(), principal=amounts[0], amount=amounts[1], term=term, verb="本息",
            hint=("return", False),
        )  # fmt: skip
        if found is not None:
            yield found


def _from_term_principal_total(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["term_principal_total"].finditer(folded):
        term = _term(m.group("tn"), m.group("tu"))
        amounts = _amounts(m.group("principal"), m.group("amount"))
        if term is None or amounts is None:
            continue
        if not m.group("pc") and not _MONEY_UNIT.search(m.group("principal")):
            continue
        found = _total(
            m.start(), m.end(), principal=amounts[0], amount=amounts[1], term=term,
            verb=m.group("verb"), hint=_amount_hint(m.group("pc"), m.group("verb")),
        )  # fmt: skip
        if found is not None:
            yield found


_FORM_GAINS = frozenset({"到期收益", "预期收益", "应付利息", "利息"})


def _from_form(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["form"].finditer(folded):
        term = _term(m.group("tn"), m.group("tu"))
        amounts = _amounts(m.group("principal"), m.group("amount"))
        if term is None or amounts is None:
            continue
        loan = "借" in m.group("plabel") or "贷" in m.group("plabel")
        found = _total(
            m.start(), m.end(), principal=amounts[0], amount=amounts[1], term=term,
            verb="收益" if m.group("verb") in _FORM_GAINS else "本息",
            hint=("interest", True) if loan else ("return", False),
        )  # fmt: skip
        if found is not None:
            yield found


_WARNED_PRIORITY: Final = 3
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
            _before(folded, m.start(), 16)
        )
        note = (
            "a promised yield with no period, read as yearly; "
            if promised
            else "a bare yield in a warning, read as yearly; "
        )
        found = _periodic(
            m.start(), max(m.end("val"), m.end("post")), rate, "year", note=note, hint="return",
            qualifier=_qualifier(m.group("conn"), m.group("post")), priority=_WARNED_PRIORITY,
        )  # fmt: skip
        if found is not None:
            yield found if promised else replace(found, warned_only=True)


def _from_income_then_principal(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["income_then_principal"].finditer(folded):
        verb = m.group("verb") or ""
        if not verb and not m.group("noun"):
            continue
        amounts = _amounts(m.group("principal"), m.group("income"))
        if amounts is None or amounts[0] <= 0 or amounts[1] <= 0:
            continue
        principal, income = (_tidy(a) for a in amounts)
        if income >= principal:
            continue  # 每月返还1万元，本金1万元: not a rate on that principal
        period = _PERIOD_OF[m.group("per")]
        rate = amount_rate(income, principal)
        unit = ReturnUnit.TERM if period == "quarter" else ReturnUnit(period)
        months = Decimal(3) if period == "quarter" else None
        hint, strong = _amount_hint(None, verb + (m.group("noun") or ""))
        yield Candidate(
            m.start(), m.end(), 2, _tidy(rate), unit,
            f"per {principal:,} yuan (stated after) per {'quarter' if months else period}: "
            f"{income}/{principal}{_FACTOR_WORDS[period]}",
            annualise(rate, unit, term_months=months), qualifier=_qualifier(verb), hint=hint,
            strong=strong, term_months=months,
        )  # fmt: skip


_READERS: Final = {
    "rate": _from_rate,
    "post": _from_post,
    "fen": _from_fen,
    "slash": _from_slash,
    "fund": _from_fund,
    "term_rate": _from_term_rate,
    "multiple": _from_multiple,
    "per_period": _from_per_period,
    "per_first": _from_per_first,
    "term_total": _from_term_total,
    "total_then_principal": _from_total_then_principal,
    "total_principal_term": _from_total_principal_term,
    "term_principal_total": _from_term_principal_total,
    "form": _from_form,
    "income_then_principal": _from_income_then_principal,
    "warned": _from_warned,
}


def read_candidates(folded: str) -> list[Candidate]:
    """Every candidate of every family in a folded text (overlaps not yet settled).

    A family runs only where its gate finds something (see :class:`Grammar`).
    """
    gates = grammar().gates
    found: list[Candidate] = []
    for name in FAMILIES:
        if gates[name].search(folded) is not None:
            found.extend(_READERS[name](folded))
    return found


_THRESHOLD_UNITS = {
    ReturnUnit.YEAR: "year", ReturnUnit.MONTH: "month", ReturnUnit.WEEK: "week",
    ReturnUnit.DAY: "day",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def read_thresholds(folded: str, chosen: list[Candidate]) -> list[Candidate]:
    """Bare rates that continue a list of thresholds after a return in the same sentence.

    In 收益高于年化6%就要警惕，超过10%就要做好损失全部本金的准备 the 10 % is a yearly rate too:
    a clause that starts with a bare rate followed by 就 / 则 / 便 takes the period of the
    closest return before it in its sentence. ``chosen`` are the settled candidates, left to
    right; the result never overlaps them.
    """
    if not chosen or ("就" not in folded and "则" not in folded and "便" not in folded):
        return []
    found: list[Candidate] = []
    for m in grammar().threshold.finditer(folded):
        before = [c for c in chosen + found if c.end <= m.start()]
        if not before or any(c.start < m.end() and m.start() < c.end for c in chosen):
            continue
        previous = max(before, key=lambda c: c.end)
        period = _THRESHOLD_UNITS.get(previous.unit)
        if period is None or _SENTENCE_END.search(folded, previous.end, m.start()):
            continue
        rate = parse_rate(m.group("val"))
        if rate is None:
            continue
        candidate = _periodic(
            m.start("pre") if m.group("pre") else m.start("val"), m.end("post")
            if m.group("post") else m.end("val"), rate, period, hint=previous.hint,
            qualifier=_qualifier(m.group("pre"), m.group("post")),
            note="a threshold continuing the return before it, same period; ",
        )  # fmt: skip
        if candidate is not None:
            found.append(candidate)
    return found


def read_continuations(folded: str, chosen: list[Candidate]) -> list[Candidate]:
    """Returns that lean on the one before them in the same sentence, never overlapping it.

    * a clause that restates a rate with a bound and nothing else (年利率3.5%的大额存单已经没有
      了，现在最高3.1%) takes the period of the closest rate before it;
    * an amount per period with no principal (投资1万元，每天收益50元，一年收益18250元) is read on
      the principal of the closest reading of amounts before it.

    ``chosen`` are the settled candidates, left to right.
    """
    if not chosen:
        return []
    found: list[Candidate] = []
    g = grammar()
    if any(c.unit in _THRESHOLD_UNITS for c in chosen):
        for m in g.continued.finditer(folded):
            previous = _previous(folded, chosen, m.start(), m.end())
            period = _THRESHOLD_UNITS.get(previous.unit) if previous is not None else None
            rate = parse_rate(m.group("val"))
            if previous is None or period is None or rate is None:
                continue
            candidate = _periodic(
                m.start("pre"), m.end("post") if m.group("post") else m.end("val"), rate,
                period, hint=previous.hint, qualifier=_qualifier(m.group("pre"), m.group("post")),
                note="a bound continuing the return before it, same period; ",
            )  # fmt: skip
            if candidate is not None:
                found.append(candidate)
    if any(c.principal is not None for c in chosen):
        for m in g.shared.finditer(folded):
            previous = _previous(folded, chosen, m.start(), m.end(), with_principal=True)
            amounts = _amounts(m.group("income"))
            if previous is None or previous.principal is None or amounts is None:
                continue
            if not _MONEY_UNIT.search(m.group("income")) or amounts[0] <= 0:
                continue
            principal, income = previous.principal, _tidy(amounts[0])
            period = _PERIOD_OF[m.group("per")] if m.group("per") != "全年" else "year"
            share = amount_rate(income, principal)
            unit = ReturnUnit(period)
            basis = (
                f"per {principal:,} yuan (the principal before) per {period}: "
                f"{income}/{principal}{_FACTOR_WORDS[period]}"
            )
            found.append(
                Candidate(
                    m.start(),
                    m.end("income"),
                    2,
                    _tidy(share),
                    unit,
                    basis,
                    annualise(share, unit),
                    hint=previous.hint,
                    principal=principal,
                )
            )
    return found


def _previous(
    folded: str, chosen: list[Candidate], start: int, end: int, *, with_principal: bool = False
) -> Candidate | None:
    """The closest candidate before ``start`` in the same sentence, if nothing overlaps."""
    if any(c.start < end and start < c.end for c in chosen):
        return None
    before = [
        c for c in chosen if c.end <= start and (not with_principal or c.principal is not None)
    ]
    if not before:
        return None
    previous = max(before, key=lambda c: c.end)
    if _SENTENCE_END.search(folded, previous.end, start):
        return None
    return previous


def read_family(name: str, folded: str) -> list[Candidate]:
    """The candidates of one family, without its gate (for tests of the gates)."""
    return list(_READERS[name](folded))


__all__ = ["Candidate", "read_candidates", "read_continuations", "read_family", "read_thresholds"]
