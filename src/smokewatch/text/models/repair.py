"""Repairing the boundaries of a chosen subject: function words in front, a missing 字号.

The rankers score spans, and near misses of three kinds survive them (round 3 counted 88
nested spans among 2,077 validation texts; these rules reach the few that are boundary slips,
see contrib/experiments/text_models.md, round 4):

* a span that starts with a function word, a court role or a report verb glued to the name —
  ``此次链家``, ``以下飞马国际``, ``公司雷格特``, ``被告单位山东源大工贸有限公司``,
  ``通报大志投资集团有限公司``, ``的上海盐商金融信息服务有限公司`` (round 5): the word is
  stripped when what is left is still a span of two or more
  characters (single-character words such as 该, 其, 而 only when they stick loosely to the
  next character, by the :class:`~smokewatch.text.models.cohesion.Cohesion` table — 并购 and
  其乐 keep their first character);
* a span that follows a bracketed place (``善林(上海)金融信息服务有限公司``: the candidates stop
  at brackets) is extended over the place to its trade name;
* a span that is only an organisation's *form* with no trade name (字号) in front —
  ``财富公司`` for ``礼德财富公司``, ``金融`` for ``钱宝金融``: a registered name is
  ``[place] 字号 [industry] form``, so a span made only of industry words and forms is
  extended to the longest candidate of the same text that ends with it and adds at most
  :data:`MAX_EXTENSION` characters, cut after the last function character (no digits).

The rules are knowledge of how Chinese organisation names are written, not learnt; they run
on the chosen span of each text only, after the rankers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from smokewatch.text.models.cohesion import Cohesion
from smokewatch.text.models.encoding import Batch

LEADING_WORDS = (
    "此次",
    "本次",
    "这次",
    "以下",
    "以上",
    "其中",
    "此外",
    "另外",
    "同时",
    "随后",
    "目前",
    "日前",
    "近日",
    "近期",
    "昨日",
    "昨天",
    "据悉",
    "据了解",
    "记者",
    "消息",
    "公告",
    "公司",
    "旗下",
    "以及",
    "还有",
    "包括",
    "其实",
    "不过",
    "但是",
    "而且",
    "并且",
    "因为",
    "由于",
    "对于",
    "关于",
    "针对",
    # round 5, from the out-of-fold picks of the training part: verbs and roles before a name
    "被告单位",
    "被上诉人",
    "上诉人",
    "被告",
    "原告",
    "通报",
    "通过",
    "有关",
    "遭受了",
    "我市",
    "本市",
    "增资",
    "发现",
)
"""Words that open a clause, never a name: stripped from the front of a chosen span."""
LEADING_CHARS = "该其而但并且又还则即就也的对向与从在将把被由"
"""Single characters stripped only when they stick loosely to the next one (cohesion)."""
LOOSE_LEVEL = 2
"""Cohesion level (see :data:`~smokewatch.text.models.cohesion.LEVELS`) at or below which a
leading single character is taken as a separate word."""
FORM_WORDS = (
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "公司",
    "集团",
    "控股",
    "股份",
    "财富",
    "金融",
    "金服",
    "理财",
    "投资",
    "资产",
    "资本",
    "基金",
    "科技",
    "网络",
    "信息",
    "实业",
    "贸易",
    "商贸",
    "咨询",
    "管理",
    "银行",
    "证券",
    "保险",
    "信托",
    "租赁",
    "担保",
    "小贷",
    "平台",
)
"""Industry words and legal forms: a span made of them alone lacks its trade name."""
MAX_EXTENSION = 10

SPEC = {
    "leading_words": list(LEADING_WORDS),
    "leading_chars": LEADING_CHARS,
    "loose_level": LOOSE_LEVEL,
    "form_words": list(FORM_WORDS),
    "max_extension": MAX_EXTENSION,
}


_FORM_START = re.compile("|".join(FORM_WORDS))


def _is_form_only(name: str) -> bool:
    """Whether ``name`` is made only of industry words and forms (财富公司, 金融, 投资控股)."""
    if _FORM_START.match(name) is None:
        return False  # most names: the first test fails
    rest = name
    while rest:
        for word in FORM_WORDS:
            if rest.startswith(word):
                rest = rest[len(word) :]
                break
        else:
            return False
    return True


_LEADING = re.compile("|".join(LEADING_WORDS))
"""The first of :data:`LEADING_WORDS` (in order) that opens a span."""


def strip_leading(name: str, loose: bool) -> int:
    """How many characters to strip from the front of ``name`` (0: none).

    ``loose`` says whether the first two characters stick loosely together (cohesion).
    """
    m = _LEADING.match(name)
    if m is not None and len(name) - m.end() >= 2:
        return 0 if _is_form_only(name[m.end() :]) else m.end()
    if loose and name[0] in LEADING_CHARS and len(name) >= 3 and not _is_form_only(name[1:]):
        return 1
    return 0


PLACES = (
    "中国|北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北"
    "|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
    "|深圳|广州|杭州|南京|苏州|武汉|成都|西安|厦门|宁波|青岛|大连|沈阳|长沙|郑州|济南|合肥|福州"
)
"""Provinces and large cities written in brackets after a trade name (or any 省/市/区/县)."""
_BRACKETED = re.compile(
    rf"(?P<name>[\u4e00-\u9fff]{{2,}})[(（](?:{PLACES}|[\u4e00-\u9fff]{{1,3}}[省市区县])[)）]$"
)
_BOUND = re.compile("[对与和及的被在是将向称由从据为了于告等因让把给同跟经如以其或万亿元股]")
MAX_HEAD = 6
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def bracketed_head(before: str) -> int:
    """Length of a ``字号(地名)`` head ending right before a span (0: none).

    Registered names put the place in brackets after the trade name (善林(上海)金融信息服务
    有限公司); the candidates stop at the bracket, so a chosen ``金融信息服务有限公司`` is
    the tail of a name. The head starts after the last function character (告善林 → 善林)
    and holds at most :data:`MAX_HEAD` characters before the bracket.
    """
    m = _BRACKETED.search(before[-24:])
    if m is None:
        return 0
    name = m.group("name")
    cut = max((b.end() for b in _BOUND.finditer(name)), default=0)
    if not 2 <= len(name) - cut <= MAX_HEAD:
        return 0
    return len(m.group(0)) - cut


def extend_form(name: str, others: Sequence[str]) -> str | None:
    """The longest of ``others`` that adds a trade name in front of a form-only ``name``."""
    if not _is_form_only(name):
        return None
    best: str | None = None
    for other in others:
        added = other[: len(other) - len(name)]
        if not (0 < len(added) <= MAX_EXTENSION and other.endswith(name)):
            continue
        added = added[max((b.end() for b in _BOUND.finditer(added)), default=0) :]
        if len(added) < 2 or not _HAN.fullmatch(added) or _is_form_only(added + name):
            continue
        if best is None or len(added) + len(name) > len(best):
            best = added + name
    return best


def repair_spans(
    batch: Batch,
    start: np.ndarray,
    end: np.ndarray,
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray],
    cohesion: Cohesion,
) -> tuple[np.ndarray, np.ndarray]:
    """Repaired ``(start, end)`` of the chosen spans (batch coordinates; -1: no subject).

    ``candidates`` are ``(doc, start, end)`` of every candidate of the batch, grouped by text.
    """
    joined, ids = batch.joined, batch.ids
    start, end = start.copy(), end.copy()
    has = np.flatnonzero(start >= 0)
    if not len(has):
        return start, end
    s0 = start[has]
    loose = cohesion.level(ids[s0], ids[s0 + 1]) <= LOOSE_LEVEL
    c_doc, c_start, c_end = candidates
    bounds = np.searchsorted(c_doc, np.arange(len(batch.texts) + 1))
    for d, is_loose in zip(has.tolist(), loose.tolist(), strict=True):
        s, e = int(start[d]), int(end[d])
        name = joined[s:e]
        cut = strip_leading(name, is_loose)
        if cut:
            start[d] = s + cut
            continue
        head = bracketed_head(joined[max(int(batch.starts[d]), s - 24) : s])
        if head:
            start[d] = s - head + strip_leading(joined[s - head : e], loose=False)
            continue
        if not _is_form_only(name):
            continue  # only a form-only span is extended (the other candidates are not read)
        lo, hi = int(bounds[d]), int(bounds[d + 1])
        spans = zip(c_start[lo:hi].tolist(), c_end[lo:hi].tolist(), strict=True)
        others = [joined[a:b] for a, b in spans]
        longer = extend_form(name, others)
        if longer is not None:
            at = joined.find(longer, int(batch.starts[d]), int(batch.ends[d]))
            start[d], end[d] = at + strip_leading(longer, loose=False), at + len(longer)
    return start, end


__all__ = [
    "FORM_WORDS",
    "LEADING_CHARS",
    "LEADING_WORDS",
    "MAX_HEAD",
    "PLACES",
    "SPEC",
    "bracketed_head",
    "extend_form",
    "repair_spans",
    "strip_leading",
]
