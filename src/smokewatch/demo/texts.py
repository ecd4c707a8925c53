"""Templates and word pools of the demo city's text documents (``demo/data/documents.yml``).

A :class:`DocumentPattern` is a family of documents — unlicensed firms' ads promising returns
above the legal ceiling, loan-intermediary SMS, news of an investigation, public-education
notices — with templates whose ``{slots}`` the planter fills. Lure slots carry a fact (every
value of the pool is a guarantee, a return promise, or words of one scheme group); ``{rate}``
is a promised return of the pattern's rate class, written and annualised here by
:func:`draw_promise`, so the rate a document promises is a fact its planter states rather than
a reading of the text.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

import numpy as np

from smokewatch.demo.planting import SCHEME_GROUPS, DocumentFacts
from smokewatch.errors import ConfigError, Location, Problem
from smokewatch.model._yaml import load_yaml_resource, package_dir
from smokewatch.model.vocab import get_vocabulary

LURE_FACTS: tuple[str, ...] = ("guarantee", "return_promise", *SCHEME_GROUPS)
"""Facts a lure pool may carry."""

SUBJECTS: tuple[str, ...] = (
    "unlicensed",
    "platform",
    "pension",
    "farm",
    "coin",
    "broker",
    "bank",
    "wealth",
    "lender",
    "shop",
    "none",
    "given",
)
"""Whom a pattern's documents are about (see :mod:`smokewatch.demo.planters.documents`);
``given``: the planter that writes them chooses the subject, the day and how many."""

PLANTERS: tuple[str, ...] = ("promotions", "lending", "events", "quiet", "attention", "smoke")
"""The planters a pattern may name: the document planters
(:mod:`smokewatch.demo.planters.documents`), and those that write documents about the
enterprises they design (:mod:`~smokewatch.demo.planters.attention`,
:mod:`~smokewatch.demo.planters.smoke`)."""

_GIVEN_PLANTERS = ("attention", "smoke")
"""Planters that choose the subject of their patterns' documents themselves."""

ATTRIBUTED_KINDS = frozenset({"ad", "web_page", "notice", "complaint"})
"""Kinds whose export names the subject (相关主体) unless a pattern says otherwise."""

COMPUTED_SLOTS = frozenset(
    {
        "company",
        "brand",
        "platform",
        "address",
        "phone",
        "wechat",
        "qq",
        "police",
        "court",
        "person",
        "sum",
        "people",
        "since",
        "month",
        "site",
        "n",
        "m",
        "x",
        "pct",
        "share",
        "rate",
    }
)
"""Slots the planter fills itself (names, places, numbers, the promised rate)."""

_SLOT = re.compile(r"\{([a-z_]+?)(\d?)\}")


# ---------------------------------------------------------------- promised returns


@dataclass(frozen=True, slots=True)
class Promise:
    """A promised return as a document writes it, with its yearly rate (simple, percent)."""

    phrase: str
    annual: Decimal
    lure: str | None = None
    """A fact the phrase carries by itself: 投资1万元每月返息300元 says 每月返息, a return
    promise."""


def _d(value: str | int) -> Decimal:
    return Decimal(str(value))


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _per_year(phrases: Sequence[str], values: Sequence[str]) -> list[Promise]:
    return [Promise(p.format(v=v), _d(v)) for p in phrases for v in values]


def _per_month(phrases: Sequence[str], values: Sequence[str]) -> list[Promise]:
    return [Promise(p.format(v=v), _d(v) * 12) for p in phrases for v in values]


def _per_day(phrases: Sequence[str], values: Sequence[str]) -> list[Promise]:
    return [Promise(p.format(v=v), _d(v) * 365) for p in phrases for v in values]


def _per_10k_day(values: Sequence[str]) -> list[Promise]:
    # 每万元每天收益v元: v / 10,000 a day, × 365, in percent.
    return [Promise(f"每万元每天收益{v}元", _d(v) * 365 / 100) for v in values]


def _monthly_payout(wan: int, yuan: Sequence[int]) -> list[Promise]:
    # 投资{wan}万元每月返息{yuan}元: yuan / (wan × 10,000) a month, × 12, in percent.
    return [
        Promise(f"投资{wan}万元每月返息{y}元", _d(y) * 12 / (wan * 100), "return_promise")
        for y in yuan
    ]


def _yearly_payout(wan: int, yuan: Sequence[int]) -> list[Promise]:
    return [Promise(f"投资{wan}万元，每年返息{y}元", _d(y) / (wan * 100)) for y in yuan]


def _principal_and_interest(totals: Sequence[str]) -> list[Promise]:
    # 本金10万元，一年后连本带息共t万元: (t − 10) / 10 over one year.
    return [Promise(f"本金10万元，一年后连本带息共{t}万元", (_d(t) - 10) * 10) for t in totals]


def _ranges(pairs: Sequence[tuple[str, str]], phrase: str = "年化收益{lo}%-{hi}%") -> list[Promise]:
    return [Promise(phrase.format(lo=lo, hi=hi), _d(hi)) for lo, hi in pairs]


_ANNUAL = ("预期年化收益{v}%", "年化收益率高达{v}%", "年化回报{v}%")


@cache
def promise_classes() -> Mapping[str, tuple[Promise, ...]]:
    """The promised returns of each rate class a pattern may name.

    Classes name the band a rate is meant for in the default city (one-year LPR 3.00 %):
    ``ceiling`` above 4 × LPR (``ceiling_plain``: those whose wording is no lure word by
    itself, for news that reports the promise inside a bait frame), ``high`` between 2 × and
    4 × (``high_plain``: without lure wording), ``elevated`` between 1.5 × and 2 ×,
    ``market`` at most 1.5 ×. The band each document
    is expected in is derived from its rate and the LPR of its publication date, not from the
    class.

    Examples:
        >>> [(p.phrase, p.annual) for p in promise_classes()["ceiling"] if "月息" in p.phrase]
        [('投资月息2分', Decimal('24')), ('投资月息3分', Decimal('36'))]
    """
    ceiling = [
        *_per_year(_ANNUAL, ("15", "16", "18", "20", "24", "30", "36")),
        *_per_month(("月收益{v}%", "每月收益{v}%"), ("1.5", "2", "2.5", "3")),
        *_per_month(("投资月息{v}分",), ("2", "3")),
        *_per_10k_day(("5", "6", "8", "10")),
        *_monthly_payout(1, (200, 250, 300)),
        *_principal_and_interest(("12", "12.5", "13")),
    ]
    high = [
        *_per_year(_ANNUAL, ("7.5", "8", "8.8", "9", "9.6", "10")),
        *_per_month(("月收益{v}%",), ("0.7", "0.8")),
        *_monthly_payout(10, (700, 800)),
        *_per_10k_day(("2.5",)),
    ]
    pretext_rates = [
        *_per_year(("年回报率{v}%",), ("9", "10", "15", "18", "20")),
        *_yearly_payout(10, (9000, 10000, 15000)),
    ]
    return {
        "ceiling": tuple(ceiling),
        "ceiling_plain": tuple(p for p in ceiling if p.lure is None),
        "high": tuple(high),
        "high_plain": tuple(p for p in high if p.lure is None),
        "elevated": tuple(_per_year(("预期年化收益{v}%", "年化收益率{v}%"), ("5.2", "5.3"))),
        "range": tuple(_ranges((("12", "18"), ("10", "20"), ("15", "24"), ("8", "16")))),
        "daily": (
            *_per_day(("日收益{v}%", "每天收益{v}%"), ("0.5", "0.8", "1", "1.2", "1.5")),
            *_per_10k_day(("20", "30", "50")),
        ),
        "high_or_ceiling": tuple(pretext_rates),
        "market": tuple(_per_year(("年利率{v}%",), ("1.75", "2.15", "2.6", "3"))),
        "market_range": tuple(
            _ranges((("2.6", "3.2"), ("2.8", "3.4"), ("2.5", "3.0")), "年化{lo}%-{hi}%")
        ),
    }


def draw_promise(rng: np.random.Generator, rate_class: str) -> Promise:
    """A promised return of ``rate_class`` (see :func:`promise_classes`)."""
    options = promise_classes()[rate_class]
    return options[int(rng.integers(0, len(options)))]


# ---------------------------------------------------------------- the data file


@dataclass(frozen=True, slots=True)
class Outlet:
    """A channel that carries documents of one kind, and how its URLs look."""

    name: str
    url: str | None = None
    """URL prefix (``{site}`` is the subject's site name); ``None`` for print and SMS."""
    wording: str | None = None
    """How the export writes the kind for this outlet (公众号), if not the kind's wording."""


@dataclass(frozen=True, slots=True)
class KindStyle:
    """How the export writes one document kind: its wording, reference prefix and outlets."""

    kind: str
    wording: tuple[str, ...]
    reference: str
    outlets: tuple[Outlet, ...]


@dataclass(frozen=True, slots=True)
class LurePool:
    """Fillers of a lure slot; every value states the pool's fact."""

    name: str
    fact: str
    values: tuple[str, ...]

    def facts(self) -> DocumentFacts:
        """The fact a filler of this pool adds to its document."""
        if self.fact == "guarantee":
            return DocumentFacts(guarantee=True)
        if self.fact == "return_promise":
            return DocumentFacts(return_promise=True)
        return DocumentFacts(schemes=frozenset({self.fact}))


@dataclass(frozen=True, slots=True)
class Template:
    """One wording of a pattern: an optional title and the text, both with ``{slots}``."""

    text: str
    title: str | None = None

    def slots(self) -> list[str]:
        """The slot names in title and text, in order (``warning2`` → ``warning2``)."""
        return [m.group(1) + m.group(2) for m in _SLOT.finditer((self.title or "") + self.text)]


@dataclass(frozen=True, slots=True)
class DocumentPattern:
    """A family of planted documents (one entry of ``patterns:``)."""

    id: str
    planter: str
    """The planter that writes it (its random stream): promotions, lending, events, quiet."""
    kind: str
    subject: str
    attribute: bool
    """The export names the subject (advertiser, complained-about firm) in 相关主体; by default
    for ads, web pages, notices and complaints, not for news, posts and SMS."""
    count: int
    """Documents in the default city (``given`` patterns: not used, the planter decides)."""
    rate: str | None
    facts: DocumentFacts
    note: str
    templates: tuple[Template, ...]


@dataclass(frozen=True, slots=True)
class DocumentTexts:
    """Everything ``demo/data/documents.yml`` holds."""

    kinds: Mapping[str, KindStyle]
    slots: Mapping[str, tuple[str, ...]]
    lures: Mapping[str, LurePool]
    patterns: tuple[DocumentPattern, ...]

    def pattern(self, pattern_id: str) -> DocumentPattern:
        """One pattern by id."""
        for pattern in self.patterns:
            if pattern.id == pattern_id:
                return pattern
        raise KeyError(f"unknown document pattern {pattern_id!r}")


def base_slot(name: str) -> str:
    """The pool a slot draws from: ``warning2`` draws from ``warning``."""
    return name.rstrip(string.digits)


def _strs(values: Sequence[Any] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def _kinds(raw: Mapping[str, Any]) -> dict[str, KindStyle]:
    return {
        str(kind): KindStyle(
            kind=str(kind),
            wording=_strs(style["wording"]),
            reference=str(style["reference"]),
            outlets=tuple(
                Outlet(str(o["name"]), o.get("url"), o.get("wording")) for o in style["outlets"]
            ),
        )
        for kind, style in raw.items()
    }


def _facts(raw: Mapping[str, Any] | None) -> DocumentFacts:
    raw = raw or {}
    return DocumentFacts(
        guarantee=bool(raw.get("guarantee", False)),
        return_promise=bool(raw.get("return_promise", False)),
        schemes=frozenset(_strs(raw.get("schemes"))),
        events=frozenset(_strs(raw.get("events"))),
    )


def _pattern(raw: Mapping[str, Any]) -> DocumentPattern:
    kind = str(raw["kind"])
    return DocumentPattern(
        id=str(raw["id"]),
        planter=str(raw["planter"]),
        kind=kind,
        subject=str(raw["subject"]),
        attribute=bool(raw.get("attribute", kind in ATTRIBUTED_KINDS)),
        count=int(raw.get("count", 0)),
        rate=raw.get("rate"),
        facts=_facts(raw.get("facts")),
        note=str(raw["note"]),
        templates=tuple(Template(str(t["text"]), t.get("title")) for t in raw["templates"]),
    )


def _check_pattern(pattern: DocumentPattern, texts: DocumentTexts, known: set[str]) -> list[str]:
    """The problems of one pattern: unknown planter, kind, subject, rate class or slots."""
    where = f"patterns.{pattern.id}"
    problems: list[str] = []
    if pattern.planter not in PLANTERS:
        problems.append(f"{where}: unknown planter {pattern.planter!r}")
    if pattern.kind not in texts.kinds:
        problems.append(f"{where}: no style for kind {pattern.kind!r}")
    if pattern.subject not in SUBJECTS:
        problems.append(f"{where}: unknown subject {pattern.subject!r}")
    if (pattern.subject == "given") != (pattern.planter in _GIVEN_PLANTERS):
        problems.append(f"{where}: subject `given` goes with the planters {_GIVEN_PLANTERS}")
    if pattern.rate is not None and pattern.rate not in promise_classes():
        problems.append(f"{where}: unknown rate class {pattern.rate!r}")
    for template in pattern.templates:
        slots = template.slots()
        unknown = sorted({s for s in slots if base_slot(s) not in known})
        if unknown:
            problems.append(f"{where}: unknown slots {', '.join(unknown)}")
        if "rate" in slots and pattern.rate is None:
            problems.append(f"{where}: {{rate}} needs a rate class (`rate:`)")
    return problems


def _check(texts: DocumentTexts) -> list[str]:
    """Every problem of the data file: unknown kinds, subjects, rate classes, slots, facts."""
    problems: list[str] = []
    vocabulary = get_vocabulary("document_kind")
    for style in texts.kinds.values():
        if style.kind not in vocabulary.terms:
            problems.append(f"kinds: {style.kind} is not a document_kind term")
    known = set(texts.slots) | set(texts.lures) | COMPUTED_SLOTS
    for pool in texts.lures.values():
        if pool.fact not in LURE_FACTS:
            problems.append(f"lures.{pool.name}: unknown fact {pool.fact!r}")
    ids = [p.id for p in texts.patterns]
    problems += [
        f"patterns: {i} appears twice" for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    for pattern in texts.patterns:
        problems += _check_pattern(pattern, texts, known)
    return problems


@cache
def load_document_texts() -> DocumentTexts:
    """Load ``demo/data/documents.yml`` (cached).

    Raises:
        ConfigError: a key is missing, a value has the wrong shape, or a pattern names an
            unknown kind, subject, rate class, slot or fact.
    """
    node = package_dir("smokewatch.demo", "data") / "documents.yml"
    raw = load_yaml_resource(node)
    try:
        texts = DocumentTexts(
            kinds=_kinds(raw["kinds"]),
            slots={str(k): _strs(v) for k, v in raw["slots"].items()},
            lures={
                str(k): LurePool(str(k), str(v["fact"]), _strs(v["values"]))
                for k, v in raw["lures"].items()
            },
            patterns=tuple(_pattern(p) for p in raw["patterns"]),
        )
        problems = _check(texts)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError([Problem(f"bad document texts: {exc!r}", Location(str(node)))]) from exc
    if problems:
        raise ConfigError([Problem(p, Location(str(node))) for p in problems])
    return texts


# ---------------------------------------------------------------- filling templates


@dataclass(frozen=True, slots=True)
class Filled:
    """A template with its slots filled, and the facts the fillers state."""

    title: str | None
    text: str
    facts: DocumentFacts
    promise: Promise | None


Computed = Mapping[str, str | Callable[[], str]]
"""Values of computed slots: a string, or a function called at every occurrence (numbers)."""


def fill(
    template: Template,
    *,
    rng: np.random.Generator,
    texts: DocumentTexts,
    computed: Computed,
    rate_class: str | None,
    facts: DocumentFacts,
) -> Filled:
    """Fill every slot of ``template``; lure fillers and the promised rate add to ``facts``.

    Slots with a digit suffix (``warning2``) draw another value of the same pool. Values may
    hold slots of their own (资金由{bank}全程存管), filled the same way. A slot keeps its value
    throughout the document, except computed functions, which give a new value each time.
    """
    chosen: dict[str, str] = {}
    drawn: dict[str, set[str]] = {}
    gathered = [facts]
    promised: list[Promise] = []

    def value(match: re.Match[str]) -> str:
        name = match.group(1) + match.group(2)
        if name in chosen:
            return chosen[name]
        base = match.group(1)
        given = computed.get(base)
        if callable(given):
            return given()
        if base == "rate":
            if rate_class is None:
                raise ConfigError([Problem(f"{{rate}} without a rate class: {template.text}")])
            promise = draw_promise(rng, rate_class)
            promised.append(promise)
            gathered.append(DocumentFacts(promised_rate=promise.annual))
            if promise.lure is not None:
                gathered.append(LurePool("rate", promise.lure, ()).facts())
            chosen[name] = promise.phrase
        elif given is not None:
            chosen[name] = given
        else:
            pool = texts.lures.get(base)
            values = pool.values if pool is not None else texts.slots[base]
            taken = drawn.setdefault(base, set())
            free = [v for v in values if v not in taken] or list(values)
            picked = free[int(rng.integers(0, len(free)))]
            taken.add(picked)
            chosen[name] = _SLOT.sub(value, picked)
            if pool is not None:
                gathered.append(pool.facts())
        return chosen[name]

    title = _SLOT.sub(value, template.title) if template.title else None
    text = _SLOT.sub(value, template.text)
    merged = gathered[0]
    for more in gathered[1:]:
        merged = merged.merge(more)
    return Filled(title, text, merged, promised[0] if promised else None)


__all__ = [
    "ATTRIBUTED_KINDS",
    "COMPUTED_SLOTS",
    "LURE_FACTS",
    "PLANTERS",
    "SUBJECTS",
    "Computed",
    "DocumentPattern",
    "DocumentTexts",
    "Filled",
    "KindStyle",
    "LurePool",
    "Outlet",
    "Promise",
    "Template",
    "base_slot",
    "draw_promise",
    "fill",
    "load_document_texts",
    "promise_classes",
]
