"""Organisation and platform names in free text: where a name ends, and where it starts.

A name *ends* in something recognisable: a registered form (有限公司, 股份有限公司, 合伙企业（有限
合伙）, 集团, 分公司, 事务所, 合作社, 银行, 基金会) for organisations, and for platforms a typical
ending (理财, 金服, 财富, 资本, 基金, 网贷, 钱包, 金融, 创投, 宝, 贷). Platform-like names count
only where the text introduces them: in quotation marks (“鑫源理财”, 《鑫源宝》, or any quoted
name followed by APP/平台), before a descriptor (鑫源理财平台, ABC平台), after an introducing
word (名为, 旗下, 登录, 下载, 通过 …), or as 名为X的平台/公司; a bare 理财 or 宝 in running text is
no name.

Where a name *starts* is the hard part, because Chinese writes no spaces: 据芜湖鑫源理财咨询有限
公司称 must give 芜湖鑫源理财咨询有限公司. The stretch before the ending is cut at punctuation,
long numbers, an unclosed bracket, the end of a previous name and 30 characters, then segmented
with jieba's dictionary (without its HMM, so unknown trade names fall apart into single
characters and never merge with the word before them); the name starts after the last boundary
word (the lists are data: ``text/lexicons/mention_words.yml``). This is the one decision jieba
is used for; it runs only where an ending was found, on a few dozen characters.

A name is dropped when it is generic (投资管理有限公司, 该集团, 犯罪集团, 网贷平台, 信用贷) or
anonymised (芜湖某科技有限公司, XX理财). Platform descriptors are not part of the name: e租宝平台
gives e租宝. The reading is a heuristic: on the FinNSP news sample it finds about 84 % of the
labelled entities that carry a registered ending, exactly.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from smokewatch.model._yaml import load_yaml_resource, package_dir
from smokewatch.model.divisions import Level, load_divisions
from smokewatch.model.types.text import fold_width
from smokewatch.text.address import short_form
from smokewatch.text.jieba_dictionary import jieba_tokenizer, load_jieba_dictionary

MAX_NAME = 30
"""Longest name considered (characters before the ending)."""

_CJK = "\u4e00-\u9fff"
_HARD_STOP = re.compile(rf"[^{_CJK}A-Za-z0-9()（）·&]|[0-9]{{4,}}")
"""What no name contains: punctuation, quotes, whitespace, long numbers (cards, phones)."""

_ORG_ENDING = re.compile(
    r"(?=[集银股有合(（分事联基])(?:"
    r"集团(?:股份有限公司|有限责任公司|有限公司)?"
    r"|[(（]集团[)）](?:股份有限公司|有限责任公司|有限公司)"
    r"|银行(?![业卡间家])(?:[(（]中国[)）])?(?:股份有限公司|有限责任公司|有限公司)?"
    r"|股份有限公司|有限责任公司|有限公司"
    r"|合伙企业[(（](?:特殊普通|有限|普通)合伙[)）]|[(（](?:特殊普通|有限|普通)合伙[)）]"
    r"|分公司|事务所|联合社|合作社|基金会)"
)
"""Registered forms and other organisation endings (the look-ahead lets the scan skip fast)."""
_BRANCH = re.compile(rf"([{_CJK}]{{2,6}}?)(?:分公司|分行|支行|营业部|办事处|分所)")
_BRANCH_STOP = frozenset("在的和与了是为将把被对从向及或")

_PLATFORM_ENDINGS = (
    "理财", "金服", "财富", "资本", "基金", "网贷", "钱包", "金融", "创投", "宝", "贷"
)  # fmt: skip
_DESCRIPTOR = re.compile(
    r"(?:P2P网贷平台|P2P平台|网贷平台|P2P网贷|P2P|平台|APP|App|app|网站|公众号|小程序|官网)"
)
_QUOTED = re.compile(
    r"[“「『《【\"]([^“”「」『』《》【】\"\s,.:;!?，：；！？。、]{1,20})[”」』》】\"]"
)
"""A quoted name; 【…】 is also how SMS name their sender."""
_INTRODUCED = re.compile(
    r"(?:名为|叫做|叫|称为|旗下的?|登录|下载|注册|使用|通过|推出|上线|加入|借助|利用|投资|在)"
    rf"(?:了|的|过)?([{_CJK}A-Za-z0-9]{{1,10}}?(?:{'|'.join(_PLATFORM_ENDINGS)}))"
)
_NAMED = re.compile(
    r"(?:名为|名叫|叫做|叫|称为)[“\"]?"
    r"([^,。;:!?，：；！？“”\"\s的]{2,12}?)[”\"]?的"
    r"(公司|企业|机构|组织|平台|APP|App|app|网站|软件|项目)"
)
_NAMED_ORGANISATION = frozenset({"公司", "企业", "机构", "组织"})
_CONJUNCTIONS = frozenset("和与及同跟或、")
_TITLE_NOT_PLATFORM = re.compile(
    r"(?:法|条例|规定|办法|解释|通知|意见|决定|公告|通告|报|杂志|规划|方案|指引|目录|细则|章程"
    r"|合同|协议|书|令|函|准则|标准|纲要|白皮书|报告)$"
)
_ANONYMISED = re.compile(r"某|[X×*＊]{2}|XX|xx")
_ROLE_PREFIX = re.compile(
    r"(?:实际)?(?:运营方|运营主体|运营公司|运营商|开发商|开发方|所属公司|背后公司|控股方)(?:为|是)?"
)
"""A role word glued in front of a name (“凯瑞汇”运营方芜湖凯瑞信息科技有限公司): jieba cuts
运营|方, and 运营 alone is a name word (芜湖城市运营管理有限公司), so the role is stripped here."""


class NameSpan(NamedTuple):
    """A name found in text: ``start``/``end`` in the text, and whether it is a platform."""

    start: int
    end: int
    platform: bool


@dataclass(frozen=True, slots=True)
class _Words:
    """The lists of ``mention_words.yml`` and jieba, loaded together on first use."""

    boundary: frozenset[str]
    boundary_tagged: frozenset[str]
    """jieba's words whose part-of-speech tag is one of ``boundary_tags``."""
    name_words: frozenset[str]
    generic: frozenset[str]
    places: frozenset[str]
    cut: Callable[[str], list[str]]


@cache
def _words() -> _Words:
    """Load the word lists, the place names and jieba's dictionary (once).

    jieba's prefix dictionary and part-of-speech tags come from the copy shipped with the
    package (:mod:`smokewatch.text.jieba_dictionary`), or from jieba itself where its
    dictionary differs from that copy; nothing is loaded at import time.
    """
    import jieba  # noqa: PLC0415 - heavy: loaded on first use only

    jieba.setLogLevel(logging.WARNING)
    raw = load_yaml_resource(package_dir("smokewatch.text", "lexicons") / "mention_words.yml")
    boundary_tags = frozenset(raw["boundary_tags"].split())
    dictionary = load_jieba_dictionary()
    tokenizer: Any = jieba_tokenizer(dictionary)

    def cut(text: str) -> list[str]:
        return list(tokenizer.cut(text, HMM=False))

    if dictionary is not None:
        tagged = dictionary.words_tagged(boundary_tags)
    else:
        import jieba.posseg  # noqa: PLC0415

        tags: Mapping[str, str] = jieba.posseg.dt.word_tag_tab
        tagged = frozenset(word for word, tag in tags.items() if tag in boundary_tags)
    places: set[str] = set()
    for division in load_divisions():
        if division.level is not Level.TOWNSHIP and division.status != "placeholder":
            places.add(division.name)
            short = short_form(division.name, division.level)
            if short is not None:
                places.add(short)
    return _Words(
        boundary=frozenset(raw["boundary"].split()),
        boundary_tagged=tagged,
        name_words=frozenset(raw["name_words"].split()),
        generic=frozenset(raw["generic"].split()),
        places=frozenset(places),
        cut=cut,
    )


def _is_boundary(token: str, words: _Words) -> bool:
    if token in words.boundary or token.upper() in words.boundary:
        return True
    if len(token) < 2 or token in words.name_words or token.isascii():
        return False
    return token in words.boundary_tagged or token.endswith(("公司", "集团"))


def _is_generic(tokens: list[str], words: _Words) -> bool:
    """Whether the words are determiners, industries and places only (芜湖投资管理)."""
    return all(t.upper() in words.generic or t.isdigit() or t in words.places for t in tokens)


def _window_start(folded: str, end: int, floor: int) -> int:
    """Where the stretch that may hold a name ending at ``end`` begins.

    After the last punctuation or long number, and after an opening bracket that is not closed
    before ``end`` (华泰金融（上海安民…有限公司 starts at 上海).
    """
    start = max(floor, end - MAX_NAME)
    for stop in _HARD_STOP.finditer(folded, start, end):
        start = stop.end()
    unclosed = None
    for index in range(start, end):
        if folded[index] in "(（":
            unclosed = index if unclosed is None else unclosed
        elif folded[index] in ")）":
            unclosed = None
    return start if unclosed is None else unclosed + 1


def _name_start(folded: str, end: int, floor: int) -> tuple[int, list[str]]:
    """The start of the name ending at ``end`` and its words (see the module docstring)."""
    words = _words()
    begin = _window_start(folded, end, floor)
    tokens = words.cut(folded[begin:end]) if end > begin else []
    kept: list[str] = []
    for token in reversed(tokens):
        if _is_boundary(token, words):
            break
        kept.append(token)
    kept.reverse()
    return end - sum(map(len, kept)), kept


def _on_token_edges(folded: str, begin: int, start: int, end: int) -> bool:
    """Whether jieba cuts the text around an introduced name at ``begin``, ``start``, ``end``.

    An introduced name must not begin inside a word (现在|小资钱包 has no 在) nor end inside
    one (通过中国宝武钢铁 has no 中国宝).
    """
    words = _words()
    position = max(0, begin - 3)
    edges = {position}
    after = ""
    for token in words.cut(folded[position : end + 4]):
        if position == end:
            after = token
        position += len(token)
        edges.add(position)
    # 通过中国宝|武|钢铁: a single unknown character after a one-character ending (宝, 贷)
    # continues a word jieba does not know.
    unknown_after = len(after) == 1 and "\u4e00" <= after <= "\u9fff"
    if unknown_after and after not in words.boundary and folded[end - 1] in "宝贷":
        return False
    return begin in edges and start in edges and end in edges


def find_names(text: str, folded: str | None = None) -> list[NameSpan]:
    """Organisation and platform names in ``text``, left to right, never overlapping.

    ``folded`` is ``text`` with full-width letters and digits made half-width, if the caller
    has it already (the patterns accept both widths of punctuation).

    Examples:
        >>> text = "据芜湖鑫源理财咨询有限公司称，其旗下鑫源金服已下线"
        >>> [(text[n.start:n.end], n.platform) for n in find_names(text)]
        [('芜湖鑫源理财咨询有限公司', False), ('鑫源金服', True)]
    """
    folded = folded if folded is not None else fold_width(text)
    names = _organisations(folded)
    for name in _platforms(folded):
        if all(name.end <= other.start or name.start >= other.end for other in names):
            names.append(name)
    names.sort()
    return names


def _organisations(folded: str) -> list[NameSpan]:
    words = _words()
    names: list[NameSpan] = []
    floor = 0
    for ending in _ORG_ENDING.finditer(folded):
        if ending.start() < floor:
            continue
        start, tokens = _name_start(folded, ending.start(), floor)
        if names and start == names[-1].end and folded[start] in _CONJUNCTIONS:
            start += 1  # 某某集团和善林金融…: jieba glued the conjunction to the next name
            tokens = words.cut(folded[start : ending.start()])
        role = _ROLE_PREFIX.match(folded, start, ending.start())
        if role is not None and ending.start() - role.end() >= 2:
            start = role.end()
            tokens = words.cut(folded[start : ending.start()])
        end = ending.end()
        branch = _BRANCH.match(folded, end)
        if branch and not _BRANCH_STOP.intersection(branch.group(1)):
            end = branch.end()
        if len("".join(tokens)) < 2:
            continue
        if _is_generic(tokens, words):
            local_bank = ending.group().startswith("银行") and all(
                t in words.places for t in tokens
            )
            if not local_bank:
                continue  # 投资管理有限公司, 犯罪集团, 芜湖分公司 — but 安徽银行 is a name
        if _ANONYMISED.search(folded, start, end):
            continue
        names.append(NameSpan(start, end, platform=False))
        floor = end
    for named in _NAMED.finditer(folded):
        start, end = named.span(1)
        if (
            named.group(2) in _NAMED_ORGANISATION
            and not _ANONYMISED.search(folded, start, end)
            and all(end <= n.start or start >= n.end for n in names)
        ):
            names.append(NameSpan(start, end, platform=False))
    names.sort()
    return names


class _PlatformFinder:
    """Collects platform names from the four introducing contexts of the module docstring."""

    def __init__(self, folded: str) -> None:
        self.folded = folded
        self.found: dict[tuple[int, int], NameSpan] = {}

    @property
    def words(self) -> _Words:
        return _words()  # cached; jieba loads only when a candidate name turns up

    def keep(self, start: int, end: int, *, explicit: bool = False) -> None:
        """Keep a candidate name.

        ``explicit`` names (quoted and followed by 平台/APP) skip the phrase test: their quotes
        already say where the name starts and ends.
        """
        folded = self.folded
        tokens = self.words.cut(folded[start:end])
        phrase = any(len(t) > 1 and _is_boundary(t, self.words) for t in tokens)
        if end - start < 2 or (phrase and not explicit):
            return  # a phrase (自己的信贷, 选择正规的理财), not a name
        if _is_generic(tokens, self.words):
            return
        if _ORG_ENDING.search(folded, start, end) or _ANONYMISED.search(folded, start, end):
            return
        self.found.setdefault((start, end), NameSpan(start, end, platform=True))

    def quoted(self) -> None:
        for quoted in _QUOTED.finditer(self.folded):
            name = quoted.group(1)
            described = _DESCRIPTOR.match(self.folded, quoted.end()) is not None
            if not (name.endswith(_PLATFORM_ENDINGS) or described):
                continue
            if quoted.group(0)[0] == "《" and _TITLE_NOT_PLATFORM.search(name):
                continue  # 《防范和处置非法集资条例》
            self.keep(*quoted.span(1), explicit=described)

    def described(self) -> None:
        folded = self.folded
        for descriptor in _DESCRIPTOR.finditer(folded):
            end = descriptor.start()
            brand = end > 0 and folded[end - 1].isascii() and folded[end - 1].isalnum()
            if not (folded[max(0, end - 2) : end].endswith(_PLATFORM_ENDINGS) or brand):
                continue  # 鑫源理财平台, e租宝平台, ABC平台 — not 某某服务平台
            start, tokens = _name_start(folded, end, 0)
            if tokens and end - start <= 12:
                self.keep(start, end)

    def introduced(self) -> None:
        for match in _INTRODUCED.finditer(self.folded):
            if _on_token_edges(self.folded, match.start(), match.start(1), match.end(1)):
                self.keep(*match.span(1))
        for named in _NAMED.finditer(self.folded):
            if named.group(2) not in _NAMED_ORGANISATION:
                self.keep(*named.span(1))

    def names(self) -> list[NameSpan]:
        spans = sorted(self.found.values(), key=lambda n: (n.start, n.start - n.end))
        kept: list[NameSpan] = []
        for span in spans:
            if not kept or span.start >= kept[-1].end:
                kept.append(span)
        return kept


def _platforms(folded: str) -> list[NameSpan]:
    finder = _PlatformFinder(folded)
    finder.quoted()
    finder.described()
    finder.introduced()
    return finder.names()


__all__ = ["MAX_NAME", "NameSpan", "find_names"]
