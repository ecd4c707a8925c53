"""Who runs a platform: the operating company a text names for a brand.

A platform (尚宇宝, 凯瑞汇) is a brand; the registry, the licences and the smoke index know the
company behind it. Reports say who that is in a few fixed ways, and only those are read:

* the brand, then a role word, then the company — “尚宇宝”运营方芜湖尚宇信息科技有限公司,
  尚宇宝平台的运营主体为…, 尚宇宝（运营公司：…）;
* the company, then 旗下 / 运营的 / 开发的 / 推出的, then the brand —
  芜湖尚宇信息科技有限公司旗下“尚宇宝”, 由芜湖尚宇…运营的“尚宇宝”平台.

A brand is a platform mention or any quoted name; the company is an organisation mention
(:func:`~smokewatch.text.mentions.find_mentions`). Nothing is guessed from proximity alone: a
brand and a company side by side without a role word are not linked. A role word standing
alone in front of a company (……运营方芜湖盛隆…有限公司人去楼空) names the operator of the
text's brand only when the text names exactly one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from smokewatch.text.mentions import Mention, MentionKind

_ROLE = r"(?:实际)?(?:运营方|运营主体|运营公司|运营商|开发商|开发方|所属公司|背后公司|控股方)"
_CLOSE = r"[”」』》】\"]?"
_OPEN = r"[“「『《【\"]?"
_DESCRIPTOR = r"(?:平台|APP|App|app|网站|小程序|公众号)?"
_ROLE_BETWEEN = re.compile(rf"{_CLOSE}{_DESCRIPTOR}(?:的)?[（(]?{_ROLE}(?:为|是)?[:：]?\s*")
"""What stands between a brand and the company named after it."""
_ROLE_BEFORE = re.compile(rf"{_ROLE}(?:为|是)?[:：]?\s*$")
"""A role word right in front of a company, with no brand before it (see :func:`_lone_role`)."""
_RUNS_BETWEEN = re.compile(rf"(?:旗下的?|(?:运营|开发|推出|打造|经营)的){_DESCRIPTOR}{_OPEN}")
"""What stands between a company and the brand named after it."""
_QUOTED = re.compile(
    r"[“「『《【\"]([^“”「」『』《》【】\"\s,.:;!?，：；！？。、]{2,20})[”」』》】\"]"
)
_REACH = 16
"""Longest stretch of role words considered between a brand and its company."""


class Brand(NamedTuple):
    """A brand as written (quotes excluded) and where it stands."""

    name: str
    start: int
    end: int


def brands(text: str, mentions: Iterable[Mention]) -> list[Brand]:
    """Platform mentions and quoted names of ``text``, left to right, without repeats."""
    found = {
        (m.start, m.end): Brand(m.text, m.start, m.end)
        for m in mentions
        if m.kind is MentionKind.PLATFORM
    }
    for quoted in _QUOTED.finditer(text):
        start, end = quoted.span(1)
        found.setdefault((start, end), Brand(quoted.group(1), start, end))
    return sorted(found.values(), key=lambda b: b.start)


def find_operators(text: str, mentions: Iterable[Mention]) -> dict[str, Mention]:
    """Each brand of ``text`` whose operator the text states, with that company's mention.

    Examples:
        >>> from smokewatch.text.mentions import find_mentions
        >>> text = "“尚宇宝”运营方芜湖尚宇信息科技有限公司近日发布公告称，平台停止运营"
        >>> {b: m.text for b, m in find_operators(text, find_mentions(text)).items()}
        {'尚宇宝': '芜湖尚宇信息科技有限公司'}
        >>> text = "芜湖尚宇信息科技有限公司与“尚宇宝”无关"
        >>> find_operators(text, find_mentions(text))
        {}
    """
    mentions = list(mentions)
    companies = [m for m in mentions if m.kind is MentionKind.ORGANISATION]
    operators: dict[str, Mention] = {}
    named = brands(text, mentions)
    for brand in named:
        for company in companies:
            if brand.end <= company.start <= brand.end + _REACH:
                linked = _ROLE_BETWEEN.fullmatch(text, brand.end, company.start) is not None
            elif company.end <= brand.start <= company.end + _REACH:
                linked = _RUNS_BETWEEN.fullmatch(text, company.end, brand.start) is not None
            else:
                continue
            if linked:
                operators.setdefault(brand.name, company)
    return operators | _lone_role(text, named, companies, operators)


def _lone_role(
    text: str, named: list[Brand], companies: list[Mention], linked: dict[str, Mention]
) -> dict[str, Mention]:
    """The text's only brand and the company a role word names away from it, if unlinked.

    “盛隆宝”从三月开始就提现困难……运营方芜湖盛隆…有限公司人去楼空: the role word stands
    alone, and with one brand in the text there is no doubt whose operator it names. With two
    brands or none, nothing is linked.
    """
    names = {brand.name for brand in named}
    if len(names) != 1 or linked:
        return {}
    for company in companies:
        if _ROLE_BEFORE.search(text, max(0, company.start - _REACH), company.start):
            return {names.pop(): company}
    return {}


__all__ = ["Brand", "brands", "find_operators"]
