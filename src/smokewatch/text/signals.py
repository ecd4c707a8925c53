"""Lure and typology signals in free text, with negations, prohibitions and warnings discounted.

Ads, posts and messages that lure the public into illegal fundraising use a recognisable
language: 保本保息, 稳赚不赔, 日日分红, 拉人头, 与某银行合作, 黑户可贷, 解冻费. The same words fill
the texts that fight them — public-education notices (谨防“高回报”陷阱), compliance wording
(本平台不承诺保本保息), statutes (不得向投资者承诺投资本金不受损失) and news (以高额回报为诱饵非法
吸收公众存款). :func:`find_signals` finds the words of a lexicon (``lure_terms`` by default) and
the claims of ``signal_patterns.yml`` (bank partnerships, regulator endorsements, officials),
then sorts every hit into

* :attr:`SignalAnalysis.signals` — the text affirms it;
* :attr:`SignalAnalysis.discounted` — the text denies, forbids, warns against or reports it,
  with the cue, the rule and the reason in Chinese and English.

How a hit is judged. The text is cut into sentences (。 ! ? ; line breaks) and clauses (also
, and :, but not 、). The discount rules of ``signal_patterns.yml`` are tried in order; each looks
for its pattern in the hit's clause or sentence, right before it (不承诺|保本保息), anywhere
before it (谨防…|高回报), right after it (高回报|陷阱), anywhere after it (保本保息…|都是诈骗) or
around a quoted hit in a warning sentence. The first that applies discounts the hit. Cues never
lie inside the hit (无风险 starts with 无) and a warning's reach stops at a contrast or at the
text speaking for itself (但是, 我们, 本平台): 谨防诈骗，认准本平台，稳赚不赔 fires. A negated
warning is no warning (本平台绝非非法集资，保本保息 fires), a negated negation is an affirmation
(没有不保本的 fires), and a lure affirmed after a contrast fires (别人不保本，我们保本保息 gives
保本 discounted and 保本保息 counted). Words listed after a negated word share its negation
(不承诺保本保息、高额回报).

Speed. Texts without any hit cost one Aho–Corasick pass plus a few substring tests for the
claims; only texts with hits are folded and cut. A rule's matches in a clause or sentence are
found once and shared by the hits there, so a page that repeats a lure thousands of times in
one sentence costs about its length (:mod:`~smokewatch.text.signal_judge`). Build a
:class:`SignalScanner` once per process or batch (or call :func:`find_signals`, which caches
the default one).

Examples:
    >>> [s.term for s in find_signals("本平台保本保息，日日分红").signals]
    ['保本保息', '日日分红']
    >>> analysis = find_signals("本平台不承诺保本保息，谨防“高回报”陷阱")
    >>> analysis.signals
    ()
    >>> [(s.term, s.rule, s.cue) for s in analysis.discounted]
    [('保本保息', 'negated_commitment', '不承诺'), ('高回报', 'warning_verb', '谨防')]
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from smokewatch.text.lexicon import Lexicon, LexiconTerm, SourceStatus, load_lexicon
from smokewatch.text.matcher import fold_for_matching
from smokewatch.text.signal_judge import Judge
from smokewatch.text.signal_patterns import (
    ClaimPattern,
    DiscountKind,
    SignalPatterns,
    lure_signal_patterns,
)

DEFAULT_LEXICON = "lure_terms"
"""The lexicon :func:`find_signals` uses when none is given."""


@dataclass(frozen=True, slots=True)
class Signal:
    """One lure word or claim in a text, counted or discounted.

    ``start`` and ``end`` are code-point offsets into the original text (end exclusive), so
    ``text[start:end] == signal.text``.
    """

    kind: str
    """The category, a dotted key such as ``fundraising.guarantee``."""
    term: str
    """The canonical word (a variant such as 稳赚不亏 is reported as 稳赚不赔) or claim name."""
    text: str
    """The surface exactly as written."""
    start: int
    end: int
    weight: float
    """How strongly an affirmed occurrence signals illegal fundraising or fraud (0..1)."""
    source: str
    """The lexicon source id behind the word, or the id of the claim pattern."""
    citation: str
    """A readable citation of that source (statute and article where there is one); for a
    claim, what the claim pattern looks for (声称与银行合作、由银行存管或担保)."""
    negated: bool = False
    """True when the text does not affirm it: denied, forbidden, warned against or reported."""
    cue: str | None = None
    """The words that discount it (不承诺, 谨防, 都是诈骗), as written in the text."""
    rule: str | None = None
    """The id of the discount rule in ``signal_patterns.yml``."""
    discount: DiscountKind | None = None
    reason_zh: str | None = None
    reason_en: str | None = None
    value: str | None = None
    """For claims: the party named (中国工商银行, 证监会); ``None`` for words."""

    def reason(self, lang: str = "zh") -> str | None:
        """Why it was discounted, in ``zh`` (any ``zh-*``) or English; ``None`` if counted."""
        return self.reason_zh if lang.startswith("zh") else self.reason_en


@dataclass(frozen=True, slots=True)
class SignalAnalysis:
    """The lure signals of one text: those the text affirms and those it does not."""

    signals: tuple[Signal, ...]
    """Affirmed signals, left to right."""
    discounted: tuple[Signal, ...]
    """Negated, forbidden, warned-against or reported hits, left to right, with reasons."""

    @property
    def kinds(self) -> tuple[str, ...]:
        """The distinct categories of the affirmed signals, in order of first appearance."""
        return tuple(dict.fromkeys(s.kind for s in self.signals))

    @property
    def terms(self) -> tuple[str, ...]:
        """The distinct affirmed terms, in order of first appearance."""
        return tuple(dict.fromkeys(s.term for s in self.signals))

    @property
    def score(self) -> float:
        """1 − Π(1 − weight) over the distinct affirmed terms: 0 without signals, below 1.

        Each term counts once however often it is repeated, so a text cannot raise its score
        by repeating 保本.
        """
        weights: dict[str, float] = {}
        for signal in self.signals:
            weights[signal.term] = max(weights.get(signal.term, 0.0), signal.weight)
        remaining = 1.0
        for weight in weights.values():
            remaining *= 1.0 - weight
        return 1.0 - remaining

    def outside_names(self, names: Iterable[tuple[int, int, str]]) -> SignalAnalysis:
        """This analysis with the words that lie inside a name moved to :attr:`discounted`.

        ``names`` are the ``(start, end, text)`` of the organisation or platform names found in
        the same text (:func:`smokewatch.text.mentions.find_mentions`): 养老服务 in 芜湖康泰养老服务
        有限公司 names the company, it does not say that the text raises money for elderly care.

        Examples:
            >>> text = "芜湖康泰养老服务有限公司招募会员"
            >>> found = find_signals(text)
            >>> [s.term for s in found.signals]
            ['养老服务']
            >>> kept = found.outside_names([(0, 12, text[:12])])
            >>> kept.signals, [(s.term, s.rule, s.cue) for s in kept.discounted]
            ((), [('养老服务', 'in_name', '芜湖康泰养老服务有限公司')])
        """
        spans = sorted(names)
        if not spans or not self.signals:
            return self
        kept: list[Signal] = []
        moved: list[Signal] = []
        for signal in self.signals:
            name = next((n for a, b, n in spans if a <= signal.start and signal.end <= b), None)
            if name is None or signal.value is not None:
                kept.append(signal)
                continue
            moved.append(_in_name(signal, name))
        if not moved:
            return self
        discounted = sorted((*self.discounted, *moved), key=lambda s: (s.start, s.end))
        return SignalAnalysis(tuple(kept), tuple(discounted))

    def describe(self, lang: str = "zh") -> str:
        """One sentence for evidence, in Chinese (``zh``) or English.

        Examples:
            >>> find_signals("保本保息！别人不保本，我们保本").describe()
            '含诱导性用语“保本保息”“保本”；另有 1 处出现于否定语境，未计入'
        """
        zh = lang.startswith("zh")
        if self.signals:
            terms = "".join(f"“{t}”" for t in self.terms)
            head = f"含诱导性用语{terms}" if zh else "Lure words: " + ", ".join(self.terms)
        else:
            head = "未含计入的诱导性用语" if zh else "No lure word counts"
        kinds = [k for k in _DISCOUNT_LABELS if any(s.discount is k for s in self.discounted)]
        if not kinds:
            return head
        counts = {k: sum(s.discount is k for s in self.discounted) for k in kinds}
        if zh:
            where = "、".join(_DISCOUNT_LABELS[k][0] for k in kinds)
            return f"{head}；另有 {sum(counts.values())} 处出现于{where}语境，未计入"
        tail = ", ".join(f"{counts[k]} {_DISCOUNT_LABELS[k][1]}" for k in kinds)
        return f"{head}; not counted: {tail}"


def _in_name(signal: Signal, name: str) -> Signal:
    return dataclasses.replace(
        signal,
        negated=True,
        cue=name,
        rule="in_name",
        discount=DiscountKind.NAME,
        reason_zh="用语是机构或平台名称的一部分，不是文本的表述",
        reason_en="Part of an organisation's or platform's name, not a claim of the text",
    )


_DISCOUNT_LABELS = {
    DiscountKind.NEGATION: ("否定", "negated"),
    DiscountKind.PROHIBITION: ("禁止", "forbidden"),
    DiscountKind.WARNING: ("警示", "in warnings"),
    DiscountKind.DESCRIPTION: ("转述", "reported"),
    DiscountKind.NAME: ("名称", "in names"),
}

_EMPTY = SignalAnalysis((), ())


class _Found(NamedTuple):
    """A hit before judging: a lexicon word or a claim."""

    start: int
    end: int
    term: str
    kind: str
    weight: float
    source: str
    citation: str
    value: str | None


def _cited_source(lexicon: Lexicon, entry: LexiconTerm) -> tuple[str, str]:
    """The source a word is cited with: its first binding source, else its first source."""
    sources = [lexicon.source(s) for s in entry.sources]
    best = next((s for s in sources if s.status is SourceStatus.BINDING), sources[0])
    return best.id, best.citation()


class SignalScanner:
    """Finds lure signals with one lexicon and one set of patterns (see the module docstring).

    Args:
        lexicon: the words to look for; by default the packaged ``lure_terms``. A word without
            a category is reported with the lexicon's name as its kind.
        patterns: discount rules and claims; by default the packaged ``signal_patterns``
            without the rules that read around reported events only (``events_only``).
    """

    __slots__ = (
        "_breaks",
        "_claims",
        "_gate",
        "_info",
        "_matcher",
        "_quotes",
        "_trim",
        "lexicon",
        "patterns",
    )

    def __init__(
        self, lexicon: Lexicon | None = None, patterns: SignalPatterns | None = None
    ) -> None:
        self.lexicon = lexicon if lexicon is not None else load_lexicon(DEFAULT_LEXICON)
        self.patterns = patterns if patterns is not None else lure_signal_patterns()
        self._matcher = self.lexicon.matcher()
        self._info: dict[str, tuple[str, float, str, str]] = {}
        for entry in self.lexicon.terms:
            source, citation = _cited_source(self.lexicon, entry)
            kind = entry.category or self.lexicon.name
            self._info[entry.term] = (kind, entry.weight, source, citation)
        self._claims: tuple[ClaimPattern, ...] = self.patterns.claims
        literals = sorted({lit for c in self._claims for lit in c.requires}, key=len, reverse=True)
        self._gate = re.compile("|".join(map(re.escape, literals)) or r"(?!)")
        breaks = self.patterns.clause_breaks
        self._breaks = re.compile("[" + re.escape("".join(sorted(breaks))) + "]")
        quotes = self.patterns.quotes_open | self.patterns.quotes_close
        self._trim = frozenset(quotes | {" "})
        self._quotes = re.compile("[" + re.escape("".join(sorted(quotes))) + "]")

    def __reduce__(self) -> tuple[type[SignalScanner], tuple[Lexicon, SignalPatterns]]:
        return (SignalScanner, (self.lexicon, self.patterns))

    def __repr__(self) -> str:
        return f"SignalScanner({self.lexicon.name!r}, {len(self._claims)} claims)"

    def scan(self, text: str | None) -> SignalAnalysis:
        """The signals of one text; ``None`` and the empty string give none."""
        if not text:
            return _EMPTY
        found = [
            _Found(m.start, m.end, m.term, *self._info[m.term], None)
            for m in self._matcher.find(text)
        ]
        folded: str | None = None
        claimed = False
        for claim in self._claims if self._gate.search(text) else ():
            if not any(literal in text for literal in claim.requires):
                continue
            folded = folded if folded is not None else fold_for_matching(text)
            for match in claim.regex.finditer(folded):
                claimed = True
                found.append(
                    _Found(
                        match.start(),
                        match.end(),
                        claim.term,
                        claim.category,
                        claim.weight,
                        claim.id,
                        claim.zh,
                        text[match.start("party") : match.end("party")],
                    )
                )
        if not found:
            return _EMPTY
        if claimed:
            found = _without_overlaps(found)
        folded = folded if folded is not None else fold_for_matching(text)
        return self._judge_all(text, folded, found)

    def _judge_all(self, text: str, folded: str, found: list[_Found]) -> SignalAnalysis:
        judge = Judge(folded, self.patterns, self._breaks, self._trim, self._quotes)
        signals: list[Signal] = []
        discounted: list[Signal] = []
        for hit in found:
            verdict = judge.verdict(hit.start, hit.end)
            surface = text[hit.start : hit.end]
            if verdict is None:
                signals.append(
                    Signal(
                        hit.kind,
                        hit.term,
                        surface,
                        hit.start,
                        hit.end,
                        hit.weight,
                        hit.source,
                        hit.citation,
                        value=hit.value,
                    )
                )
                continue
            rule, cue = verdict
            discounted.append(
                Signal(
                    hit.kind,
                    hit.term,
                    surface,
                    hit.start,
                    hit.end,
                    hit.weight,
                    hit.source,
                    hit.citation,
                    negated=True,
                    cue=cue,
                    rule=rule.id,
                    discount=rule.kind,
                    reason_zh=rule.zh,
                    reason_en=rule.en,
                    value=hit.value,
                )
            )
        return SignalAnalysis(tuple(signals), tuple(discounted))


def _without_overlaps(found: list[_Found]) -> list[_Found]:
    """Leftmost-longest among words and claims together (a claim usually covers a word)."""
    found.sort(key=lambda f: (f.start, f.start - f.end))
    kept: list[_Found] = []
    taken = 0
    for hit in found:
        if hit.start >= taken:
            kept.append(hit)
            taken = hit.end
    return kept


@cache
def default_signal_scanner() -> SignalScanner:
    """The scanner over the packaged ``lure_terms`` and ``signal_patterns`` (built once)."""
    return SignalScanner()


_SCANNERS: dict[int, tuple[Lexicon, SignalScanner]] = {}
"""Scanners for explicitly given lexicons, by identity (hashing a lexicon per call is slow)."""


def scanner_for(lexicon: Lexicon | None = None) -> SignalScanner:
    """The cached scanner for ``lexicon`` (the packaged default when ``None``)."""
    if lexicon is None:
        return default_signal_scanner()
    entry = _SCANNERS.get(id(lexicon))
    if entry is None or entry[0] is not lexicon:
        if len(_SCANNERS) >= 16:
            _SCANNERS.clear()
        entry = (lexicon, SignalScanner(lexicon))
        _SCANNERS[id(lexicon)] = entry
    return entry[1]


def find_signals(text: str | None, lexicon: Lexicon | None = None) -> SignalAnalysis:
    """Lure and typology signals in ``text``: affirmed ones and discounted ones.

    ``lexicon`` defaults to the packaged ``lure_terms``; the claims and discount rules are
    those of ``signal_patterns.yml``. Scanners are built once per lexicon and cached.

    Examples:
        >>> analysis = find_signals("别人不保本，我们保本保息，已与中国工商银行达成存管合作")
        >>> [(s.term, s.kind) for s in analysis.signals]
        [('保本保息', 'fundraising.guarantee'), ('与银行合作', 'impersonation.bank')]
        >>> analysis.signals[1].value
        '中国工商银行'
        >>> [(s.term, s.cue) for s in analysis.discounted]
        [('保本', '不')]
    """
    return scanner_for(lexicon).scan(text)


def find_signals_many(
    texts: Iterable[str | None], lexicon: Lexicon | None = None
) -> list[SignalAnalysis]:
    """:func:`find_signals` over many texts with one scanner (for batch steps)."""
    scanner = scanner_for(lexicon)
    return [scanner.scan(text) for text in texts]


__all__ = [
    "DEFAULT_LEXICON",
    "DiscountKind",
    "Signal",
    "SignalAnalysis",
    "SignalScanner",
    "default_signal_scanner",
    "find_signals",
    "find_signals_many",
    "scanner_for",
]
