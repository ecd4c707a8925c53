"""Round 8 (research code, not imported by the package): rival features for the rich ranker.

How a subject candidate stands among its text's other candidates. Tried in the rich ranker
(``news_inner.py candidates --variant rivals``) and not kept: see text_models.md, round 8.

A news sentence names several organisations and the FinESE subject is the one the event is
about; the others are items of the same list (``A、B和C``), the court that tried it, the
police that arrested its managers, the paper that reported it. The rich ranker
(:func:`~smokewatch.text.models.ranking.second_stage`) reads each candidate's own words; the
keys here compare it with the other candidates it competes with (the best
:data:`~smokewatch.text.models.ranking.TOP_CANDIDATES` of the text):

* its order of first mention among them;
* how near the next trigger word is (lexicon word of an event), and the candidate's rank by
  that distance among its rivals, whether a clause ends in between;
* whether it contains, or lies inside, another rival (``善林金融`` / ``善林金融平台``);
* its clause: is it the first rival of its clause, how many rivals share the clause, does
  the clause carry a trigger word;
* whether it is an item of a list (a list mark ``、和与及`` right before or after it);
* whether its name is that of a court, police, regulator, exchange or news organisation;
* the number of candidates of the text, crossed with the cheap ranker's rank.

Every key carries whether the text has a stock code (glued stock headlines and news
sentences are written differently). All of it is numpy over the candidate arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from smokewatch.text.models import ranking
from smokewatch.text.models.encoding import Batch, expand_ranges, key_of
from smokewatch.text.models.subjects import Candidates

# feature kinds (ranking.py has 40..50, subjects.py 20..38 and 60..63, describe.py 1..15)
K_ORDER, K_TRIGGER, K_NEST, K_CLAUSE, K_LIST, K_INSTITUTION, K_COUNT = range(80, 87)

_CLAUSE_END = "，。；！？,;!?\x1f"
_LIST_MARKS = "、和与及跟同"
INSTITUTIONS: dict[str, tuple[str, ...]] = {
    "court": ("法院", "检察院", "法庭", "仲裁委"),
    "police": ("公安局", "公安厅", "公安部", "分局", "派出所", "警方", "经侦", "公安"),
    "regulator": (
        "证监会", "证监局", "银保监会", "银保监局", "银监会", "银监局", "保监会", "保监局",
        "人民银行", "央行", "金融办", "金融局", "监管局", "管理局", "工商局", "政府", "委员会",
        "协会", "商务局", "财政局", "国资委",
    ),
    "exchange": ("交易所", "上交所", "深交所", "港交所", "联交所"),
    "media": (
        "日报", "晚报", "早报", "报社", "新闻", "电视台", "记者", "时报", "周刊", "杂志",
        "新华社", "央视", "商报", "财经网",
    ),
}  # fmt: skip
"""Name endings of organisations that are rarely the subject (a category each)."""
_IS_CLAUSE_END = np.zeros(0x110000, dtype=bool)
_IS_CLAUSE_END[[ord(c) for c in _CLAUSE_END]] = True
_IS_LIST_MARK = np.zeros(0x110000, dtype=bool)
_IS_LIST_MARK[[ord(c) for c in _LIST_MARKS]] = True
_CATEGORY = {name: i + 1 for i, name in enumerate(INSTITUTIONS)}
_DISTANCES = np.asarray([3, 7, 16, 41])
"""Bucket edges (characters from the candidate's end to the next trigger word)."""

SPEC = {
    "kinds": list(range(K_ORDER, K_COUNT + 1)),
    "clause_end": _CLAUSE_END,
    "list_marks": _LIST_MARKS,
    "institutions": INSTITUTIONS,
    "distances": _DISTANCES.tolist(),
    "version": 1,
}


def _pair_code(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out: np.ndarray = (a.astype(np.int64) << 21) | b.astype(np.int64)
    return out


def _suffix_table() -> tuple[np.ndarray, np.ndarray, list[list[tuple[str, int]]]]:
    """Sorted last-two-character codes of the institution endings, and the endings of each."""
    by_pair: dict[int, list[tuple[str, int]]] = {}
    for name, words in INSTITUTIONS.items():
        for word in words:
            code = (ord(word[-2]) << 21) | ord(word[-1])
            by_pair.setdefault(code, []).append((word, _CATEGORY[name]))
    codes = np.asarray(sorted(by_pair), dtype=np.int64)
    return codes, np.arange(len(codes)), [by_pair[int(c)] for c in codes]


_SUFFIXES = _suffix_table()


def institution(points: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Institution category (1-based, :data:`INSTITUTIONS` order; 0 = none) of every span."""
    codes, _, endings = _SUFFIXES
    out = np.zeros(len(start), dtype=np.int64)
    long_enough = end - start >= 2
    if not len(start) or not long_enough.any():
        return out
    pair = _pair_code(points[np.maximum(end - 2, 0)], points[np.maximum(end - 1, 0)])
    at = np.minimum(np.searchsorted(codes, pair), len(codes) - 1)
    hit = np.flatnonzero(long_enough & (codes[at] == pair))
    for i in hit.tolist():  # few: only spans ending in one of the endings' last two characters
        s, e = int(start[i]), int(end[i])
        for word, category in endings[int(at[i])]:
            size = len(word)
            if e - s >= size and all(
                int(points[e - size + k]) == ord(word[k]) for k in range(size - 2)
            ):
                out[i] = category
                break
    return out


def _rank_within(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Rank (0 = smallest ``value``; ties by row order) of every row inside its group."""
    order = np.lexsort((np.arange(len(group)), value, group))
    sorted_group = group[order]
    firsts = np.searchsorted(sorted_group, sorted_group, side="left")
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - firsts
    return rank


def _count_within(group: np.ndarray) -> np.ndarray:
    """How many rows share each row's group."""
    _, inverse, counts = np.unique(group, return_inverse=True, return_counts=True)
    out: np.ndarray = counts[inverse]
    return out


def _next_trigger(
    hits: tuple[np.ndarray, np.ndarray],
    is_end: np.ndarray,
    clause: np.ndarray,
    end: np.ndarray,
    doc_end: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distance to the next trigger word of the text and whether a clause ends before it.

    Also whether the span's clause has a trigger word at all.
    """
    positions, _ = hits
    n = len(end)
    if not len(positions):
        return np.full(n, 10_000), np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    nxt = np.searchsorted(positions, end)
    ok = nxt < len(positions)
    at = positions[np.minimum(nxt, len(positions) - 1)]
    ok &= at < doc_end
    distance = np.where(ok, at - end, 10_000)
    crossed = ok & (is_end[np.where(ok, at, end)] != is_end[end])
    trig_clause = is_end[positions]
    lo = np.searchsorted(trig_clause, clause, side="left")
    hi = np.searchsorted(trig_clause, clause, side="right")
    return distance, crossed, (hi > lo).astype(np.int64)


def _nesting(doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether each span contains another span of its text, and whether it lies inside one.

    Pairs are formed inside each text only (a text has at most a few rivals).
    """
    n = len(doc)
    by_doc = np.argsort(doc, kind="stable")
    sorted_doc = doc[by_doc]
    which, at = expand_ranges(
        np.searchsorted(sorted_doc, sorted_doc, side="left"),
        np.searchsorted(sorted_doc, sorted_doc, side="right"),
    )
    a, b = by_doc[which], by_doc[at]
    other = a != b
    a, b = a[other], b[other]
    inside = (start[b] <= start[a]) & (end[a] <= end[b])
    contains = np.zeros(n, dtype=np.int64)
    within = np.zeros(n, dtype=np.int64)
    np.maximum.at(within, a[inside], 1)
    np.maximum.at(contains, b[inside], 1)
    return contains, within


def rival_keys(
    batch: Batch,
    found: Candidates,
    hits: tuple[np.ndarray, np.ndarray],
    chosen: np.ndarray,
    ranks: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``(row, key)`` of the rival features of the candidates ``chosen`` (rows number them)."""
    n = len(chosen)
    if not n:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    points = batch.points
    doc = found.doc[chosen]
    start, end = found.start[chosen], found.end[chosen]
    doc_end = batch.ends[doc]
    coded_docs = np.zeros(len(batch.texts), dtype=np.int64)
    if len(found.codes):
        coded_docs[batch.doc[found.codes[:, 0]]] = 1
    coded = coded_docs[doc] << 8

    # clauses: numbered by the clause ends before each position
    is_end = np.zeros(len(points) + 1, dtype=np.int64)
    is_end[1:] = np.cumsum(_IS_CLAUSE_END[points])
    clause = is_end[start]

    distance, crossed, clause_trigger = _next_trigger(hits, is_end, clause, end, doc_end)
    bucket = np.searchsorted(_DISTANCES, distance, side="right")
    trigger_rank = np.minimum(_rank_within(doc, distance), 3)

    order_rank = np.minimum(_rank_within(doc, start), 3)
    clause_rank = np.minimum(_rank_within(clause, start), 1)
    clause_count = np.minimum(_count_within(clause), 3)

    contains, within = _nesting(doc, start, end)

    before = points[np.maximum(start - 1, 0)]
    after = points[np.minimum(end, len(points) - 1)]
    list_bits = (
        _IS_LIST_MARK[before].astype(np.int64)
        | (_IS_LIST_MARK[after].astype(np.int64) << 1)
        | ((after == ord("等")).astype(np.int64) << 2)
    )

    counts = np.diff(found.offsets)[doc]
    columns = [
        key_of(K_ORDER, coded | order_rank),
        key_of(K_TRIGGER, coded | (trigger_rank << 4) | (bucket << 1) | crossed),
        key_of(K_TRIGGER, (1 << 9) | coded | (order_rank << 4) | (trigger_rank << 1)),
        key_of(K_NEST, coded | (contains << 1) | within),
        key_of(K_CLAUSE, coded | (clause_rank << 4) | (clause_count << 1) | clause_trigger),
        key_of(K_LIST, coded | (list_bits << 2) | np.minimum(trigger_rank, 1)),
        key_of(K_INSTITUTION, coded | institution(points, start, end)),
        key_of(K_COUNT, coded | (np.minimum(counts // 10, 7) << 3) | np.minimum(ranks, 7)),
    ]
    return np.tile(np.arange(n), len(columns)), np.concatenate(columns)


VARIANTS = ("none", "rivals")
"""Since round 8 the shipped rich ranker reads the word classes itself (round 8 ran the
``wordclass`` and ``both`` variants on the code before that; they would now add them twice)."""


def patch(variant: str) -> None:
    """Append the rival keys to the rich ranker's features (this process only).

    ``subject_training.train_subject_rankers`` and ``ranking.best_lists`` look
    ``ranking.second_stage`` up at call time, so both see the patched function.
    """
    if variant not in VARIANTS:
        raise SystemExit(f"--variant must be one of {VARIANTS}")
    if variant == "none":
        return
    plain: Callable[..., tuple[np.ndarray, np.ndarray]] = ranking.second_stage

    def second_stage(
        batch: Batch, found: Candidates, hits: tuple[np.ndarray, np.ndarray], **kw: Any
    ) -> tuple[np.ndarray, np.ndarray]:
        rows, keys = plain(batch, found, hits, **kw)
        chosen, ranks = kw["chosen"], kw["ranks"]
        extra_rows, extra_keys = [rows], [keys]
        if variant in ("rivals", "both"):
            r, k = rival_keys(batch, found, hits, chosen, ranks)
            extra_rows.append(r)
            extra_keys.append(k)
        return np.concatenate(extra_rows), np.concatenate(extra_keys)

    ranking.second_stage = second_stage  # type: ignore[assignment]
