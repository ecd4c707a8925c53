"""The grammar of stated returns: the pattern families compiled, their gates, and rate values.

:mod:`smokewatch.text.returns` applies these patterns (through the readers of
:mod:`smokewatch.text.return_readers`); this module assembles them. Where things live:

* :mod:`smokewatch.text.return_fragments`: the folding the patterns run on
  (:func:`fold_for_returns`: full-width digits and signs to half-width, traditional characters
  to simplified, one character for one, so every offset found is an offset into the original
  text) and the fragments every family shares (a rate, an amount, a term, bounding words);
* :mod:`smokewatch.text.return_rate_patterns`: the families that read a rate (``rate``,
  ``post``, ``fen``, ``slash``, ``fund``, ``term_rate``, ``multiple``, ``warned``) and the
  patterns of rates that lean on the return before them (``continued``, ``threshold``);
* :mod:`smokewatch.text.return_amount_patterns`: the families that read amounts against a
  principal (``per_period``, ``per_first``, ``per_occasion``, ``term_total``,
  ``total_then_principal``, ``total_principal_term``, ``term_principal_total``, ``form``,
  ``income_then_principal``, ``principal_then_income``, ``total_in_sentence``) and the
  patterns of amounts that share the principal before them (``shared``, ``shared_total``);
* here: the order of the families (:data:`FAMILIES`), the first-character guards of the busiest
  ones (:data:`FIRST_CHARS`), the precheck, the compiled :class:`Grammar`, and the reading of a
  matched rate value (:func:`parse_rate`).

Each family has a *gate*, a cheap search that must succeed for the family to match at all, so
that most texts are read by a few fast searches only (the tests check that every gate is a
necessary condition).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from types import MappingProxyType

from smokewatch.text import return_amount_patterns, return_rate_patterns
from smokewatch.text.numerals import CN_CAPITALS, CN_DIGITS, CN_NUMERAL_CHARS, parse_number
from smokewatch.text.return_amount_patterns import CUE_FIRST
from smokewatch.text.return_fragments import (
    AMOUNT,
    CONNECTORS,
    NUM,
    QUAL_PRE,
    SCALE_PREFIX,
    TERM,
    VALUE,
    Scale,
    fold_for_returns,
)

FAMILIES = (
    "rate",
    "post",
    "fen",
    "slash",
    "fund",
    "term_rate",
    "multiple",
    "per_period",
    "per_first",
    "per_occasion",
    "term_total",
    "total_then_principal",
    "total_principal_term",
    "term_principal_total",
    "form",
    "income_then_principal",
    "principal_then_income",
    "total_in_sentence",
    "warned",
)
"""The pattern families, in the order they are read."""

_BUILDERS = {**return_rate_patterns.PATTERNS, **return_amount_patterns.PATTERNS}
_GATES = {**return_rate_patterns.GATES, **return_amount_patterns.GATES}

FIRST_CHARS: Mapping[str, str] = MappingProxyType(
    {
        "rate": r"\d最高至不保低大约预固参综承许历平实稳年月周日利收回报每天按半业A季租"
        + CN_DIGITS
        + "十",
        "per_period": r"\s\d人" + CN_NUMERAL_CHARS + CUE_FIRST,
        "term_total": r"\d" + CN_NUMERAL_CHARS + CUE_FIRST,
        "income_then_principal": "收回分利每天按一日月周",
        "slash": r"\d" + CN_NUMERAL_CHARS + "收回利年月日息",
        "multiple": r"\d" + CN_NUMERAL_CHARS + "半翻",
        "term_rate": r"\d一二两三四五六七八九十半",
        "warned": "收回",
        "total_in_sentence": r"\d借投存认入缴交",
    }
)
"""For the busiest families, every character a match can start with (a tested invariant).

Their patterns are led by a lookahead on this set (:func:`first_char_guard`): the engine tests
one character class at each position and tries the whole pattern only where it may start,
which makes the ``rate`` family about three times faster on ordinary prose.
"""


_TERM_ENDS = ("月", "期", "周", "天", "年", "季")
NEEDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "post": ("%", "‰", "点", "分", "万"),
        "fen": ("分",),
        "slash": ("/",),
        "fund": ("万份",),
        "term_rate": _TERM_ENDS,
        "multiple": ("翻", "倍"),
        "per_first": ("每",),
        "per_occasion": ("每次",),
        "term_total": _TERM_ENDS,
        "total_then_principal": ("本金",),
        "total_principal_term": ("本",),
        "term_principal_total": ("到期", "期满"),
        "form": ("期限", "周期"),
        "income_then_principal": ("本金", "投", "借", "存", "成本"),
        "principal_then_income": ("本金",),
        "total_in_sentence": ("还", "回", "连本", "本息"),
        "warned": ("收益", "回报"),
    }
)
"""For most families, strings one of which every match of the gate holds (a tested invariant).

A substring test costs a few dozen nanoseconds, a gate search about a microsecond: the reader
tries the gate of a family only where one of these strings is in the text.
"""


def first_char_guard(name: str) -> str:
    """The lookahead that leads the pattern of family ``name`` ("" if it has none)."""
    chars = FIRST_CHARS.get(name)
    return f"(?=[{chars}])" if chars else ""


@dataclass(frozen=True, slots=True)
class Grammar:
    """The compiled pattern families (see the module docstring), their gates, the precheck."""

    precheck: re.Pattern[str]
    """True for any text that may hold a stated return; run on the unfolded text."""
    families: Mapping[str, re.Pattern[str]]
    """Each family of :data:`FAMILIES` by name."""
    gates: Mapping[str, re.Pattern[str]]
    """For each family a cheap search that finds something wherever the family matches."""
    atom: re.Pattern[str]
    """One rate inside a matched value (see :func:`parse_rate`)."""
    continued: re.Pattern[str]
    """A clause that restates a return with a bound and no cue (年利率3.5%的大额存单没有了，现在
    最高3.1%): it takes the period of the return before it."""
    shared: re.Pattern[str]
    """An amount per period without a principal (投资1万元，每天收益50元，一年收益18250元): it
    shares the principal of the reading of amounts before it."""
    shared_total: re.Pattern[str]
    """A total without a principal or a term (投资10万，一年分红2万，连本带利拿回12万): it shares
    both with the reading of amounts before it."""
    threshold: re.Pattern[str]
    """A bare rate that continues a list of thresholds after a return (收益高于年化6%就要警惕，
    超过10%就要……): it takes the period of the return before it."""


@cache
def grammar() -> Grammar:
    """The compiled grammar, built once per process on first use."""
    # The precheck must admit every text that a family can match: each family needs a rate
    # sign, 分/厘 after a number, 翻/倍, or an amount with 元/万/千. It runs on the raw text,
    # so full-width forms are listed too.
    precheck = (
        # led by the class of every character a branch can start with: most positions of a
        # text fail this one test, and the branches are tried only where one may match
        rf"(?=[%％‰﹪翻倍个個分万萬\d０-９一二两兩三四五六七八九十半百千{CN_CAPITALS}息率利化成"
        r"投存借贷貸本认認入下充预缴交月])"
        rf"(?:[%％‰﹪翻倍]|[个個][点點]|分之|万份|萬份|[\d０-９一二两兩三四五六七八九十半{CN_CAPITALS}][分厘角毛]"
        rf"|[\d０-９一二两兩三四五六七八九十百千万萬{CN_CAPITALS}]\s*[元块塊]"
        rf"|[\d０-９一二两兩三四五六七八九十{CN_CAPITALS}]\s*[万萬千仟亿億]"
        r"|[\d０-９]\s*(?:[wWkK](?![a-zA-Z])|USDT|usdt|[Uu](?![a-zA-Z]))"
        r"|[息率利化]\s*[万萬][一二两三四五六七八九]|成的?[利息收回]|月(?:息|利率?)\s*[\d０-９]"
        r"|(?:投[资資入]?|存|借|贷款|貸款|本金|认购|認購|入股|入金|入单|下款|充值|预交|缴纳|交纳)了?"
        rf"\s*(?:人民币)?[\d０-９一二两兩三四五六七八九十{CN_CAPITALS}])"
    )
    return Grammar(
        precheck=re.compile(precheck),
        families=MappingProxyType(
            {name: re.compile(first_char_guard(name) + _BUILDERS[name]()) for name in FAMILIES}
        ),
        gates=MappingProxyType({name: re.compile(_GATES[name]) for name in FAMILIES}),
        atom=re.compile(
            rf"(?P<prefix>{SCALE_PREFIX}|万(?=[一二两三四五六七八九]))?(?P<num>{NUM})"
            r"(?P<suffix>\s*(?:%|‰|个点)|分(?P<tenth>[0-9一二两三四五六七八九]|半)?厘?"
            r"|厘(?P<hundredth>[0-9一二两三四五六七八九](?![\d.]))?|[角毛]"
            r"|成)?"
        ),
        continued=re.compile(return_rate_patterns.continued_pattern()),
        shared=re.compile(return_amount_patterns.shared_pattern()),
        shared_total=re.compile(return_amount_patterns.shared_total_pattern()),
        threshold=re.compile(return_rate_patterns.threshold_pattern()),
    )


# ---------------------------------------------------------------- rate values


@dataclass(frozen=True, slots=True)
class RateValue:
    """A rate as written: one number or a range, in one scale.

    ``low`` and ``high`` are in the units of ``scale`` (percent, per mille, per 10,000, or
    分 — where 5厘 is 0.5 分); they are equal for a single rate.
    """

    low: Decimal
    high: Decimal
    scale: Scale

    @property
    def is_range(self) -> bool:
        """Whether the text gave a range (8%–12%)."""
        return self.low != self.high


def _atom_scale(prefix: str | None, suffix: str | None) -> Scale | None:
    marker = (prefix or "") + (suffix or "").strip()
    if not marker:
        return None
    if marker in {"百分之", "%", "个点"}:
        return "percent"
    if marker in {"千分之", "‰"}:
        return "permille"
    if marker in {"万分之", "万"}:
        return "per_10k"
    if marker == "成":
        return "percent"  # the number was multiplied by 10 (一成 = 10 %)
    if marker in {"角", "毛"}:
        return "jiao"
    return "fen"


@lru_cache(maxsize=4096)
def parse_rate(text: str) -> RateValue | None:
    """Read a matched value (``8%-12%``, ``1分5`` of 月息1分5, ``千分之三``, ``万五``) or ``None``.

    A bare number in a range takes the scale of the other end (8-12% is 8% to 12%). Returns
    ``None`` when no end carries a scale, the scales differ, or a number cannot be read. The
    same few values recur in every text (12%, 2分): results are cached (a value is immutable).

    Examples:
        >>> parse_rate("8%-12%")
        RateValue(low=Decimal('8'), high=Decimal('12'), scale='percent')
        >>> parse_rate("1分5")
        RateValue(low=Decimal('1.5'), high=Decimal('1.5'), scale='fen')
        >>> parse_rate("千分之三到五")
        RateValue(low=Decimal('3'), high=Decimal('5'), scale='permille')
    """
    numbers: list[Decimal] = []
    scales: list[Scale | None] = []
    for atom in grammar().atom.finditer(text):
        try:
            number = parse_number(atom.group("num"))
        except ValueError:
            return None
        suffix = atom.group("suffix")
        if suffix is not None and suffix.startswith("厘"):
            number /= 10
            if atom.group("hundredth") is not None:  # 七厘五 = 0.75 分
                number += parse_number(atom.group("hundredth")) / 100
        elif suffix == "成":
            number *= 10
        elif atom.group("tenth") is not None:
            tenth = atom.group("tenth")
            number += Decimal("0.5") if tenth == "半" else parse_number(tenth) / 10
        numbers.append(number)
        scales.append(_atom_scale(atom.group("prefix"), suffix))
    known = {s for s in scales if s is not None}
    if not numbers or len(numbers) > 2 or len(known) != 1:
        return None
    low, high = min(numbers), max(numbers)
    return RateValue(low, high, known.pop())


__all__ = [
    "AMOUNT",
    "CONNECTORS",
    "FAMILIES",
    "FIRST_CHARS",
    "NEEDS",
    "NUM",
    "QUAL_PRE",
    "TERM",
    "VALUE",
    "Grammar",
    "RateValue",
    "Scale",
    "first_char_guard",
    "fold_for_returns",
    "grammar",
    "parse_rate",
]
