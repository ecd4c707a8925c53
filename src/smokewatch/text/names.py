"""Reading an enterprise name (企业名称): restricted words, and the parts that are cheap to find.

《企业名称登记管理规定》第六条 builds a name from 行政区划名称 + 字号 + 行业或者经营特点 +
组织形式; a branch adds its own designation (第十三条: …分公司). :func:`analyse_name` finds

* every restricted-word hit, with its span (see :mod:`smokewatch.text.matcher`);
* the *region*: a leading chain of division names (安徽省芜湖市, 芜湖, 北京市朝阳区), full or
  short (province and prefecture level only: 芜湖 for 芜湖市, 广西 for 广西壮族自治区), or a
  bracketed one after the trade name (鑫源（芜湖）科技有限公司, （中国）);
* the *organisational form* (有限公司, 有限责任公司, 股份有限公司, 合伙企业（有限合伙）, …);
* the *branch* designation after the parent's form (中国工商银行股份有限公司|芜湖分行);
* and the *core* in between: trade name plus industry, which this module does not split.

The parts are a cheap reading, good for display and simple rules, not a parser: a trade name
that starts like a prefecture (白银…) is read as a region.

Restricted words are matched literally, as 条例第九条 speaks of 字样. So 金融 inside 金融街 or
金融港 IS reported (the rule, not the text kit, decides whether a place name is acceptable),
while near misses are not, because the lexicon does not contain the shorter words: 理发 is not
理财, 财富广场 has 财富 but not 财富管理, 二手车交易市场 has 交易 but not 交易所 or
交易中心, 资产评估 has 资产 but not 资产管理, 投资咨询 has 投资 but not 投资管理. Words split
across two words are not reported either (代理|财产保险 holds the characters of 理财): see the
lexicon's false friends.

Examples:
    >>> from smokewatch.text.lexicon import load_lexicon
    >>> matcher = load_lexicon("restricted_financial_words").matcher("name")
    >>> analysis = analyse_name("芜湖市鑫源财富管理有限公司", matcher)
    >>> analysis.terms, analysis.region.text, analysis.core.text, analysis.organisational_form.text
    (('财富管理',), '芜湖市', '鑫源财富管理', '有限公司')
    >>> analyse_name("芜湖市镜湖区丽人理发店", matcher).terms
    ()
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from smokewatch.model.divisions import Division, Level, load_divisions
from smokewatch.model.types.text import fold_width
from smokewatch.text.matcher import LexiconMatcher, Match

# Longest first where one ends another; compared on width-folded text, so （有限合伙） and
# (有限合伙) are the same.
_FORMS = (
    "合伙企业(特殊普通合伙)",
    "合伙企业(有限合伙)",
    "合伙企业(普通合伙)",
    "(特殊普通合伙)",
    "(有限合伙)",
    "(普通合伙)",
    "农民专业合作社联合社",
    "股份有限公司",
    "有限责任公司",
    "股份合作公司",
    "农民专业合作社",
    "个人独资企业",
    "专业合作社",
    "有限公司",
    "合伙企业",
    "合作社",
    "经营部",
    "服务部",
    "门市部",
    "工作室",
    "商行",
    "公司",
)
_BRANCHES = (
    "分公司",
    "分理处",
    "办事处",
    "代表处",
    "营业部",
    "分行",
    "支行",
    "分店",
    "分厂",
    "分部",
    "分所",
)
_PROVINCE_SUFFIX = re.compile(r"(.{2,}?)(?:(?:壮族|回族|维吾尔)?自治区|特别行政区|省|市)$")
_CITY_SUFFIX = re.compile(r"(.{2,}?)(?:(?:.{1,3}?族)*自治州|地区|盟|市)$")
_BRACKETED = re.compile(r"[(]([^()]{2,12})[)]")
_MAX_CHAIN = 3
_Span = tuple[int, int]
_PREFIX_DIGITS = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9}
_LEVEL_RANK = {Level.PROVINCE: 0, Level.CITY: 1, Level.COUNTY: 2, Level.TOWNSHIP: 3}


@dataclass(frozen=True, slots=True)
class NamePart:
    """A part of an enterprise name with its span (``name[start:end] == text``)."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class NameAnalysis:
    """Restricted-word hits and the cheaply derived parts of one enterprise name."""

    name: str
    hits: tuple[Match, ...]
    region: NamePart | None
    """Division names before the trade name (芜湖市), or bracketed after it (（芜湖）)."""
    region_code: str | None
    """Code of the most specific division of the region when it is unambiguous."""
    core: NamePart | None
    """Trade name plus industry: what remains between region and organisational form (a
    bracketed region in the middle, 鑫源（芜湖）科技, stays inside)."""
    organisational_form: NamePart | None
    """有限公司, 股份有限公司, 合伙企业（有限合伙） … (of the parent, for a branch)."""
    branch: NamePart | None
    """The branch designation after the parent's form (芜湖分公司, 镜湖支行)."""

    @property
    def terms(self) -> tuple[str, ...]:
        """The distinct restricted terms found, in order of first appearance."""
        return tuple(dict.fromkeys(h.term for h in self.hits))


def _short_forms(division: Division) -> list[str]:
    """芜湖 for 芜湖市, 广西 for 广西壮族自治区, 义乌 for 义乌市; none for 县 and 区.

    Short forms of counties and districts collide with common trade names (兴业县 and 兴业银行,
    新华区 and 新华书店), so only county-level *cities* get one.
    """
    if division.level is Level.PROVINCE:
        found = _PROVINCE_SUFFIX.fullmatch(division.name)
    elif division.level is Level.CITY or division.name.endswith("市"):
        found = _CITY_SUFFIX.fullmatch(division.name)
    else:
        found = None
    return [found.group(1)] if found else []


@dataclass(frozen=True, slots=True)
class _RegionIndex:
    by_name: Mapping[str, tuple[Division, ...]]
    lengths_by_first: Mapping[str, tuple[int, ...]]
    """Key lengths by first character, longest first: the only sizes worth trying."""
    lengths_by_last: Mapping[str, tuple[int, ...]]


@cache
def _region_index() -> _RegionIndex:
    """Division names and short forms (province to county) → divisions, built once."""
    index: dict[str, list[Division]] = {}
    for division in load_divisions():
        if division.level is Level.TOWNSHIP or division.status == "placeholder":
            continue
        for key in (division.name, *_short_forms(division)):
            if len(key) >= 2:
                index.setdefault(key, []).append(division)
    first: dict[str, set[int]] = {}
    last: dict[str, set[int]] = {}
    for key in index:
        first.setdefault(key[0], set()).add(len(key))
        last.setdefault(key[-1], set()).add(len(key))
    return _RegionIndex(
        {key: tuple(values) for key, values in index.items()},
        {char: tuple(sorted(sizes, reverse=True)) for char, sizes in first.items()},
        {char: tuple(sorted(sizes, reverse=True)) for char, sizes in last.items()},
    )


@cache
def _by_last(suffixes: tuple[str, ...]) -> Mapping[str, tuple[str, ...]]:
    """Suffixes (organisational forms, branch designations) by last character, in order."""
    grouped: dict[str, list[str]] = {}
    for suffix in suffixes:
        grouped.setdefault(suffix[-1], []).append(suffix)
    return {char: tuple(group) for char, group in grouped.items()}


def _within(division: Division, parents: tuple[Division, ...]) -> bool:
    return any(
        division.code.startswith(p.code[: _PREFIX_DIGITS[p.level]]) and division.code != p.code
        for p in parents
    )


def _leading_region(name: str, start: int, limit: int) -> tuple[int, tuple[Division, ...]]:
    """End of the chain of division names at ``start`` (``start`` if none), last candidates."""
    index = _region_index()
    end, current = start, tuple[Division, ...]()
    for _ in range(_MAX_CHAIN):
        if end >= limit:
            break
        for size in index.lengths_by_first.get(name[end], ()):
            if end + size > limit:
                continue
            candidates = index.by_name.get(name[end : end + size], ())
            if current:
                candidates = tuple(d for d in candidates if _within(d, current))
            if candidates:
                end, current = end + size, candidates
                break
        else:
            break
    return end, current


def _trailing_region(name: str, start: int, end: int) -> tuple[int, tuple[Division, ...]]:
    """Start of a division name just before the form (开鑫贷融资服务|江苏|有限公司), else ``end``.

    At least two characters of trade name must stay in front of it.
    """
    index = _region_index()
    if end - start < 4:
        return end, ()
    for size in index.lengths_by_last.get(name[end - 1], ()):
        if size > end - start - 2:
            continue
        candidates = index.by_name.get(name[end - size : end], ())
        if candidates:
            return end - size, candidates
    return end, ()


def _code(candidates: tuple[Division, ...]) -> str | None:
    if not candidates:
        return None
    top = min(_LEVEL_RANK[d.level] for d in candidates)
    best = {d.code for d in candidates if _LEVEL_RANK[d.level] == top}
    return best.pop() if len(best) == 1 else None


def _form_ending_at(folded: str, start: int, end: int) -> int | None:
    """Start of the longest organisational form that ends exactly at ``end``."""
    if end <= start:
        return None
    for form in _by_last(_FORMS).get(folded[end - 1], ()):
        if folded.endswith(form, start, end):
            return end - len(form)
    return None


def _form_and_branch(folded: str, start: int, end: int) -> tuple[_Span | None, _Span | None]:
    """Spans of the organisational form and the branch designation."""
    suffix = None
    if end > start:
        candidates = _by_last(_BRANCHES).get(folded[end - 1], ())
        suffix = next((b for b in candidates if folded.endswith(b, start, end)), None)
    if suffix is None:
        at = _form_ending_at(folded, start, end)
        return ((at, end) if at is not None else None), None
    best: _Span | None = None
    for form in _FORMS:
        at = folded.rfind(form, start, end - len(suffix))
        if at >= 0 and (best is None or at + len(form) > best[1]):
            best = (at, at + len(form))
    if best is None:
        return None, (end - len(suffix), end)
    longest = _form_ending_at(folded, start, best[1])
    return (best[0] if longest is None else longest, best[1]), (best[1], end)


def _part(name: str, span: _Span | None) -> NamePart | None:
    if span is None or span[0] >= span[1]:
        return None
    return NamePart(name[span[0] : span[1]], span[0], span[1])


def _bracketed_region(folded: str, start: int, end: int) -> tuple[_Span | None, str | None]:
    for found in _BRACKETED.finditer(folded, start, end):
        inner = found.group(1)
        if inner in ("中国", "中华"):
            return found.span(), None
        candidates = _region_index().by_name.get(inner)
        if candidates:
            return found.span(), _code(candidates)
    return None, None


def _region(name: str, folded: str, start: int, end: int) -> tuple[_Span | None, str | None]:
    """The region span and its code: leading, else bracketed, else just before the form."""
    region_end, candidates = _leading_region(name, start, end)
    if region_end > start:
        return (start, region_end), _code(candidates)
    region, code = _bracketed_region(folded, start, end)
    if region is not None:
        return region, code
    region_start, candidates = _trailing_region(name, start, end)
    if region_start < end:
        return (region_start, end), _code(candidates)
    return None, None


def analyse_name(name: str | None, matcher: LexiconMatcher) -> NameAnalysis:
    """Restricted-word hits and parts of an enterprise name (see the module docstring).

    Build the matcher with ``lexicon.matcher("name")`` to look only for words whose rule
    covers names. ``None`` or an empty name gives an analysis with no hits and no parts.
    Surrounding whitespace is ignored when finding the parts; spans still refer to ``name``.

    Examples:
        >>> from smokewatch.text.lexicon import load_lexicon
        >>> matcher = load_lexicon("restricted_financial_words").matcher("name")
        >>> a = analyse_name("中国工商银行股份有限公司芜湖分行", matcher)
        >>> a.terms, a.organisational_form.text, a.branch.text
        (('银行',), '股份有限公司', '芜湖分行')
        >>> hits = analyse_name("北京金融街物业管理有限公司", matcher).hits
        >>> [(m.term, m.start, m.end) for m in hits]
        [('金融', 2, 4)]
    """
    name = name or ""
    hits = tuple(matcher.find(name))
    start = len(name) - len(name.lstrip())
    end = len(name.rstrip())
    folded = fold_width(name)
    form, branch = _form_and_branch(folded, start, end)
    core_end = form[0] if form else (branch[0] if branch else end)
    region, code = _region(name, folded, start, core_end)
    core_start = region[1] if region is not None and region[0] == start else start
    if region is not None and region[1] == core_end and region[0] > start:
        core_end = region[0]  # the region stands between trade name and form
    return NameAnalysis(
        name=name,
        hits=hits,
        region=_part(name, region),
        region_code=code,
        core=_part(name, (core_start, core_end)),
        organisational_form=_part(name, form),
        branch=_part(name, branch),
    )


__all__ = ["NameAnalysis", "NamePart", "analyse_name"]
