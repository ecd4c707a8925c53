"""Chinese organisation names for entity resolution: one cleaned spelling, read into parts.

《企业名称登记管理规定》第六条 builds a name from 行政区划 + 字号 + 行业或者经营特点 + 组织形式,
and registries, news, complaints and platform lists write the same organisation in many ways:
full- or half-width brackets, traditional or simplified characters, with or without the region,
有限公司 for 有限责任公司, a platform name (陆金服, 红岭创投) for the legal name. :func:`clean_name`
gives one spelling; :func:`parse_org_name` reads it into

* the *region* (division names from the shipped adcode table, leading, bracketed or before the
  form; its code when unambiguous), and a national prefix (中国, 中华) kept apart;
* the *trade name* (字号): what stays after region, industry words, group markers and form;
* the *industry* words (金融信息服务 → 金融信息服务; 农商银行 → 农村商业银行), canonical;
* the *organisational form* as a class (有限责任公司 and 有限公司 are one form), the group
  marker (集团, 控股集团) and the *branch* designation (北京分行, 芜湖分公司);
* for names without a form, the *platform ending* (金服, 理财, 贷, 网) peeled from the trade name.

The word lists are data (``resolve/data/name_words.yml``); the region reading is the text kit's
(:func:`smokewatch.text.names.analyse_name`). A name whose core is only an industry word takes its
region as trade name (北京银行: trade name 北京, industry 银行).

Examples:
    >>> n = parse_org_name("上海陆金所互联网金融信息服务有限公司")
    >>> n.region, n.region_code, n.trade_name, n.industry, n.form
    ('上海', '310000', '陆金所', ('金融信息服务',), '有限公司')
    >>> parse_org_name("微貸（杭州）金融信息服務有限責任公司").key == parse_org_name(
    ...     "微贷(杭州)金融信息服务有限公司").key
    True
    >>> parse_org_name("红岭创投").trade_name
    '红岭'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import opencc

from smokewatch.model._yaml import load_yaml_resource, package_dir
from smokewatch.text.matcher import LexiconMatcher
from smokewatch.text.names import analyse_name

MIN_TRADE = 2
"""Characters of trade name that peeling industry words or platform endings always leaves."""

_FORM_CLASS = {
    "有限责任公司": "有限公司",
    "有限公司": "有限公司",
    "股份有限公司": "股份有限公司",
    "股份合作公司": "股份合作公司",
    "合伙企业(有限合伙)": "有限合伙",
    "(有限合伙)": "有限合伙",
    "合伙企业(普通合伙)": "普通合伙",
    "(普通合伙)": "普通合伙",
    "合伙企业(特殊普通合伙)": "特殊普通合伙",
    "(特殊普通合伙)": "特殊普通合伙",
}
_DROP = re.compile(r"[\s\u200b\u3000\"'“”‘’`《》「」『』〈〉·•・.,，、:：;；!！?？*#_~^|/\\-]+")
_BRACKETS = str.maketrans("[]{}【】〔〕〖〗", "()()()()()")
_BRACKETED = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True, slots=True)
class NameWords:
    """The word lists of ``name_words.yml``, ordered longest first where it matters."""

    industry: tuple[str, ...]
    industry_synonyms: Mapping[str, str]
    group: tuple[str, ...]
    platform_endings: tuple[str, ...]
    national: tuple[str, ...]
    aliases: Mapping[str, str]


def _words(raw: Any, key: str) -> tuple[str, ...]:
    return tuple(sorted(set(str(raw[key]).split()), key=lambda w: (-len(w), w)))


@cache
def name_words() -> NameWords:
    """Load the shipped word lists (cached)."""
    raw = load_yaml_resource(package_dir("smokewatch.resolve", "data") / "name_words.yml")
    synonyms = {str(k): str(v) for k, v in raw["industry_synonyms"].items()}
    return NameWords(
        industry=tuple(sorted({*_words(raw, "industry"), *synonyms}, key=lambda w: (-len(w), w))),
        industry_synonyms=synonyms,
        group=_words(raw, "group"),
        platform_endings=_words(raw, "platform_endings"),
        national=_words(raw, "national"),
        aliases={str(k): str(v) for k, v in raw["aliases"].items()},
    )


@cache
def _t2s() -> Any:
    return opencc.OpenCC("t2s")


@cache
def _no_words() -> LexiconMatcher:
    return LexiconMatcher({})


def clean_name(raw: str | None) -> str:
    """One spelling of a name: NFKC (full → half width), simplified, no spaces or quotes.

    Brackets of every kind become ``()``, Latin letters are lower-cased, punctuation that
    registries and news add (·, quotes, 《》, dots, dashes) is dropped.

    Examples:
        >>> clean_name("  微貸（杭州） 金融信息服務有限公司 ")
        '微贷(杭州)金融信息服务有限公司'
        >>> clean_name("“PPmoney”理财")
        'ppmoney理财'
    """
    if not raw:
        return ""
    text = unicodedata.normalize("NFKC", raw).translate(_BRACKETS)
    text = _DROP.sub("", text)
    if any(ord(ch) > 0x2E80 for ch in text):
        text = str(_t2s().convert(text))
    return unicodedata.normalize("NFKC", text.casefold())


@dataclass(frozen=True, slots=True)
class OrgName:
    """An organisation name read into its parts (see the module docstring)."""

    raw: str
    clean: str
    region: str | None
    region_code: str | None
    national: bool
    trade_name: str
    industry: tuple[str, ...]
    group: str | None
    form: str | None
    branch: str | None
    platform_ending: str | None

    @property
    def core(self) -> str:
        """Trade name and industry words: the name without region, form and branch."""
        return self.trade_name + "".join(self.industry)

    @property
    def key(self) -> str:
        """An exact-match key: equal keys are the same name written differently."""
        region = self.region_code or (self.region or "")
        return "|".join(
            (region, self.trade_name, "".join(self.industry), self.form or "", self.branch or "")
        )


@cache
def _lengths(words: tuple[str, ...]) -> tuple[tuple[int, ...], frozenset[str]]:
    return tuple(sorted({len(w) for w in words}, reverse=True)), frozenset(words)


def _peel_suffix(text: str, words: tuple[str, ...], keep: int) -> tuple[str, str | None]:
    """The longest word of ``words`` ending ``text`` that leaves ``keep`` characters."""
    sizes, members = _lengths(words)
    for size in sizes:
        if len(text) - size >= keep and text[-size:] in members:
            return text[:-size], text[-size:]
    return text, None


def _strip_brackets(core: str) -> tuple[str, str | None]:
    """Drop bracketed regions and group markers inside the core; keep other bracket text."""
    group = None

    def inner(found: re.Match[str]) -> str:
        nonlocal group
        text = found.group(1)
        if text in name_words().group:
            group = text
            return ""
        if text in name_words().national or analyse_name(text, _no_words()).region is not None:
            return ""
        return text

    return _BRACKETED.sub(inner, core).replace("(", "").replace(")", ""), group


def _branch_region(core: str, branch: str) -> tuple[str, str]:
    """中国工商银行北京|分行 (no form): the place before the designation belongs to the branch."""
    for size in (5, 4, 3, 2):
        tail = core[-size:]
        if len(core) - size < MIN_TRADE:
            continue
        region = analyse_name(tail, _no_words()).region
        if region is not None and region.start == 0 and region.end == len(tail):
            return core[:-size], tail + branch
    return core, branch


def parse_org_name(raw: str | None) -> OrgName:
    """Read a name into region, trade name, industry, group, form and branch.

    Examples:
        >>> n = parse_org_name("中国工商银行股份有限公司北京分行")
        >>> n.national, n.trade_name, n.industry, n.form, n.branch
        (True, '工商', ('银行',), '股份有限公司', '北京分行')
        >>> n = parse_org_name("北京农商银行")
        >>> n.trade_name, n.industry
        ('北京', ('农村商业银行',))
    """
    words = name_words()
    clean = clean_name(raw)
    aliased = words.aliases.get(clean, clean)
    analysis = analyse_name(aliased, _no_words())
    region = analysis.region.text.strip("()") if analysis.region else None
    region_code = analysis.region_code
    if region in words.national:
        region, region_code = None, None
    core = analysis.core.text if analysis.core else ""
    core, group = _strip_brackets(core)
    national = False
    for prefix in words.national:
        if core.startswith(prefix) and len(core) > len(prefix):
            core, national = core[len(prefix) :], True
            break
    if group is None:
        core, group = _peel_suffix(core, words.group, MIN_TRADE)
    part = analysis.branch
    branch = part.text if part else None
    if part is not None and branch is not None and not analysis.organisational_form:
        if analysis.region is not None and analysis.region.end == part.start:
            branch = analysis.region.text + branch  # 中国工商银行|北京|分行: the branch's place
            region, region_code = None, None
        core, branch = _branch_region(core, branch)
    form_text = analysis.organisational_form.text if analysis.organisational_form else None
    form = _FORM_CLASS.get(form_text, form_text) if form_text else None
    industry: list[str] = []
    keep = 0 if region or national else MIN_TRADE  # 北京|银行: the region is the trade name
    while core:
        core, word = _peel_suffix(core, words.industry, keep)
        if word is None:
            break
        industry.insert(0, words.industry_synonyms.get(word, word))
    if not core and industry:
        core = region or "中国"
    ending = None
    if form is None and branch is None:
        core, ending = _peel_suffix(core, words.platform_endings, MIN_TRADE)
    return OrgName(
        raw=raw or "",
        clean=clean,
        region=region,
        region_code=region_code,
        national=national,
        trade_name=core,
        industry=tuple(industry),
        group=group,
        form=form,
        branch=branch,
        platform_ending=ending,
    )


__all__ = ["MIN_TRADE", "NameWords", "OrgName", "clean_name", "name_words", "parse_org_name"]
