"""Reading a business scope (经营范围): clauses, their kinds, and the restricted words that count.

A registered business scope mixes activities with text that is not an activity at all:

* prohibitions — 未经金融等监管部门批准，不得从事吸收存款、融资担保、代客理财等金融业务;
* exclusions — 软件开发（不含金融信息服务）, 除金融业务外;
* approval boilerplate and headings — 依法须经批准的项目，经相关部门批准后方可开展经营活动,
  一般项目：, 许可项目：;
* and phrases where a restricted word names a client or topic — 接受金融机构委托从事信息技术
  和流程外包服务, 为金融机构提供技术服务, 金融机具销售.

:func:`split_clauses` cuts a scope into clauses and classifies each one;
:func:`find_scope_activities` looks for restricted words and sorts every hit into *activities*
(the hits that count) and *discounted* hits, each with the clause and the reason, so that a
finding can say 经营范围“……代客理财……”含“理财”；另有 2 处出现于禁止性条款，未计入.

How clauses are cut. Separators are ；; 。 and line breaks (end of a sentence) and ，, 、 ：:
(items of a list). A bracketed part —（…）, (…), 【…】 — is its own clause, attached to the
clause it directly follows (:attr:`Clause.qualifies`), and its inner separators do not cut it.
Enumerators (1、 （一） ①) and commas inside numbers do not cut. Unbalanced brackets are read
as ordinary characters. A clause that runs into a prohibition or exclusion without a separator
(投资管理未经批准不得…) is cut where the prohibition starts.

How clauses are classified. The patterns of ``text/lexicons/scope_patterns.yml`` are tried in
order. A prohibition or exclusion also covers the following items of its sentence (listed with
、 or ，) until a ； or 。, the end of its bracket, or an item that closes the list (…等金融业务,
…外); a bracketed clause with no kind of its own takes the kind of a prohibited or excluded
clause it qualifies. Anything else is an activity, or a benign context when a benign pattern
matches inside it. Hits in benign contexts are discounted only if they lie inside the benign
phrase and the phrase lists their term (为金融机构提供融资担保服务 still counts 融资担保).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from smokewatch.text.matcher import LexiconMatcher, Match, fold_for_matching
from smokewatch.text.scope_patterns import (
    DISCOUNTING_KINDS,
    ClauseKind,
    Reason,
    ScopePatterns,
    load_scope_patterns,
)

_OPENERS = "（([【〔［｛{"
_CLOSERS = "）)]】〕］｝}"
_SENTENCE_END = frozenset("；;。\n\r")
_LIST_SEP = frozenset("，,、：:")
_SEPARATORS = _SENTENCE_END | _LIST_SEP
_ENUMERATOR_ONLY = re.compile(r"\s*[(（]?[0-9一二三四五六七八九十]{1,3}[)）.．]?\s*$")
_PREFIX = re.compile(
    r"[\s\"'“”‘’「」『』]*"
    r"(?:\(?[0-9一二三四五六七八九十]{1,3}\)|[0-9一二三四五六七八九十]{1,3}[、.．]|[①-⑳])?"
    r"[\s\"'“”‘’「」『』]*"
)
_TRIM = "".join(_SEPARATORS) + " \t\u3000\"'“”‘’"
_NEXT_STOP = re.compile("[" + re.escape("".join(sorted(_SEPARATORS)) + _OPENERS) + "]")
"""The next character where cutting may happen: a separator or an opening bracket."""
_CONTENT = re.compile(r"[^\s" + re.escape(_TRIM) + "]")
"""A character that is neither separator, quote nor whitespace."""


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of a business scope.

    ``start``/``end`` are the clause's extent in the scope, separators included: the clauses
    of a scope tile it without gaps or overlaps. ``text`` is the wording without separators,
    surrounding whitespace or (for a bracketed clause) the brackets; it starts at
    ``text_start``, so ``scope[text_start:text_start + len(text)] == text``.
    """

    start: int
    end: int
    text: str
    text_start: int
    kind: ClauseKind
    reason: Reason | None
    """Why the clause has its kind; ``None`` for plain activities."""
    bracketed: bool = False
    qualifies: int | None = None
    """For a bracketed clause: the index of the clause it directly follows and qualifies."""

    @property
    def text_end(self) -> int:
        """Offset just after :attr:`text` in the scope."""
        return self.text_start + len(self.text)


@dataclass(frozen=True, slots=True)
class ScopeHit:
    """A restricted-word hit in a business scope, with its clause and, if discounted, why."""

    match: Match
    clause: Clause
    reason: Reason | None
    """``None`` when the hit counts as an activity; otherwise the discounting reason."""

    @property
    def counted(self) -> bool:
        """Whether the hit counts as a restricted activity."""
        return self.reason is None


_KIND_LABELS = {
    ClauseKind.PROHIBITION: ("禁止性条款", "prohibitions"),
    ClauseKind.EXCLUSION: ("除外条款", "exclusions"),
    ClauseKind.APPROVAL_NOTE: ("审批提示", "approval notes"),
    ClauseKind.BENIGN_CONTEXT: ("服务对象或主题表述", "client or topic phrases"),
}


def _excerpt(hit: ScopeHit, width: int = 24) -> str:
    """The clause around a hit, cut to about ``width`` characters with …… where cut."""
    text, start = hit.clause.text, hit.match.start - hit.clause.text_start
    if len(text) <= width:
        return text
    left = max(0, min(start - width // 3, len(text) - width))
    right = left + width
    return ("……" if left else "") + text[left:right] + ("……" if right < len(text) else "")


@dataclass(frozen=True, slots=True)
class ScopeAnalysis:
    """The restricted words of one business scope: those that count and those discounted."""

    scope: str
    activities: tuple[ScopeHit, ...]
    """Hits in activity clauses, left to right."""
    discounted: tuple[ScopeHit, ...]
    """Hits in prohibitions, exclusions, approval notes or benign phrases, with the reason."""

    @property
    def terms(self) -> tuple[str, ...]:
        """The distinct terms that count, in order of first appearance."""
        return tuple(dict.fromkeys(h.match.term for h in self.activities))

    def describe(self, lang: str = "zh") -> str:
        """One sentence for a finding, in Chinese (``zh``) or English.

        The Chinese form reads 经营范围“……代客理财……”含“理财”；另有 2 处出现于禁止性条款，未计入.

        Examples:
            >>> from smokewatch.text.lexicon import load_lexicon
            >>> matcher = load_lexicon("restricted_financial_words").matcher("scope")
            >>> scope = "理财咨询；（不得从事吸收存款等金融业务）"
            >>> find_scope_activities(scope, matcher).describe()
            '经营范围“理财咨询”含“理财”；另有 1 处出现于禁止性条款，未计入'
        """
        zh = lang.startswith("zh")
        by_clause: dict[int, list[ScopeHit]] = {}
        for hit in self.activities:
            by_clause.setdefault(hit.clause.start, []).append(hit)
        if by_clause:
            parts = [_phrase(hits, zh=zh) for hits in by_clause.values()]
            head = "经营范围" + "；".join(parts) if zh else "Business scope: " + "; ".join(parts)
        else:
            head = (
                "经营范围未含计入的限制性字样"
                if zh
                else "Business scope: no restricted word counts"
            )
        counts = Counter(h.reason.kind for h in self.discounted if h.reason is not None)
        kinds = [k for k in _KIND_LABELS if counts[k]]
        if not kinds:
            return head
        if zh:
            tail = "、".join(f"{counts[k]} 处出现于{_KIND_LABELS[k][0]}" for k in kinds)
            return f"{head}；另有 {tail}，未计入"
        tail = ", ".join(f"{counts[k]} in {_KIND_LABELS[k][1]}" for k in kinds)
        return f"{head}; not counted: {tail}"


def _phrase(hits: list[ScopeHit], *, zh: bool) -> str:
    """“clause excerpt”含“term”、“term” for the hits of one clause."""
    terms = dict.fromkeys(h.match.term for h in hits)
    if zh:
        return f"“{_excerpt(hits[0])}”含" + "、".join(f"“{t}”" for t in terms)
    return f"'{_excerpt(hits[0])}' has " + ", ".join(f"'{t}'" for t in terms)


# ---------------------------------------------------------------- cutting


class _Piece(NamedTuple):
    """A stretch of the scope before classification (a tuple: built thousands of times)."""

    start: int
    end: int
    text_start: int
    text_end: int
    bracketed: bool
    follows_content: bool
    """True when no separator stands between the previous piece and this one."""
    sentence_ends: bool
    """True when a sentence separator (；。) or the end of the scope follows the piece."""


def _bracket_pairs(scope: str) -> dict[int, int]:
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, char in enumerate(scope):
        if char in _OPENERS:
            stack.append(index)
        elif char in _CLOSERS and stack:
            pairs[stack.pop()] = index
    return pairs


def _has_content(scope: str, start: int, end: int) -> bool:
    return _CONTENT.search(scope, start, end) is not None


def _is_separator(scope: str, index: int, segment_start: int) -> bool:
    char = scope[index]
    if char in _SENTENCE_END:
        return True
    if char not in _LIST_SEP:
        return False
    if (
        char in ",，"
        and 0 < index < len(scope) - 1
        and scope[index - 1].isdigit()
        and scope[index + 1].isdigit()
    ):
        return False  # 1,000
    return not (char == "、" and _ENUMERATOR_ONLY.match(scope, segment_start, index))


def _skip_separators(scope: str, index: int) -> tuple[int, bool]:
    """Advance over separators and whitespace; report whether a sentence end was among them."""
    ends = False
    while index < len(scope) and (scope[index] in _SEPARATORS or scope[index].isspace()):
        ends = ends or scope[index] in _SENTENCE_END
        index += 1
    return index, ends or index == len(scope)


def _trimmed(scope: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (scope[start] in _TRIM or scope[start].isspace()):
        start += 1
    while end > start and (scope[end - 1] in _TRIM or scope[end - 1].isspace()):
        end -= 1
    return start, end


def _cut(scope: str) -> list[_Piece]:
    """Cut a scope into pieces that tile it (see the module docstring for the rules)."""
    pairs = _bracket_pairs(scope)
    pieces: list[_Piece] = []
    segment, index, follows = 0, 0, False

    def close(end: int, stop: int, *, bracketed: bool, ends: bool) -> None:
        nonlocal segment, follows
        if bracketed:
            text_start, text_end = _trimmed(scope, segment, end)
            text_start, text_end = _trimmed(scope, text_start + 1, text_end - 1)
        else:
            text_start, text_end = _trimmed(scope, segment, end)
        pieces.append(_Piece(segment, stop, text_start, text_end, bracketed, follows, ends))
        follows = stop == end and not ends
        segment = stop

    while index < len(scope):
        if index in pairs:
            closing = pairs[index]
            if _ENUMERATOR_ONLY.match(scope, index + 1, closing) and not _has_content(
                scope, segment, index
            ):
                index = closing + 1  # （一） at the start of an item: part of the item
                continue
            if _has_content(scope, segment, index):
                close(index, index, bracketed=False, ends=False)
            stop, ends = _skip_separators(scope, closing + 1)
            close(closing + 1, stop, bracketed=True, ends=ends)
            index = stop
        elif _is_separator(scope, index, segment):
            stop, ends = _skip_separators(scope, index)
            if _has_content(scope, segment, index):
                close(index, stop, bracketed=False, ends=ends)
            elif pieces and segment == pieces[-1].end:
                last = pieces[-1]
                pieces[-1] = last._replace(end=stop, sentence_ends=last.sentence_ends or ends)
                segment = stop
            index = stop
        else:
            found = _NEXT_STOP.search(scope, index + 1)
            index = found.start() if found else len(scope)
    if _has_content(scope, segment, len(scope)):
        close(len(scope), len(scope), bracketed=False, ends=True)
    elif pieces:
        pieces[-1] = pieces[-1]._replace(end=len(scope), sentence_ends=True)
    return pieces


# ---------------------------------------------------------------- classifying


def _body(folded: str, piece: _Piece) -> tuple[int, str]:
    """The piece's text for classification: enumerator and quotes removed, and its offset."""
    prefix = _PREFIX.match(folded, piece.text_start, piece.text_end)
    offset = prefix.end() if prefix else piece.text_start
    return offset, folded[offset : piece.text_end]


def _own_kind(body: str, patterns: ScopePatterns) -> Reason | None:
    found = patterns.classify.match(body)
    if found is None or found.lastgroup is None:
        return None
    return patterns.clause_pattern(found.lastgroup).reason


def _split_point(offset: int, body: str, patterns: ScopePatterns) -> int | None:
    """Where a prohibition or exclusion starts inside an activity piece, if anywhere."""
    found = patterns.split.search(body, 1)
    return None if found is None else offset + found.start()


def _split(scope: str, piece: _Piece, at: int) -> tuple[_Piece, _Piece]:
    first_start, first_end = _trimmed(scope, piece.text_start, at)
    first = piece._replace(end=at, text_start=first_start, text_end=first_end, sentence_ends=False)
    second = piece._replace(start=at, text_start=at, follows_content=True)
    return first, second


def _benign_reason(folded: str, piece: _Piece, patterns: ScopePatterns) -> Reason | None:
    found = patterns.benign.search(folded, piece.text_start, piece.text_end)
    if found is None or found.lastgroup is None:
        return None
    return patterns.benign_pattern(found.lastgroup).reason


class _Classifier:
    """Walks the pieces of one scope, carrying prohibitions and exclusions along their lists."""

    def __init__(self, scope: str, patterns: ScopePatterns) -> None:
        self.scope = scope
        self.folded = fold_for_matching(scope)
        self.patterns = patterns
        self.clauses: list[Clause] = []
        self.carry: Reason | None = None

    def add(self, piece: _Piece) -> None:
        offset, body = _body(self.folded, piece)
        reason = _own_kind(body, self.patterns)
        if reason is None and (piece.bracketed or self.carry is None):
            at = _split_point(offset, body, self.patterns)
            if at is not None:
                first, second = _split(self.scope, piece, at)
                self.add(first)
                self.add(second)
                return
        qualifies = len(self.clauses) - 1 if piece.bracketed and piece.follows_content else None
        if reason is None:
            reason = self._inherited(piece, qualifies)
        kind = reason.kind if reason else ClauseKind.ACTIVITY
        if reason is None and (benign := _benign_reason(self.folded, piece, self.patterns)):
            kind, reason = ClauseKind.BENIGN_CONTEXT, benign
        self._update_carry(piece, reason, body)
        text = self.scope[piece.text_start : piece.text_end]
        self.clauses.append(
            Clause(
                piece.start,
                piece.end,
                text,
                piece.text_start,
                kind,
                reason,
                piece.bracketed,
                qualifies,
            )
        )

    def _inherited(self, piece: _Piece, qualifies: int | None) -> Reason | None:
        if qualifies is not None:
            host = self.clauses[qualifies]
            if host.kind in (ClauseKind.PROHIBITION, ClauseKind.EXCLUSION):
                return host.reason
        if not piece.bracketed:
            return self.carry
        return None

    def _update_carry(self, piece: _Piece, reason: Reason | None, body: str) -> None:
        if piece.bracketed:
            if piece.sentence_ends:
                self.carry = None
            return
        listing = reason is not None and reason.kind in (
            ClauseKind.PROHIBITION,
            ClauseKind.EXCLUSION,
        )
        closes = piece.sentence_ends or bool(self.patterns.list_closer.search(body))
        self.carry = reason if listing and not closes else None


def split_clauses(scope: str | None, patterns: ScopePatterns | None = None) -> list[Clause]:
    """Cut a business scope into classified clauses (rules in the module docstring).

    The clauses tile the scope: the first starts at 0, each starts where the previous ended,
    the last ends at ``len(scope)``. An empty scope, ``None``, or one of only separators and
    whitespace gives no clauses.

    Examples:
        >>> clauses = split_clauses("软件开发（不含金融信息服务）；投资管理")
        >>> [(c.text, c.kind.value) for c in clauses]
        [('软件开发', 'activity'), ('不含金融信息服务', 'exclusion'), ('投资管理', 'activity')]
    """
    if not scope:
        return []
    classifier = _Classifier(scope, patterns or load_scope_patterns())
    for piece in _cut(scope):
        classifier.add(piece)
    return classifier.clauses


def _judge(hit: Match, clause: Clause, folded: str, patterns: ScopePatterns) -> Reason | None:
    if clause.kind in DISCOUNTING_KINDS:
        return clause.reason
    if clause.kind is ClauseKind.BENIGN_CONTEXT:
        for pattern in patterns.benign_patterns:
            if hit.term not in pattern.discounts:
                continue
            for found in pattern.regex.finditer(folded, clause.text_start, clause.text_end):
                if found.start() <= hit.start and hit.end <= found.end():
                    return pattern.reason
    return None


def find_scope_activities(
    scope: str | None, matcher: LexiconMatcher, patterns: ScopePatterns | None = None
) -> ScopeAnalysis:
    """Find restricted words in a business scope and keep those that are real activities.

    Build the matcher with ``lexicon.matcher("scope")`` to look only for words whose rule
    covers business scopes. Scopes without any hit return at once, without being cut into
    clauses, so scanning a registry costs little more than the matcher itself.

    Examples:
        >>> from smokewatch.text.lexicon import load_lexicon
        >>> matcher = load_lexicon("restricted_financial_words").matcher("scope")
        >>> analysis = find_scope_activities(
        ...     "投资管理；资产管理；企业管理咨询（未经金融等监管部门批准，不得从事吸收存款、"
        ...     "融资担保、代客理财、向社会公众集（融）资等金融业务）", matcher)
        >>> analysis.terms
        ('投资管理', '资产管理')
        >>> sorted({h.match.term for h in analysis.discounted})
        ['理财', '融资担保', '金融']
    """
    scope = scope or ""
    hits = matcher.find(scope)
    if not hits:
        return ScopeAnalysis(scope, (), ())
    patterns = patterns or load_scope_patterns()
    clauses = split_clauses(scope, patterns)
    starts = [c.start for c in clauses]
    folded = fold_for_matching(scope)
    activities: list[ScopeHit] = []
    discounted: list[ScopeHit] = []
    for hit in hits:
        clause = clauses[bisect_right(starts, hit.start) - 1]
        reason = _judge(hit, clause, folded, patterns)
        (activities if reason is None else discounted).append(ScopeHit(hit, clause, reason))
    return ScopeAnalysis(scope, tuple(activities), tuple(discounted))


__all__ = [
    "Clause",
    "ClauseKind",
    "Reason",
    "ScopeAnalysis",
    "ScopeHit",
    "find_scope_activities",
    "split_clauses",
]
