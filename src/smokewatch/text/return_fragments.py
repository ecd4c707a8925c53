"""The shared fragments of the grammar of stated returns, and the folding they run on.

:mod:`smokewatch.text.return_patterns` assembles the grammar from the pattern families of
:mod:`smokewatch.text.return_rate_patterns` (rates with a period, a term or a multiple) and
:mod:`smokewatch.text.return_amount_patterns` (amounts against a principal); this module
holds what both build on:

* :func:`fold_for_returns`, the copy of a text the patterns run on: digits and signs folded
  to half-width and traditional characters to simplified ones, one character for one, so
  that every offset found is an offset into the original text;
* the fragments every family uses: a rate number (:data:`NUM`) and a rate or range in any
  scale (:data:`VALUE`), an amount of money (:data:`AMOUNT`), a term with its count
  (:data:`TERM`), bounding words (:data:`QUAL_PRE`, :data:`QUAL_POST`) and the words allowed
  between a cue and its rate (:data:`CONNECTORS`).
"""

from __future__ import annotations

import re
from typing import Literal

from smokewatch.text.numerals import CN_CAPITALS, CN_DIGITS, CN_NUMERAL_CHARS

Scale = Literal["percent", "permille", "per_10k", "fen", "jiao"]
"""How a rate is written: 12% / 百分之十二 / 12个点; 千分之三 / 3‰; 万分之五; 2分 / 5厘;
月息一角 / 一毛 (一角 a yuan = 10 %)."""

# ---------------------------------------------------------------- folding


_TRADITIONAL = (
    "報报為为個个週周內内萬万億亿兩两貳贰參叁陸陆還还賺赚獲获領领穩稳證证預预實实際际點点"
    "險险額额資资幣币紅红與与達达約约從从贏赢變变計计錢钱塊块漲涨費费稅税貸贷儲储銀银"
    "會会員员寶宝價价後后這这來来過过騙骗詐诈謹谨別别對对當当發发違违規规護护隨随時时"
    "產产關关級级總总於于沒没無无輕轻稱称誘诱餌饵場场買买賣卖單单購购認认礦矿質质礎础"
    "倉仓嗎吗們们讓让給给幾几轉转帳账賬账構构機机歲岁間间專专屬属擔担權权據据"
    "連连帶带滿满現现頭头戶户號号務务贖赎償偿債债線线兌兑續续開开進进選选運运業业績绩較较準准"
    "確确啟启動动說说話话請请應应該该錯错邊边裡里門门遠远"
)
"""Traditional characters read by the patterns, each folded to its simplified form (年化報酬率
→ 年化报酬率, 萬 → 万): one character for one, so offsets are kept."""


def _fold_table() -> dict[int, int]:
    table = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}  # full-width digits
    for wide, narrow in ("％%", "．.", "～~", "－-", "＋+", "—-", "–-", "―-", "﹣-", "〜~", "﹪%"):
        table[ord(wide)] = ord(narrow)
    for i in range(0, len(_TRADITIONAL), 2):
        traditional, simplified = _TRADITIONAL[i], _TRADITIONAL[i + 1]
        table[ord(traditional)] = ord(simplified)
    return table


_FOLD = _fold_table()
_NEEDS_FOLD = re.compile("[" + "".join(chr(c) for c in _FOLD) + "]")


def fold_for_returns(text: str) -> str:
    """Fold what the patterns read to the forms they expect, one character for one.

    Full-width digits, %, ., ~, -, + and range dashes become half-width; the traditional
    characters of :data:`_TRADITIONAL` become simplified. One character for one, so offsets
    found in the result are offsets in ``text``. Other full-width punctuation (，：（）) is left
    alone: the patterns accept both forms, and leaving it spares most texts a translation
    (nearly every Chinese text has a ，).

    Examples:
        >>> fold_for_returns("年化８％—１２％，保本")
        '年化8%-12%，保本'
        >>> fold_for_returns("年化報酬率12%")
        '年化报酬率12%'
    """
    return text.translate(_FOLD) if _NEEDS_FOLD.search(text) else text


# ---------------------------------------------------------------- fragments

_CN_INT = f"[{CN_DIGITS}十百{CN_CAPITALS}]"
NUM = rf"(?:\d+(?:\.\d+)?|{_CN_INT}+(?:点[{CN_DIGITS}]+)?)"
"""A rate number: 12, 18.5, 十二, 一点五, 壹拾捌 (no 千/万: they start 千分之 and 万分之)."""

AMOUNT = (
    r"(?:\d+(?:,\d{3})*(?:\.\d+)?\s*(?:[wWkK](?![a-zA-Z])"
    r"|[十百千万亿]*(?:(?<=[万千])\d(?![\d.%‰个天年月周期星倍号日]))?)"
    rf"|[{CN_NUMERAL_CHARS}]+(?![年天周日季次倍]|个[月星季]|星期)(?:点[{CN_DIGITS}]+[万亿]?)?)"
    r"\s*(?:元整|元|块钱|块|USDT|usdt|[Uu](?![a-zA-Z]))?"
)
"""An amount of money: 300元, 1.2万元, 10万, 十万元, 两千块, 贰拾万元整; in chat 2w, 5k, 1万2
(12,000), 3千6 (3,600); in crypto schemes 1000U, 15USDT. A Chinese numeral stops before the
count of a term or of times: in 投一万一年 the amount is 一万 and the term 一年; 分红一次 is no
amount."""

RANGE_SEP = r"\s*(?:-|~|至|到)\s*"
"""Between the ends of a range: 8-12%, 8至12个点, 千分之三到五."""
SCALE_PREFIX = r"(?:百分之|千分之|万分之)"
"""A scale written before the number: 百分之十二, 千分之三, 万分之五."""
SCALE_SUFFIX = r"\s*(?:%|‰|个点)"
"""A scale written after the number: 12%, 3‰, 12个点."""
_FEN = (
    rf"(?:{NUM}分(?!之|钟)(?:[0-9一二两三四五六七八九](?![\d.])|半)?厘?"
    rf"|{NUM}厘(?!米)(?:[0-9一二两三四五六七八九](?![\d.]))?)"  # 七厘五 = 0.75 分
)
_JIAO = rf"(?:{NUM}[角毛](?!钱?[^\s,，。；;的利息]))"
_WAN = r"(?<=[息率利化\s])万(?=[一二两三四五六七八九](?![十百千万\d点]))"
"""万五 for 万分之五, as lenders say it, only right after a cue (日息万五, 日利率万三)."""
_CHENG = rf"(?:{NUM}成(?=利(?!润)|息|的?(?:收益|回报|利息)))"
"""一成利 = 10 %: 成 (tenths) only before a word of interest or return (首付三成 and 三成利润,
a share of profits, are no rate)."""

VALUE = (
    "(?:"
    rf"{NUM}{RANGE_SEP}(?:{NUM}{SCALE_SUFFIX}|{_FEN})"  # 8-12%, 8至12个点, 1.5-2分
    rf"|{NUM}{SCALE_SUFFIX}{RANGE_SEP}{NUM}{SCALE_SUFFIX}"  # 8%-12%
    # 百分之八到百分之十二, 千分之三到五
    rf"|{SCALE_PREFIX}{NUM}{RANGE_SEP}{SCALE_PREFIX}?{NUM}(?![\d.%‰])"
    rf"|{_FEN}{RANGE_SEP}{_FEN}"  # 1分5到2分
    rf"|{SCALE_PREFIX}{NUM}|{_WAN}{NUM}|{NUM}{SCALE_SUFFIX}|{_FEN}|{_JIAO}|{_CHENG}"
    ")"
)
"""A rate or a range of rates, in any of the scales of :data:`Scale`."""

TERM = (
    r"(?:(?P<{g}n>\d{{1,3}}|[一二两三四五六七八九十]{{1,3}}|半)\s*"
    r"(?P<{g}u>个月|个星期|星期|周|天|年|个季度))"
)
"""A term with its count: 3个月, 三个月, 半年, 一年, 7天, 两周, 一个季度 (format with ``g``)."""

QUAL_PRE = "最高可达|最高可享|最高达|最高|高达|最低|最少|至少|不低于|保底|低至|大约|约"
"""Bounding words before a rate: 最高, 高达, 不低于, 约 (see the readers' qualifiers)."""
QUAL_POST = r"以上|以下|以内|左右|上下|起|\+(?!\w)"
"""Bounding words after a rate: 以上, 左右, 起, 8%+."""
_CONN = (
    r"\s|[:：=]|[(（](?:单利|年化|年)[)）]|的|为|是|了|达到|达|在|有|能|可以|可|就|将|均|都|仍|也|"
    r"竟然|竟|居然|更是|甚至|通常|一般|平均|预计|预期|稳定在|稳定|稳|保持在|保持|享受|享|"
    r"获得|获|拿|按照|按|约为|做到|大概|大致|差不多|"
    + QUAL_PRE
    + r"|可达|不超过|不高于|超过|高于|超|逾|近|多达|仅|只要|"
    r"(?:下调|上调|调整|调|下降|降|提高|提升|升|上浮|下浮)(?:至|到|为)|才|只有|APY|APR"
)
CONNECTOR_FIRST = (
    r"\s:：=(（的为是了达在有能可就将均都仍也竟居更甚通一平预稳保享获拿按约大差最高低至不少做"
    r"超逾近多仅只下上调降提升浮才A"
)
"""Every character a connector can start with (a tested invariant): the connectors are tried
only where one may start, so a rate right after its cue (年化12%) costs one test, not seventy."""
CONNECTORS = rf"(?:(?=[{CONNECTOR_FIRST}])(?:{_CONN})){{0,4}}"
"""Words allowed between a cue and its rate (为, 高达, 可达, 稳定在, …), at most four."""

TERM_END = r"(?:个月|星期|周|天|年|季度)"
"""The end of a term (the unit of :data:`TERM`), for the gates of the families."""

__all__ = [
    "AMOUNT",
    "CONNECTORS",
    "CONNECTOR_FIRST",
    "NUM",
    "QUAL_POST",
    "QUAL_PRE",
    "RANGE_SEP",
    "SCALE_PREFIX",
    "SCALE_SUFFIX",
    "TERM",
    "TERM_END",
    "VALUE",
    "Scale",
    "fold_for_returns",
]
