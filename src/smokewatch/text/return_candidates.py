"""What every reader of a stated return shares: the candidate, its rate arithmetic, terms.

The readers of the pattern families (:mod:`smokewatch.text.return_rate_readers`,
:mod:`smokewatch.text.return_term_readers`, :mod:`smokewatch.text.return_amount_readers`) turn
matches into :class:`Candidate` objects, which :mod:`smokewatch.text.returns` settles. This
module holds what they all use: the candidate itself; a rate per period in any scale turned
into percent and annualised (:func:`per_period_rate`, :func:`periodic`); the bounding words
(:func:`qualifier_of`) and the kind a cue word suggests (:func:`hint_of`); a stated term
(:class:`Term`, :func:`read_term`); the clause before a match (:func:`text_before`); and
amounts against a principal, per period (:func:`income_on_principal`) or in total after a
term (:func:`total_over_term`), which :mod:`smokewatch.text.return_continuations` also uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from smokewatch.text.numerals import parse_amount, parse_number
from smokewatch.text.return_patterns import RateValue
from smokewatch.text.return_units import Qualifier, ReturnUnit, amount_rate, annualise


def tidy(number: Decimal) -> Decimal:
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
    once: Term | None = None
    """For an amount said for one term (一年分红2万): that term, which a later total in the
    sentence shares (投资10万，一年分红2万，连本带利拿回12万)."""


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
    ("大概", Qualifier.APPROX), ("大致", Qualifier.APPROX), ("差不多", Qualifier.APPROX),
    ("左右", Qualifier.APPROX), ("上下", Qualifier.APPROX), ("近", Qualifier.APPROX),
)  # fmt: skip


_QUALIFIER_OF = dict(_QUALIFIERS)
_QUALIFIER_WORD = re.compile("|".join(re.escape(word) for word, _ in _QUALIFIERS))
"""The words of :data:`_QUALIFIERS` in their order: at one place the first listed wins."""


def qualifier_of(*parts: str | None) -> Qualifier | None:
    """The bounding word that comes first in ``parts`` (最高可达 before 最高 at one place)."""
    for part in parts:
        if part:
            found = _QUALIFIER_WORD.search(part)
            if found is not None:
                return _QUALIFIER_OF[found.group()]
    return None


def hint_of(cue: str) -> str:
    """``return``, ``interest`` or ``either``: what the cue words themselves say."""
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


def per_period_rate(rate: RateValue, period: str) -> tuple[Decimal, Decimal, str] | None:
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


def periodic(
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
    read = per_period_rate(rate, period)
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
            start, end, priority, tidy(high), ReturnUnit.TERM,
            f"{note}{reading}quarterly × 4 (simple)",
            annual, low_annual if rate.is_range else None, qualifier, hint, term_months=term,
        )  # fmt: skip
    unit, words = _PER_UNIT[period]
    return Candidate(
        start, end, priority, tidy(high), unit, f"{note}{reading}{words}",
        annualise(high, unit), annualise(low, unit) if rate.is_range else None, qualifier, hint,
    )  # fmt: skip


# ---------------------------------------------------------------- terms


@dataclass(frozen=True, slots=True)
class Term:
    """A stated term in months (months, quarters, years) or in days (days, weeks)."""

    months: Decimal | None
    days: Decimal | None

    @property
    def words(self) -> str:
        """The term in words (``3 months``, ``7 days``), for the basis."""
        if self.months is not None:
            return f"{tidy(self.months)} months"
        return f"{tidy(self.days or Decimal(0))} days"

    @property
    def factor(self) -> str:
        """The annualising factor in words (``× 12/3 (simple)``), for the basis."""
        if self.months is not None:
            return f"× 12/{tidy(self.months)} (simple)"
        return f"× 365/{tidy(self.days or Decimal(0))} (simple)"

    def annualise(self, value: Decimal) -> Decimal:
        """A total over this term, in percent, as simple percent per year (exact)."""
        return annualise(value, ReturnUnit.TERM, term_months=self.months, term_days=self.days)


def read_term(count: str | None, unit: str | None) -> Term | None:
    """The term of a match's count and unit (三个月, 半年, 7天), or ``None`` if unreadable."""
    if count is None or unit is None:
        return None
    try:
        number = Decimal("0.5") if count == "半" else parse_number(count)
    except ValueError:
        return None
    if number <= 0:
        return None
    if unit == "个月":
        return Term(number, None)
    if unit == "年":
        return Term(number * 12, None) if number <= 50 else None
    if unit == "个季度":
        return Term(number * 3, None)
    if unit == "天":
        return Term(None, number)
    return Term(None, number * 7)  # 周, 星期, 个星期


# ---------------------------------------------------------------- context


_CLAUSE_END = re.compile(r"[。！？!?；;\n,，]")
MONEY_WORDS = re.compile(r"收益|资金|本金|投资|财富|回报|钱|资产|理财|入金|存款|利润率")
"""Words that make what rises or doubles money (资金翻倍, 理财币每天增值1%), not a market's."""


def text_before(folded: str, start: int, width: int = 8) -> str:
    """Up to ``width`` characters before ``start``, not crossing a clause separator."""
    window = folded[max(0, start - width) : start]
    cut = [m.end() for m in _CLAUSE_END.finditer(window)]
    return window[cut[-1] :] if cut else window


RISE_VERBS = frozenset({"升值", "增值"})
"""Verbs of a rise in value (升值, 增值): a promise only where money is the subject."""


# ---------------------------------------------------------------- amounts against a principal


PERIOD_OF = {
    "每月": "month", "每个月": "month", "一个月": "month", "月": "month", "按月": "month",
    "每天": "day", "每日": "day", "天天": "day", "一天": "day", "日": "day", "按天": "day",
    "按日": "day",
    "每周": "week", "每星期": "week", "每个星期": "week", "一周": "week", "周": "week",
    "按周": "week",
    "每年": "year", "一年": "year", "年": "year", "按年": "year", "年底": "year", "年终": "year",
    "每季": "quarter", "每季度": "quarter", "每个季": "quarter", "每个季度": "quarter",
    "按季": "quarter", "按季度": "quarter", "半年": "half_year", "每半年": "half_year",
}  # fmt: skip
"""The period of each word of an amount per period (每月, 一天, 年底, 按季度)."""
_FACTOR_WORDS = {
    "month": " × 12 (simple)", "day": " × 365 (simple)", "week": " × 52 (simple)",
    "year": "", "quarter": " × 4 (simple)", "half_year": " × 2 (simple)",
}  # fmt: skip
_MONTHS_OF = {"quarter": Decimal(3), "half_year": Decimal(6)}
"""Periods without a unit of their own, read as a term of so many months."""
GAIN_VERBS = frozenset({"收益", "利息", "赚取", "赚", "获利", "分红"})
"""Words of a gain: the amount after them counts whole (收益5000元), not above the principal."""
_TOTAL_VERBS = frozenset(
    {"连本带息", "连本带利", "本息合计", "本息共计", "本息共", "本息", "本利合计", "本利和",
     "本利", "拿回", "取回", "取出", "变成", "变为", "收回", "提现", "提取", "提出", "还款", "还"}
)  # fmt: skip
MONEY_UNIT = re.compile("[元块万千亿仟wWkKUu]")
"""A unit that makes a number a sum of money (USDT ends in U too: see the patterns)."""


def parse_amounts(*texts: str) -> list[Decimal] | None:
    """Each text read as an amount in yuan, or ``None`` if one cannot be read."""
    try:
        return [parse_amount(t) for t in texts]
    except ValueError:
        return None


def income_on_principal(
    start: int,
    end: int,
    *,
    principal: Decimal,
    income: Decimal,
    period: str,
    hint: tuple[str, bool],
    where: str = "",
    qualifier: Qualifier | None = None,
    shared: bool = True,
    once: Term | None = None,
) -> Candidate:
    """An amount earned per period (a :data:`PERIOD_OF` value) on a principal, as a rate.

    ``where`` says where the principal was read (`` (stated after)``) for the basis; a
    ``shared`` principal may be read again by a later amount of the sentence (see
    :mod:`smokewatch.text.return_continuations`).
    """
    rate = amount_rate(income, principal)
    months = _MONTHS_OF.get(period)
    unit = ReturnUnit.TERM if months is not None else ReturnUnit(period)
    per = period.replace("_", " ")
    return Candidate(
        start, end, 2, tidy(rate), unit,
        f"per {principal:,} yuan{where} per {per}: {income}/{principal}{_FACTOR_WORDS[period]}",
        annualise(rate, unit, term_months=months), qualifier=qualifier, hint=hint[0],
        strong=hint[1], term_months=months, principal=principal if shared else None, once=once,
    )  # fmt: skip


def total_over_term(
    start: int,
    end: int,
    *,
    principal: Decimal,
    amount: Decimal,
    term: Term,
    verb: str,
    hint: tuple[str, bool],
    net: bool = False,
) -> Candidate | None:
    """A total (or a gain) paid back on a principal after a term, or ``None`` if no gain.

    A total returned (连本带息, 还, 拿回) counts above the principal; a gain (收益, 利息) counts
    whole; any other verb counts as a total when the amount is above the principal.
    """
    principal, amount = tidy(principal), tidy(amount)
    if principal <= 0:
        return None
    if verb in GAIN_VERBS or (verb not in _TOTAL_VERBS and amount <= principal):
        gain, how = amount, f"{amount}/{principal}"
    else:
        gain, how = amount - principal, f"({amount} − {principal})/{principal}"
    if gain <= 0:
        return None
    rate = amount_rate(gain, principal)
    received = f"{principal} received after interest deducted up front (砍头息); " if net else ""
    return Candidate(
        start, end, 2, tidy(rate), ReturnUnit.TERM,
        f"{received}total over {term.words}: {how} {term.factor}", term.annualise(rate),
        hint=hint[0], strong=hint[1], term_months=term.months, term_days=term.days,
        principal=principal,
    )  # fmt: skip


__all__ = [
    "GAIN_VERBS",
    "MONEY_UNIT",
    "MONEY_WORDS",
    "PERIOD_OF",
    "RISE_VERBS",
    "Candidate",
    "Term",
    "hint_of",
    "income_on_principal",
    "parse_amounts",
    "per_period_rate",
    "periodic",
    "qualifier_of",
    "read_term",
    "text_before",
    "tidy",
    "total_over_term",
]
