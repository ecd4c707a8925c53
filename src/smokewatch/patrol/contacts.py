"""Contact and identity facts on a patrolled page: who runs the site and how to reach them.

An analyst who finds a suspicious site wants to know who is behind it: the phone numbers,
WeChat and QQ ids and e-mail addresses it gives investors, the ICP filing number in its footer
(京ICP备12345678号-1: the filing names the operator), the unified social credit codes (USCC)
and company or platform names it shows. :func:`page_facts` reads them from a page's extracted
text; each :class:`Fact` keeps the span it came from, so the evidence shows where it was seen.

* Phones, WeChat, QQ, e-mails, organisations and platforms come from the text kit's mention
  finder (:func:`smokewatch.text.mentions.find_mentions`, its rules apply).
* ICP numbers (``备`` filings and ``证`` licences) are read here; the value is the filing
  without its site suffix (``京ICP备12345678号``), which is what names the operator and joins
  sites of one operator; the surface keeps the suffix.
* USCCs are read here and kept only when their check character is right.
* A number that is part of an ICP or a USCC is not also a phone or QQ number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smokewatch.model.types.base import ValueTypeError
from smokewatch.model.types.uscc import clean_uscc
from smokewatch.text.mentions import MentionKind, find_mentions

FACT_KINDS = ("icp", "uscc", "email", "wechat", "qq", "phone", "organisation", "platform")
"""Kinds of facts, in the order they are reported for one page."""

_MENTION_KINDS = {
    MentionKind.EMAIL: "email",
    MentionKind.WECHAT: "wechat",
    MentionKind.QQ: "qq",
    MentionKind.PHONE: "phone",
    MentionKind.ORGANISATION: "organisation",
    MentionKind.PLATFORM: "platform",
}

_ICP = re.compile(
    r"([\u4e00-\u9fff])\s*[IiＩｉ][CcＣｃ][PpＰｐ]\s*(备|证)\s*[:：]?\s*([0-9０-９]{6,10})\s*号?"
    r"(?:\s*[-－—]\s*[0-9０-９]{1,3})?"
)
_USCC = re.compile(r"(?<![0-9A-Za-z])([0-9A-Ya-y][0-9A-Za-z]{17})(?![0-9A-Za-z])")
_FOLD_DIGITS = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９"}


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact seen on a page: ``text == page_text[start:end]``, ``value`` to compare."""

    kind: str
    value: str
    text: str
    start: int
    end: int

    def as_dict(self) -> dict[str, str | int]:
        """The fact as JSON-ready values."""
        return {
            "kind": self.kind,
            "value": self.value,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


def _icps(text: str) -> list[Fact]:
    facts = []
    for found in _ICP.finditer(text):
        number = found.group(3).translate(_FOLD_DIGITS)
        value = f"{found.group(1)}ICP{found.group(2)}{number}号"
        facts.append(Fact("icp", value, found.group(0), found.start(), found.end()))
    return facts


def _usccs(text: str) -> list[Fact]:
    facts = []
    for found in _USCC.finditer(text):
        try:
            value = clean_uscc(found.group(1))
        except ValueTypeError:
            continue
        facts.append(Fact("uscc", value, found.group(1), found.start(), found.end()))
    return facts


def page_facts(text: str, *, within: str | None = None) -> tuple[Fact, ...]:
    """Every contact and identity fact of ``text``, by kind (:data:`FACT_KINDS`), then position.

    ``within`` is the workspace's division code (it only breaks ties between place names).

    Examples:
        >>> text = "客服电话：139-1234-5678，微信：xinyuan888。京ICP备12345678号-1"
        >>> [(f.kind, f.value) for f in page_facts(text)]
        [('icp', '京ICP备12345678号'), ('wechat', 'xinyuan888'), ('phone', '13912345678')]
    """
    own = _icps(text) + _usccs(text)
    facts = list(own)
    for mention in find_mentions(text, within=within):
        kind = _MENTION_KINDS.get(mention.kind)
        if kind is None or any(
            mention.start < fact.end and fact.start < mention.end for fact in own
        ):
            continue
        facts.append(Fact(kind, str(mention.value), mention.text, mention.start, mention.end))
    order = {kind: rank for rank, kind in enumerate(FACT_KINDS)}
    return tuple(sorted(facts, key=lambda f: (order[f.kind], f.start)))


__all__ = ["FACT_KINDS", "Fact", "page_facts"]
