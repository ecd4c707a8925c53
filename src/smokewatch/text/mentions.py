"""Entity mentions in free text: names, contacts, amounts and places, with normalised values.

:func:`find_mentions` reads ads, posts, messages and news for the things the evidence and the
entity-resolution step need, each with its span in the original text and a value to compare:

=================  ==============================================  ===========================
kind               examples                                        value
=================  ==============================================  ===========================
``organisation``   芜湖鑫源理财咨询有限公司, 中国工商银行, 鑫源集团     the name as written
``platform``       “鑫源理财”, 旗下鑫源金服, e租宝平台 (→ e租宝)      the name as written
``phone``          139-1234-5678, (0553)1234567, 400-800-1234       as ``clean_phone`` gives it
``url``            https://a.example.com/x, www.abc.cn, abc.top     the host, lower case
``email``          kefu@abc.com                                    the address, lower case
``wechat``         微信：abc_123, 加V abc123, VX 13912345678          the id as written
``qq``             QQ：12345678, 扣扣 12345678 (not QQ群)              the number
``amount``         5万元, 人民币1,000元, ￥3.5亿, 伍万元, 两万五千块        ``Decimal`` yuan
``place``          安徽省芜湖市, 芜湖市镜湖区, 在芜湖                    the division code
=================  ==============================================  ===========================

Rules worth knowing:

* Mentions never overlap. Where two kinds claim the same characters the first in the table
  wins: an e-mail hides its domain and any QQ number in it, a WeChat or QQ id is not also a
  phone, and a place inside an organisation name (安徽省芜湖市鑫源…有限公司) is not reported
  separately. WeChat and QQ mentions span the id only, not the cue word before it.
* Organisation and platform names: see :mod:`smokewatch.text.mention_names` (where a name
  starts and ends, which contexts introduce a platform, what is too generic).
* Amounts are in yuan and need a currency sign or unit: 5万元, 人民币5万, ￥500, 500块; 5万
  alone (a count? a score?) and amounts in other currencies (500万美元) are not amounts here.
  Of a range (10-50万元) only the part carrying the unit is read; 5万余元 reads as 50000.
* Places go through the address resolver (:mod:`smokewatch.text.address`); ``within`` breaks
  ties between places of the same name. Free text is full of words that look like places
  (白银 is silver, 平安 an insurer, 长治久安 a saying), so a mention counts when it holds a full
  division name (芜湖市, 镜湖区), or names two levels (安徽芜湖), or is a province (安徽, 广东),
  or is a city's short form with a place cue next to it (在芜湖, 芜湖警方, 芜湖人).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache

from smokewatch.model.divisions import Level, load_divisions
from smokewatch.model.types.base import ValueTypeError
from smokewatch.model.types.money import clean_money
from smokewatch.model.types.phone import clean_phone
from smokewatch.text.address import get_address_resolver, short_form
from smokewatch.text.mention_names import find_names


class MentionKind(StrEnum):
    """What a mention is (in the order that wins when two would overlap)."""

    EMAIL = "email"
    URL = "url"
    WECHAT = "wechat"
    QQ = "qq"
    PHONE = "phone"
    AMOUNT = "amount"
    ORGANISATION = "organisation"
    PLATFORM = "platform"
    PLACE = "place"


_PRIORITY = {kind: rank for rank, kind in enumerate(MentionKind)}


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity mention: ``text == original[start:end]`` and a value to compare.

    ``value`` is a :class:`~decimal.Decimal` (yuan) for amounts and a string for every other
    kind (see the module table).
    """

    kind: MentionKind
    text: str
    start: int
    end: int
    value: str | Decimal


# ---------------------------------------------------------------- contacts

# Patterns accept both widths of punctuation (，and ,) so that texts without full-width
# letters or digits need no folding, which would cost more than all the patterns together.
_FULL_WIDTH_ALNUM = re.compile("[０-９Ａ-Ｚａ-ｚ＠．／＋－＿％]")
_FOLD_ALNUM = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９＠．／＋－＿％"}
_FOLD_ALNUM |= {cp: cp - 0xFEE0 for cp in range(ord("Ａ"), ord("Ｚ") + 1)}
_FOLD_ALNUM |= {cp: cp - 0xFEE0 for cp in range(ord("ａ"), ord("ｚ") + 1)}
"""Folds letters, digits and the symbols of addresses, never punctuation such as ，(which
would otherwise join 0553，139… into one number)."""
_ASCII_ALNUM = re.compile(r"[0-9A-Za-z]")
_ASCII_RUN = re.compile(r"[!-~]+")
"""Stretches of printable ASCII without spaces: where URLs and e-mail addresses live."""
_DIGIT_RUN = re.compile(r"[0-9]+")
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_TLD = (
    "com|cn|net|org|top|xyz|vip|cc|io|info|biz|me|tv|co|app|site|club|shop|online|ltd|wang"
    "|ren|ink|fun|pro|hk|tw|mo|us|uk|jp|asia|store|tech|cloud|work|link|live|life|gov|edu"
)
_URL = re.compile(
    r"(?i)(?<![A-Za-z0-9@._-])(?:"
    r"https?://[A-Za-z0-9.-]+(?::\d{1,5})?"
    r"|www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d{1,5})?"
    rf"|(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+(?:{_TLD})(?![A-Za-z0-9-])"
    r"(?::\d{1,5})?"
    r")(?:[/?#][!-~]*)?"
)
_URL_TRAILING = ".,;:!?)]}'\""
_WECHAT = re.compile(
    r"(?:微信号|微信|薇信|威信|徽信|V信|v信|VX|vx|Vx|vX|WX|wx|wechat|WeChat|加V|加v|\+V|\+v|加微)"
    r"\s*(?:号|ID|id)?\s*(?:[:：]|是|为)?\s*"
    r"([A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9]\d{9}|[1-9]\d{4,10})(?![-_A-Za-z0-9])"
)
_WECHAT_CUES = ("微", "信", "V", "v", "X", "x", "wechat", "WeChat")
_QQ = re.compile(
    r"(?:QQ|qq|Qq|扣扣|企鹅号)(?!群)\s*(?:号码|号)?\s*(?:[:：]|是|为)?\s*([1-9]\d{4,11})(?!\d)"
)
_PHONE = re.compile(
    r"(?:(?:\+|00)?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}"
    r"|[48]00[-\s]?\d{3}[-\s]?\d{4}"
    r"|(?:[(（]0\d{2,3}[)）]|0\d{2,3})[-\s]?[1-9]\d{6,7}"
)
"""Applied with ``match`` where a run of digits starts (or at the + or bracket before it)."""
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

# ---------------------------------------------------------------- amounts

_AMOUNT = re.compile(
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*"
    r"(?P<unit>万亿|千万|百万|亿|万|千|百)?(?:余|多)?"
    r"(?P<yuan>(?:元|块钱|块)(?:人民币)?|人民币)?"
)
"""Applied with ``match`` where a run of digits starts."""
_CURRENCY_BEFORE = re.compile(r"(?:人民币|RMB|CNY|¥|￥)\s*$")
_CN_AMOUNT = re.compile(
    r"(?:人民币\s*)?"
    r"(?P<num>[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]{2,})(?:余|多)?"
    r"(?:元|块钱|块)(?:整)?"
)
_UNIT = {"": 1, "百": 100, "千": 1_000, "万": 10_000, "百万": 10**6, "千万": 10**7}
_UNIT |= {"亿": 10**8, "万亿": 10**12}
_CENT = Decimal("0.01")
_CN_DIGIT = dict(zip("零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖", [0, 0, 1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9], strict=True))  # fmt: skip  # noqa: E501
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_LARGE = {"万": 10**4, "亿": 10**8}


def parse_chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral (伍万, 一亿五千万, 两万五), or ``None`` if malformed.

    A digit after a unit continues it one step down, as people say it: 两万五 is 25000 and
    三千五 is 3500.

    Examples:
        >>> [parse_chinese_number(n) for n in ("一亿五千万", "两万五", "十二", "一二")]
        [150000000, 25000, 12, None]
    """
    total = section = 0
    number: int | None = None
    last_unit = 0
    for char in text:
        if char in _CN_DIGIT:
            if number is not None and number != 0:
                return None  # 一二: digits without a unit between them
            number = _CN_DIGIT[char]
            if number == 0:
                last_unit = 0  # 一百零五: after 零 a digit is a unit digit again
        elif char in _CN_SMALL:
            unit = _CN_SMALL[char]
            section += (1 if number is None else number) * unit
            number, last_unit = None, unit
        elif char in _CN_LARGE:
            unit = _CN_LARGE[char]
            section += number or 0
            if unit == 10**8:
                total, section = (total + section) * unit, 0
            else:
                total, section = total + section * unit, 0
            number, last_unit = None, unit
        else:
            return None
    if number and last_unit >= 100:
        number *= last_unit // 10
    return total + section + (number or 0)


def _yuan(number: str, unit: str) -> Decimal | None:
    try:
        if unit in ("", "千", "万", "亿"):
            return clean_money(f"{number}{unit}元").amount
        return (Decimal(number.replace(",", "")) * _UNIT[unit]).quantize(_CENT)
    except (ValueTypeError, ArithmeticError):
        return None


# ---------------------------------------------------------------- places

_SEPARATOR = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9()（）]")
_PLACE_BEFORE = re.compile(
    r"(?:在|到|去|赴|来自|位于|地处|落户|回|住|于|从|至|往|驻|全|本|原|老家|家住|籍贯|前往|返回|途经)$"
)
_PLACE_AFTER = re.compile(
    r"市民|人|地区|当地|本地|警方|公安|法院|检察院|检方|一带|籍|市场监管|金融办|金融局|区域|境内"
    r"|各地|各区|市区|郊区|农村|城区|警察|街头|方面|等地|两地|地"
)


@dataclass(frozen=True, slots=True)
class _PlaceNames:
    """The full names and short forms of a division and its ancestors."""

    full: tuple[str, ...]
    short: tuple[str, ...]
    level: Level
    province: tuple[str, ...]
    """The province's full name and short form (北京市 and 北京 for the city 北京市 too)."""


@cache
def _place_names(code: str) -> _PlaceNames:
    divisions = load_divisions()
    real = [d for d in divisions.ancestors(code) if d.status != "placeholder"]
    full = tuple(dict.fromkeys(d.name for d in real))  # 北京市 is province and city
    shorts = tuple(dict.fromkeys(s for d in real if (s := short_form(d.name, d.level))))
    top = real[0] if real and real[0].level is Level.PROVINCE else None
    province = () if top is None else (top.name, short_form(top.name, top.level) or top.name)
    short = tuple(s for s in shorts if s not in full)
    return _PlaceNames(full, short, divisions[code].level, province)


def _place_counts(text: str, start: int, end: int, code: str) -> bool:
    """Whether a resolved span is a place mention in free text (module docstring)."""
    surface = text[start:end]
    names = _place_names(code)
    if any(name in surface for name in names.full):
        return True
    if sum(1 for name in (*names.full, *names.short) if name in surface) >= 2:
        return True
    if names.level is Level.PROVINCE or surface in names.province:
        return True
    if names.level is Level.CITY:
        return bool(_PLACE_BEFORE.search(text, max(0, start - 4), start)) or bool(
            _PLACE_AFTER.match(text, end)
        )
    return False


def _largest_gap(surface: str, code: str) -> tuple[int, int] | None:
    """The longest stretch of a span naming no division of the chain, if longer than 2."""
    covered = [False] * len(surface)
    names = _place_names(code)
    for name in (*names.full, *names.short):
        index = surface.find(name)
        while index >= 0:
            covered[index : index + len(name)] = [True] * len(name)
            index = surface.find(name, index + 1)
    best: tuple[int, int] | None = None
    run = None
    for index, flag in enumerate([*covered, True]):
        if not flag and run is None:
            run = index
        elif flag and run is not None:
            if index - run > 2 and (best is None or index - run > best[1] - best[0]):
                best = (run, index)
            run = None
    return best


_LONG_RANGE = 2_000
"""Places of a longer range are read part by part: a range is cut at a separator near its
middle (no place name crosses one), so a long page costs about its length, not its cube."""


def _middle_separator(folded: str, lo: int, hi: int) -> int:
    """A separator near the middle of ``folded[lo:hi]`` (the middle itself if none)."""
    middle = (lo + hi) // 2
    after = _SEPARATOR.search(folded, middle, hi)
    if after is not None:
        return after.start()
    before = [found.start() for found in _SEPARATOR.finditer(folded, lo + 1, middle)]
    return before[-1] if before else middle


class _Places:
    """Reads the places of one text: resolve, keep what counts, then read what is left."""

    def __init__(self, text: str, folded: str, within: str | None) -> None:
        self.text, self.folded, self.within = text, folded, within
        self.found: list[Mention] = []
        self.resolver = get_address_resolver()
        self.scan = self.resolver.scan(folded)

    def read(self, lo: int, hi: int) -> None:
        if hi - lo < 2:
            return
        folded = self.folded
        if hi - lo > _LONG_RANGE:
            # every place found splits its range in two and each part is resolved again, over
            # all of its division names: cubic in the length of a web page full of places
            middle = _middle_separator(folded, lo, hi)
            self.read(lo, middle)
            self.read(middle, hi)
            return
        match = self.resolver.resolve_in(self.scan, lo, hi, within=self.within)
        if match is None:
            return
        start, end = match.start, match.end
        cut = _SEPARATOR.search(folded, start, end)
        if cut is not None:
            # The resolver combined mentions across punctuation: read each side on its own.
            self.read(lo, cut.start())
            self.read(cut.end(), hi)
            return
        gap = _largest_gap(folded[start:end], match.code)
        if gap is not None:
            # ... or across unrelated words (芜湖市的张三和安徽省的李四).
            self.read(lo, start + gap[0])
            self.read(start + gap[1], hi)
            return
        if _place_counts(folded, start, end, match.code):
            surface = self.text[start:end]
            self.found.append(Mention(MentionKind.PLACE, surface, start, end, match.code))
        self.read(lo, start)
        self.read(end, hi)


# ---------------------------------------------------------------- all together


def _contacts(folded: str, text: str) -> list[Mention]:
    """E-mail addresses, URLs, WeChat ids and QQ numbers."""
    found: list[Mention] = []
    for run in _ASCII_RUN.finditer(folded):
        chunk, offset = run.group(), run.start()
        if "@" in chunk:
            for match in _EMAIL.finditer(chunk):
                start, end = offset + match.start(), offset + match.end()
                found.append(_mention(MentionKind.EMAIL, text, start, end, match.group().lower()))
        if "." in chunk:
            found.extend(_urls(chunk, offset, text))
    if any(cue in folded for cue in _WECHAT_CUES):
        for match in _WECHAT.finditer(folded):
            found.append(_mention(MentionKind.WECHAT, text, *match.span(1), match.group(1)))
    if "Q" in folded or "q" in folded or "扣扣" in folded or "企鹅" in folded:
        for match in _QQ.finditer(folded):
            found.append(_mention(MentionKind.QQ, text, *match.span(1), match.group(1)))
    return found


def _urls(chunk: str, offset: int, text: str) -> list[Mention]:
    found: list[Mention] = []
    for match in _URL.finditer(chunk):
        start, end = match.span()
        while end > start and chunk[end - 1] in _URL_TRAILING:
            end -= 1
        host = re.sub(r"^https?://", "", chunk[start:end], flags=re.IGNORECASE)
        host = re.split(r"[/?#:]", host, maxsplit=1)[0].lower().rstrip(".")
        found.append(_mention(MentionKind.URL, text, offset + start, offset + end, host))
    return found


def _numbers(folded: str, text: str) -> list[Mention]:
    """Phones and amounts, tried only where a run of digits starts."""
    found: list[Mention] = []
    taken = 0
    for run in _DIGIT_RUN.finditer(folded):
        start = run.start()
        if start < taken or _continues_number(folded, start, run.end()):
            continue
        inside = start > 0 and folded[start - 1] in _ALNUM
        if inside and not _CURRENCY_BEFORE.search(folded, max(0, start - 5), start):
            continue  # inside a word or code (ID13912345678, V2), unless RMB5000
        phone = _phone_at(folded, start)
        if phone is not None:
            found.append(_mention(MentionKind.PHONE, text, phone[0], phone[1], phone[2]))
            taken = phone[1]
            continue
        amount = _amount_at(folded, start)
        if amount is not None:
            found.append(_mention(MentionKind.AMOUNT, text, *amount))
            taken = amount[1]
    if "元" in folded or "块" in folded:
        for match in _CN_AMOUNT.finditer(folded):
            number = parse_chinese_number(match.group("num"))
            if number is not None:
                value = Decimal(number).quantize(_CENT)
                found.append(_mention(MentionKind.AMOUNT, text, *match.span(), value))
    return found


def _continues_number(folded: str, start: int, end: int) -> bool:
    """Whether the digits at ``start`` are decimals (3.|5) or a thousands group (1,|000)."""
    if start < 2 or not folded[start - 2].isdigit():
        return False
    before = folded[start - 1]
    return before == "." or (before == "," and end - start == 3)


def _phone_at(folded: str, start: int) -> tuple[int, int, str] | None:
    begin = start - 1 if start and folded[start - 1] in "+(（" else start
    match = _PHONE.match(folded, begin)
    if match is None or (match.end() < len(folded) and folded[match.end()] in _ALNUM):
        return None
    try:
        return begin, match.end(), clean_phone(match.group())
    except ValueTypeError:
        return None


def _amount_at(folded: str, start: int) -> tuple[int, int, Decimal] | None:
    match = _AMOUNT.match(folded, start)
    if match is None:
        return None
    currency = _CURRENCY_BEFORE.search(folded, max(0, start - 5), start)
    if currency is None and match.group("yuan") is None:
        return None  # 5万 alone: no currency, no amount
    value = _yuan(match.group("num"), match.group("unit") or "")
    if value is None:
        return None
    return (currency.start() if currency else start), match.end(), value


def _mention(kind: MentionKind, text: str, start: int, end: int, value: str | Decimal) -> Mention:
    return Mention(kind, text[start:end], start, end, value)


def name_spans(mentions: Iterable[Mention]) -> list[tuple[int, int, str]]:
    """``(start, end, text)`` of the organisation and platform names among ``mentions``."""
    names = (MentionKind.ORGANISATION, MentionKind.PLATFORM)
    return [(m.start, m.end, m.text) for m in mentions if m.kind in names]


def find_mentions(text: str | None, *, within: str | None = None) -> list[Mention]:
    """Every entity mention in ``text``, left to right, never overlapping (module docstring).

    ``within`` is the division code of the workspace's own area; it breaks ties between places
    of the same name (鼓楼区 is in several cities).

    Examples:
        >>> text = "芜湖鑫源理财咨询有限公司承诺月息2%，投资5万元起，咨询13912345678"
        >>> for mention in find_mentions(text):
        ...     print(mention.kind.value, mention.text, mention.value)
        organisation 芜湖鑫源理财咨询有限公司 芜湖鑫源理财咨询有限公司
        amount 5万元 50000.00
        phone 13912345678 13912345678
    """
    if not text:
        return []
    folded = text.translate(_FOLD_ALNUM) if _FULL_WIDTH_ALNUM.search(text) else text
    candidates: list[Mention] = []
    if _ASCII_ALNUM.search(folded):
        candidates.extend(_contacts(folded, text))
        candidates.extend(_numbers(folded, text))
    elif "元" in folded or "块" in folded:
        candidates.extend(_numbers(folded, text))
    for name in find_names(text, folded):
        kind = MentionKind.PLATFORM if name.platform else MentionKind.ORGANISATION
        candidates.append(_mention(kind, text, name.start, name.end, text[name.start : name.end]))
    places = _Places(text, folded, within)
    places.read(0, len(text))
    candidates.extend(places.found)
    candidates.sort(key=lambda m: (_PRIORITY[m.kind], m.start, m.start - m.end))
    kept: list[Mention] = []
    for mention in candidates:
        if all(mention.end <= other.start or mention.start >= other.end for other in kept):
            kept.append(mention)
    kept.sort(key=lambda m: m.start)
    return kept


__all__ = ["Mention", "MentionKind", "find_mentions", "name_spans", "parse_chinese_number"]
