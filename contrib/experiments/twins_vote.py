"""Round-9 harness: boundary twins in glued stock headlines, the short name voted across texts.

Glued FinESE texts are stock headlines written one after the other without separators
(``…2亿账户信息被盗科远股份(002380)股东减持…``). A name right before a stock code has no
visible left boundary, and the rankers pick *boundary twins* of the right name: the previous
headline's last characters glued to it (``水尤洛卡`` for ``尤洛卡``) or the name cut short
(round 9 counted them among the out-of-fold misses, contrib/experiments/text_models.md).

The same listed company recurs across texts, each time after a different headline. So the
strings in front of one stock code in many texts share exactly the short name as their
common ending, and differ before it. :class:`NameTable` keeps, per code, the distinct
strings in front of it in the training texts (no labels needed; stored in the artefact as a
small code → strings table). At prediction, the string in front of the code in the text at
hand votes with the training strings that end like it; the name is its longest ending that
at least :data:`MIN_SUPPORT` strings and a share :data:`MIN_SHARE` of them agree on, at most
:data:`MAX_HAN` Chinese characters long. :func:`twin_start` moves the start of a chosen
subject that ends right before a code to that name when the two differ by at most
:data:`MAX_SLIP` characters at the front; any other subject is left alone.

Round 9 judged it out of fold on the training part: +0.08–0.11 points of subject exact, below
the bar for shipping. This is the harness copy (string level, used by ``twins_inner.py``); the
package wiring (batch level, artefact table, explanation, tests) is commit 927fb0e, reverted.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

CODE = re.compile(r"[(（](?:SH|SZ|HK)?([0-9]{5,6})[)）.]")
"""A stock code after a name, as :mod:`~smokewatch.text.models.subjects` finds it."""
MAX_CONTEXT = 8
"""Characters read in front of a code (A-share short names have 2–4, with ST/*ST up to 6)."""
MAX_HAN = 4
"""A-share short names hold at most four Chinese characters (plus ST, *ST, A, B …): a longer
voted ending has swallowed the end of the headlines usually glued before the name
(``减持宁波银行``, ``万股上峰水泥``)."""
MIN_NAME = 3
"""A shorter common ending is what renamed stocks share (``中发科技`` / ``三佳科技`` → ``科技``)."""
MARKS = "*ST"
"""Risk marks in front of a short name (ST, *ST, S*ST, SST): they come and go as the stock's
status changes, so the texts' vote says nothing about the text at hand: a slip made only of
them is left to the rankers."""
WITH_OWN = True
"""Whether the text at hand's own string votes (and picks which strings vote)."""
MIN_SUPPORT = 2
"""Texts that must end in the same name before a code for it to be that code's name."""
MIN_SHARE = 0.5
"""Share of a code's texts that must end in that name (the longest such ending wins)."""
MAX_SLIP = 3
"""At most this many characters between a chosen subject and its code's name."""
_STOP = re.compile(r"[\s()（）\[\]【】<>《》“”\"'，。、：；！？,.:;!?|/\\0-9%％]")
"""Characters no short name contains: the context starts after the last of them."""
_MARKED = re.compile(r"^S?\*?S?T?")
_HAN = re.compile(r"[\u4e00-\u9fff]")

SPEC = {
    "context": MAX_CONTEXT,
    "min_support": MIN_SUPPORT,
    "min_share": MIN_SHARE,
    "max_slip": MAX_SLIP,
    "max_han": MAX_HAN,
    "min_name": MIN_NAME,
    "marks": MARKS,
    "rule": "code name = longest ending of the text's own string before the code shared by "
    ">= min_support and >= min_share of it and the training strings that end like it; a "
    "subject ending at the code moves to it",
}


def _context(text: str, at: int) -> str:
    """The string in front of position ``at`` (a code's bracket) that may hold a name."""
    before = text[max(0, at - MAX_CONTEXT) : at]
    stops = list(_STOP.finditer(before))
    return before[stops[-1].end() :] if stops else before


def contexts(text: str) -> list[tuple[str, str]]:
    """``(code, string before it)`` for every stock code of ``text``."""
    out = []
    for m in CODE.finditer(text):
        before = _context(text, m.start())
        if len(before) >= 2:
            out.append((m.group(1), before))
    return out


def voted_name(strings: Iterable[str], own: str | None = None) -> str | None:
    """The longest ending shared by enough of ``strings`` (distinct strings, one vote each).

    With ``own`` (the string before the code in the text at hand), only the strings that end
    like it (last two characters) vote, ``own`` included, and the name is an ending of it.
    """
    voters = list(strings)
    if own is not None:
        voters = [s for s in voters if s[-2:] == own[-2:] and s != own] + [own]
    need = max(MIN_SUPPORT, MIN_SHARE * len(voters))
    best: str | None = None
    for size in range(2, MAX_CONTEXT + 1):
        endings = Counter(s[-size:] for s in voters if len(s) >= size)
        if own is not None:
            ending = own[-size:] if len(own) >= size else ""
            k = endings.get(ending, 0)
        elif endings:
            ending, k = endings.most_common(1)[0]
        else:
            break
        if k < need or not _could_be_name(ending):
            break
        best = ending
    return best if best is not None and len(best) >= MIN_NAME else None


def _could_be_name(ending: str) -> bool:
    """At most :data:`MAX_HAN` Chinese characters, risk marks only in front (``减持*ST山水``)."""
    rest = _MARKED.sub("", ending, count=1)
    return "*" not in rest and "ST" not in rest and len(_HAN.findall(rest)) <= MAX_HAN


class NameTable:
    """Stock code → the distinct strings in front of it across the training texts."""

    def __init__(self, seen: Mapping[str, Iterable[str]]) -> None:
        self.seen = {c: tuple(sorted(set(v))) for c, v in sorted(seen.items())}

    @classmethod
    def fit(cls, texts: Iterable[str]) -> NameTable:
        """Collect every code's distinct contexts (each string is one vote).

        A headline pair glued the same way in several texts is one context, not several
        votes: only *different* strings in front of a code show where the name starts.
        """
        seen: dict[str, set[str]] = defaultdict(set)
        for text in dict.fromkeys(texts):
            for code, before in contexts(text):
                seen[code].add(before)
        return cls(seen)

    def name(self, code: str, own: str | None = None) -> str | None:
        """The voted short name of ``code`` (see :func:`voted_name`; None: no agreement)."""
        seen = self.seen.get(code)
        if not seen:
            return None
        return voted_name(seen, own if WITH_OWN else None)

    def __len__(self) -> int:
        return len(self.seen)


NO_NAMES = NameTable({})
"""An empty table (nothing moves)."""


def twin_start(text: str, start: int, end: int, table: NameTable) -> int:
    """The start of ``text[start:end]`` moved to its code's name (``start``: unchanged).

    Only a subject that ends right before a stock code moves, and only to a name that ends
    at the same place and differs from it by 1–:data:`MAX_SLIP` characters at the front,
    not all of them :data:`MARKS`.
    """
    code = CODE.match(text, end)
    if code is None:
        return start
    name = table.name(code.group(1), _context(text, end))
    if name is None or not 1 <= abs(end - start - len(name)) <= MAX_SLIP:
        return start
    at = end - len(name)
    if at < 0 or text[at:end] != name or not text[min(at, start) : max(at, start)].strip(MARKS):
        return start
    return at


def choose(text: str, pick: str, table: NameTable) -> str:
    """``pick`` moved to its code's name at its first occurrence before a code (harness)."""
    for m in re.finditer(re.escape(pick), text):
        if CODE.match(text, m.end()):
            return text[twin_start(text, m.start(), m.end(), table) : m.end()]
    return pick


__all__ = [
    "MARKS",
    "MAX_SLIP",
    "MIN_SHARE",
    "MIN_SUPPORT",
    "NO_NAMES",
    "SPEC",
    "NameTable",
    "choose",
    "contexts",
    "twin_start",
    "voted_name",
]
