"""Which company or platform a news text is about: candidate spans and their features, batched.

A news sentence names several organisations; the FinESE event label belongs to one of them
(the *subject*). Finding it is a ranking problem:

1. :func:`batch_candidates` proposes spans that look like names, for a whole batch at once,
   from cheap anchors — a span right before a stock code ``(600359)``, a quoted name “钱妈妈”,
   a span ending in a name suffix (有限公司, 集团, 金服, 理财, 贷, 宝 …), a span right before a
   context word (平台, 涉嫌, 被, 实控人, 评级, 减持, 辞职 …), a span after punctuation or a
   function word (对, 与, 被告 …), the head of the text, and names seen as subjects in training
   (the gazetteer). Spans are deduplicated by their string (first mention kept).
2. :func:`candidate_keys` describes every candidate with integer feature keys (which anchors
   proposed it, its length, the characters around its first mention, its first and last
   characters, how often and how early it is mentioned, trigger words right after it,
   gazetteer membership); a linear ranker over them scores the candidates.

Everything is numpy over the code points of the joined batch (see
:mod:`~smokewatch.text.models.encoding`); positions are offsets into the width-folded text,
which has the length of the original, so a candidate is always a substring of the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick
import numpy as np

from smokewatch.text.models.cohesion import Cohesion
from smokewatch.text.models.encoding import (
    CHAR_BITS,
    Alphabet,
    Batch,
    expand_ranges,
    key_of,
)
from smokewatch.text.models.gazetteer import Gazetteer, batch_hashes

SEARCH_LIMIT = 400
"""Anchors come from the first this-many characters of a text (gazetteer names from anywhere)."""
MAX_CANDIDATES = 120
"""At most this many candidates per text, in order of first mention."""
MIN_SIZE, MAX_SIZE = 2, 30

_PUNCT = "\x1f，。、；：？！“”‘’\"'（）()【】[]《》<>,.;:?!—-…·#@/|～~ \t\n\r\u3000+%=_{}丨▲●■◆"
_BOUND = "对与和及、的被在是将向称由从据为了于告等后因让把给同跟经如以其或股亿万元持"
_SUFFIXES = [
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "分公司",
    "公司",
    "集团",
    "金融",
    "金服",
    "财富",
    "理财",
    "投资",
    "控股",
    "股份",
    "科技",
    "银行",
    "证券",
    "资本",
    "基金",
    "资产",
    "商城",
    "在线",
    "国际",
    "环球",
    "网",
    "贷",
    "宝",
    "家",
    "币",
    "链",
    "通",
    "盟",
    "汇",
    "联",
    "惠",
]
_CONTEXTS = [
    "平台",
    "公司",
    "涉嫌",
    "因涉",
    "非法",
    "被",
    "实控",
    "评级",
    "董事",
    "控股",
    "股价",
    "等",
    "案",
    "旗下",
    "法定",
    "实际",
    "事件",
    "一审",
    "二审",
    "集资",
    "传销",
    "跑路",
    "暴雷",
    "爆雷",
    "立案",
    "跌停",
    "涨停",
    "遭",
    "发布",
    "公告",
    "回应",
    "老板",
    "高管",
    "被告",
    "重组",
    "股东",
    "业绩",
    "财务",
    "信披",
    "虚假",
    "退市",
    "停牌",
    "复牌",
    "收到",
    "拟",
    "获",
    "称",
    "下调",
    "调降",
    "上调",
    "降级",
    "减持",
    "增持",
    "辞职",
    "总经理",
    "董事长",
    "副总",
    "净利",
    "预计",
    "预亏",
    "亏损",
    "造假",
    "违规",
    "信息披露",
    "未按",
    "内幕",
    "操纵",
    "冻结",
    "质押",
    "股权",
    "终止",
    "获批",
    "被查",
    "被罚",
    "主体",
    "信用",
    "目标价",
    "现金流",
    "承认",
    "陷",
    "身负",
    "逼近",
    "间接",
]
_STOCK = re.compile(r"[(（](?:SH|SZ|HK)?[0-9]{5,6}[)）.]")
_QUOTE = re.compile(r"[“\"「『《]([^“”\"」』》\x1f]{2,30})[”\"」』》]")
TRIGGER_REACH = 12

SOURCES = ("stock", "quote", "suffix", "context", "head", "after", "gazetteer")
_BIT = {name: 1 << i for i, name in enumerate(SOURCES)}

SPEC = {
    "search_limit": SEARCH_LIMIT,
    "max_candidates": MAX_CANDIDATES,
    "punct": "".join(sorted(set(_PUNCT))),
    "bound": "".join(sorted(set(_BOUND))),
    "suffixes": _SUFFIXES,
    "contexts": _CONTEXTS,
    "stock": _STOCK.pattern,
    "quote": _QUOTE.pattern,
    "trigger_reach": TRIGGER_REACH,
    "sources": list(SOURCES),
    "cohesion": "levels of (left, first), (last, right), (first, second) in the light ranker",
    "version": 4,
}
"""Everything that decides the candidates and their features (hashed into the artefact)."""

_UNICODE = 0x110000
_IS_PUNCT = np.zeros(_UNICODE, dtype=bool)
_IS_PUNCT[[ord(c) for c in _PUNCT]] = True
_IS_BOUND = _IS_PUNCT.copy()
_IS_BOUND[[ord(c) for c in _BOUND]] = True
_CLASS = np.zeros(_UNICODE, dtype=np.int8)  # 0 han/other, 1 punct, 2 digit, 3 latin; 4 edge
_CLASS[_IS_PUNCT] = 1
_CLASS[ord("0") : ord("9") + 1] = 2
_CLASS[ord("A") : ord("Z") + 1] = 3
_CLASS[ord("a") : ord("z") + 1] = 3
_WORDS: ahocorasick.Automaton | None = None


def _anchor_words() -> ahocorasick.Automaton:
    global _WORDS  # noqa: PLW0603 - built once, on first use (nothing happens at import)
    if _WORDS is None:
        automaton = ahocorasick.Automaton()
        for word in sorted(set(_SUFFIXES) | set(_CONTEXTS)):
            automaton.add_word(word, (len(word), word in _SUFFIXES, word in _CONTEXTS))
        automaton.make_automaton()
        _WORDS = automaton
    return _WORDS


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed subject: its string, first mention and how it was found."""

    text: str
    start: int
    end: int
    sources: frozenset[str]


@dataclass(frozen=True, slots=True)
class Candidates:
    """The candidates of a batch: arrays in batch (joined) coordinates, grouped by text."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    sources: np.ndarray
    """Bit mask of :data:`SOURCES`."""
    mentions: np.ndarray
    """How many times anchors proposed the same string in the text (capped at 4)."""
    offsets: np.ndarray
    """Candidates of text ``i`` are ``offsets[i]:offsets[i + 1]``."""
    codes: np.ndarray
    """``(start, end)`` rows of every stock code ``(600359)`` of the batch, by position."""

    def __len__(self) -> int:
        return len(self.doc)


def _ending_at(
    ends: np.ndarray, longest: int, batch: Batch, punct_run: np.ndarray, source: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spans ending at each anchor: up to 8 characters freely, longer from a boundary."""
    sizes = np.arange(MIN_SIZE, longest + 1)
    starts = ends[:, None] - sizes[None, :]
    e = np.broadcast_to(ends[:, None], starts.shape)
    doc_start = batch.starts[batch.doc[np.maximum(ends - 1, 0)]][:, None]
    ok = starts >= doc_start
    safe = np.maximum(starts, 0)
    ok &= punct_run[e] - punct_run[safe] == 0  # no punctuation inside
    before = np.maximum(safe - 1, 0)
    free = (sizes[None, :] <= 8) | (safe == doc_start) | _IS_BOUND[batch.points[before]]
    ok &= free
    return safe[ok], e[ok], np.full(int(ok.sum()), source, dtype=np.int64)


def _small(values: np.ndarray, bound: int) -> np.ndarray:
    """``values`` (all in ``0 … bound - 1``) as int16 when they fit, for numpy's radix sort."""
    return values.astype(np.int16) if bound <= np.iinfo(np.int16).max else values


def _distinct(
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    batch: Batch,
    punct_run: np.ndarray,
    g: np.ndarray,
    inverse: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One candidate per string and text: first mention, OR of sources, proposals counted."""
    n_docs = len(batch.texts)
    start = np.concatenate([p[0] for p in parts])
    end = np.concatenate([p[1] for p in parts])
    src = np.concatenate([p[2] for p in parts])
    size = end - start
    ok = (size >= MIN_SIZE) & (size <= MAX_SIZE)
    ok &= punct_run[end] - punct_run[start] == 0
    start, end, src = start[ok], end[ok], src[ok]
    # equal strings of one text collide: sorted by (text, string hash), never a sum of the two
    # (a text number added in the hash's base equals a shift of the string's second character)
    span = (g[end] - g[start]) * inverse[start]
    doc = batch.doc[start]
    # grouped by (doc, span) as np.lexsort((span, doc)) would, from two sorts: the order inside
    # a group is never read (its sources are OR-ed, its starts reduced by min), so the first
    # need not be stable; the second is a stable radix sort on small integers
    order = np.argsort(span)
    order = order[np.argsort(_small(doc[order], n_docs), kind="stable")]
    span, doc, start, end, src = span[order], doc[order], start[order], end[order], src[order]
    new = np.ones(len(span), dtype=bool)
    new[1:] = (span[1:] != span[:-1]) | (doc[1:] != doc[:-1])
    firsts = np.flatnonzero(new)
    if len(firsts):
        sources = np.bitwise_or.reduceat(src, firsts)
        mentions = np.minimum(np.diff(np.append(firsts, len(span))), 4)
        first_start = np.minimum.reduceat(start, firsts)
        size = end[firsts] - start[firsts]
    else:
        sources = mentions = first_start = size = src[:0]
    # order of first mention (positions grow with the text number)
    order = np.argsort(first_start * 64 + size)
    start, sources, mentions, size = (
        first_start[order],
        sources[order],
        mentions[order],
        size[order],
    )
    end = start + size
    doc = batch.doc[start]
    counts = np.bincount(doc, minlength=n_docs)
    rank = np.arange(len(doc)) - np.repeat(np.cumsum(counts) - counts, counts)
    keep = rank < MAX_CANDIDATES
    doc, start, end, sources, mentions = (
        doc[keep],
        start[keep],
        end[keep],
        sources[keep],
        mentions[keep],
    )
    return doc, start, end, sources, mentions


def stock_codes(joined: str) -> np.ndarray:
    """``(start, end)`` rows of the stock codes ``(600359)`` of a (joined) text, by position."""
    found = [(m.start(), m.end()) for m in _STOCK.finditer(joined)]
    return np.asarray(found, dtype=np.int64).reshape(-1, 2)


def batch_candidates(batch: Batch, gazetteer: Gazetteer) -> Candidates:
    """Candidate subject spans of every text of a batch (see the module docstring)."""
    joined, points = batch.joined, batch.points
    n_docs = len(batch.texts)
    is_punct = _IS_PUNCT[points]
    punct_run = np.zeros(len(points) + 1, dtype=np.int64)
    punct_run[1:] = np.cumsum(is_punct)
    pos_in_doc = np.arange(len(points)) - batch.starts[batch.doc]
    in_head = pos_in_doc < SEARCH_LIMIT
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    codes = stock_codes(joined)
    stock = codes[:, 0]
    parts.append(_ending_at(stock[in_head[stock]], 8, batch, punct_run, _BIT["stock"]))
    quoted = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(joined)]
    if quoted:
        q = np.asarray(quoted, dtype=np.int64)
        parts.append((q[:, 0], q[:, 1], np.full(len(q), _BIT["quote"], dtype=np.int64)))
    suffix_ends: list[int] = []
    context_ends: list[int] = []
    for last, (size, is_suffix, is_context) in _anchor_words().iter(joined):
        if is_suffix:
            suffix_ends.append(last + 1)
        if is_context:
            context_ends.append(last + 1 - size)
    for ends, longest, name in ((suffix_ends, 18, "suffix"), (context_ends, 12, "context")):
        arr = np.unique(np.asarray(ends, dtype=np.int64))
        arr = arr[in_head[np.maximum(arr - 1, 0)]]
        parts.append(_ending_at(arr, longest, batch, punct_run, _BIT[name]))
    sizes = np.arange(MIN_SIZE, 9)
    for lo, name in (
        (batch.starts, "head"),
        (np.flatnonzero(_IS_BOUND[points] & in_head & (points != 0x1F)) + 1, "after"),
    ):
        s = np.repeat(lo, len(sizes))
        e = s + np.tile(sizes, len(lo))
        doc_end = batch.ends[batch.doc[np.minimum(s, len(points) - 1)]]
        ok = (s < len(points)) & (e <= doc_end)
        s, e = s[ok], e[ok]
        ok = punct_run[e] - punct_run[s] == 0
        parts.append((s[ok], e[ok], np.full(int(ok.sum()), _BIT[name], dtype=np.int64)))
    g, inverse = batch_hashes(batch)
    names = gazetteer.find_in(points, g, inverse)
    parts.append((names[:, 0], names[:, 1], np.full(len(names), _BIT["gazetteer"], np.int64)))

    doc, start, end, sources, mentions = _distinct(parts, batch, punct_run, g, inverse)
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.bincount(doc, minlength=n_docs))
    return Candidates(doc, start, end, sources, mentions, offsets, codes)


def candidates(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """Candidate subject spans of one width-folded text (for inspection and tests)."""
    batch = Alphabet("").encode([text])
    found = batch_candidates(batch, gazetteer)
    return [
        Candidate(
            text[s:e],
            s,
            e,
            frozenset(name for name, bit in _BIT.items() if m & bit),
        )
        for s, e, m in zip(
            found.start.tolist(), found.end.tolist(), found.sources.tolist(), strict=True
        )
    ]


# feature kinds of the candidate rankers (keys: kind << 56 | payload)
KIND_SOURCES, KIND_LEN, KIND_LEFT, KIND_LEFT_CLASS, KIND_RIGHT, KIND_RIGHT2 = range(20, 26)
KIND_RIGHT_CLASS, KIND_LAST, KIND_LAST2, KIND_FIRST, KIND_FIRST_CLASS, KIND_MENTIONS = range(26, 32)
KIND_POS, KIND_LEN_SOURCES, KIND_LCLASS_RIGHT, KIND_LEFT_LAST, KIND_FIRST_LAST = range(32, 37)
KIND_GAZETTEER, KIND_TRIGGER_AFTER = 37, 38
KIND_LEFT_COH, KIND_RIGHT_COH, KIND_HEAD_COH, KIND_EDGES_COH = range(60, 64)
_EDGE = (1 << CHAR_BITS) - 1


def _pair(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out: np.ndarray = (a << CHAR_BITS) | b
    return out


def candidate_keys(
    batch: Batch,
    found: Candidates,
    hits: tuple[np.ndarray, np.ndarray],
    chosen: np.ndarray | None = None,
    *,
    rich: bool = False,
    cohesion: Cohesion | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Feature keys of candidates: ``(row, key)``, rows numbering ``chosen`` (default: all).

    The cheap first ranker reads the light features of every candidate; the second ranker
    adds the ``rich`` ones (character classes, pairs, trigger words after the candidate) for
    the few candidates it re-scores.

    Args:
        batch: The encoded batch.
        found: Its candidates.
        hits: ``(positions, trigger numbers)`` of trigger words in the batch, by position.
        chosen: Which candidates (indices into ``found``); all when None.
        rich: The second ranker's extra features instead of the light ones.
        cohesion: Character-pair cohesion (light features: does a span cut a word?).
    """
    ids, points = batch.ids, batch.points
    doc = found.doc if chosen is None else found.doc[chosen]
    start = found.start if chosen is None else found.start[chosen]
    end = found.end if chosen is None else found.end[chosen]
    src = found.sources if chosen is None else found.sources[chosen]
    doc_start = batch.starts[doc]
    doc_end = batch.ends[doc]
    at_start = start == doc_start
    left = np.where(at_start, _EDGE, ids[np.maximum(start - 1, 0)])
    at_end = end >= doc_end
    right = np.where(at_end, _EDGE, ids[end])
    last = ids[end - 1]
    size = end - start
    n = len(doc)
    rows = np.arange(n)
    if not rich:
        right2 = np.where(end + 1 >= doc_end, _EDGE, ids[np.minimum(end + 1, len(ids) - 1)])
        offset = start - doc_start
        pos = np.where(offset < 80, np.minimum(offset // 10, 8), 9)
        mentions = found.mentions if chosen is None else found.mentions[chosen]
        columns = [
            key_of(KIND_SOURCES, src),
            key_of(KIND_LEN, np.minimum(size, 16)),
            key_of(KIND_LEFT, left),
            key_of(KIND_RIGHT, right),
            key_of(KIND_RIGHT2, _pair(right, right2)),
            key_of(KIND_LAST, last),
            key_of(KIND_LAST2, _pair(ids[end - 2], last)),
            key_of(KIND_MENTIONS, mentions),
            key_of(KIND_POS, pos),
            key_of(KIND_LEN_SOURCES, (np.minimum(size, 12) << 8) | src),
        ]
        if cohesion is not None:
            left_level = cohesion.level(left, ids[start])
            right_level = cohesion.level(last, right)
            columns += [
                key_of(KIND_LEFT_COH, left_level),
                key_of(KIND_RIGHT_COH, right_level),
                key_of(KIND_HEAD_COH, cohesion.level(ids[start], ids[start + 1])),
                key_of(KIND_EDGES_COH, (left_level << 4) | right_level),
            ]
        return np.tile(rows, len(columns)), np.concatenate(columns)
    left_class = np.where(at_start, 4, _CLASS[points[np.maximum(start - 1, 0)]])
    right_class = np.where(at_end, 4, _CLASS[points[np.minimum(end, len(points) - 1)]])
    first = ids[start]
    columns = [
        key_of(KIND_LEFT_CLASS, left_class),
        key_of(KIND_RIGHT_CLASS, right_class),
        key_of(KIND_FIRST, first),
        key_of(KIND_FIRST_CLASS, _CLASS[points[start]]),
        key_of(KIND_LCLASS_RIGHT, (left_class << CHAR_BITS) | right),
        key_of(KIND_LEFT_LAST, _pair(left, last)),
        key_of(KIND_FIRST_LAST, _pair(first, last)),
        key_of(KIND_GAZETTEER, (src & _BIT["gazetteer"]) > 0),
    ]
    out_rows = [np.tile(rows, len(columns))]
    out_keys = [np.concatenate(columns)]
    positions, words = hits
    lo = np.searchsorted(positions, end)
    hi = np.searchsorted(positions, np.minimum(end + TRIGGER_REACH, doc_end))
    which, at = expand_ranges(lo, hi)
    out_rows.append(which)
    out_keys.append(key_of(KIND_TRIGGER_AFTER, words[at]))
    return np.concatenate(out_rows), np.concatenate(out_keys)


def span_texts(batch: Batch, start: np.ndarray, end: np.ndarray) -> list[str]:
    """The strings of spans given in batch coordinates."""
    joined = batch.joined
    return [joined[s:e] for s, e in zip(start.tolist(), end.tolist(), strict=True)]


__all__ = [
    "MAX_CANDIDATES",
    "SEARCH_LIMIT",
    "SOURCES",
    "SPEC",
    "Candidate",
    "Candidates",
    "batch_candidates",
    "candidate_keys",
    "candidates",
    "span_texts",
    "stock_codes",
]
