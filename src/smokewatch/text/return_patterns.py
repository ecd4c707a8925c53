"""The grammar of stated returns: regular expressions, their cheap gates, and rate values.

:mod:`smokewatch.text.returns` applies these patterns; this module only builds them. They run
on a copy of the text whose digits and signs are folded to half-width one character for one
(:func:`fold_for_returns`), so every offset found is an offset into the original text. Each
family has a *gate*, a cheap search that must succeed for the family to match at all, so
that most texts are read by a few fast searches only (the tests check that every gate is a
necessary condition).

Pattern families, each a compiled expression with named groups:

``rate``
    a period cue, then a rate: 年化12%, 年化收益率高达18.5%, 月息2分, 日息千分之三,
    每月返3%, 最高年化15%, 一年期利息8% (a term product quotes a yearly rate), 年租金回报8%,
    每年返还购房款的10%, 按季度支付本金4%的收益, 月息一角 (一角 a yuan: 10 %).
``post``
    a rate, then its cue: 12%的年化收益, 8%-12%不等的年化收益率, 14%-22%的年利息.
``fen``
    分 without a period, as lenders say it: 3分利, 2分息, 利息两分 (read as monthly).
``slash``
    a rate per period after a slash: 收益0.1%/天, 利息2.5%/年, 万分之五/天 (not a fee's).
``fund``
    a money-market fund's daily yield per 10,000 units: 万份收益1.0260元.
``term_rate``
    a rate over a stated term: 3个月收益15%, 7天收益20%, 半年收益6%, 半年期产品，到期收益5%,
    投资期限180天，总收益率4.5%; with no cue word, a percentage right after the term (一天一个点,
    一年就是三十个点); a promised rise (承诺一年内升值30%).
``multiple``
    doubling: 三个月翻倍, 一年翻一番, 资金翻倍; and 5倍收益.
``per_period`` / ``per_first`` / ``term_total`` / ``total_then_principal`` /
``total_principal_term`` / ``term_principal_total`` / ``form`` / ``income_then_principal``
    amounts against a principal: 每万元每天收益5元, 投资1万元每月返息300元, 一万块一天十五,
    每月每万元300元, 本金10万元一年后连本带息共12万元, 五万块放半年，到期给五万六,
    一年后连本带息返还12万元（本金10万）, 本息合计10万8，本金10万，一年期,
    三年期，本金10万元，到期一次性返还13.6万元, 借款金额：5000元 借款期限：30天 到期应还：5500元,
    每月可领取利息800元，本金10万.
``warned``
    a bare yield (收益率超过6%就要打问号): news quotes past yields this way (今年以来该基金收益率
    12%), so it is kept only in a sentence that warns or negates (see
    :mod:`smokewatch.text.returns`), as a yearly rate, and it never displaces another reading.

After the families, :attr:`Grammar.threshold`, :attr:`Grammar.continued` and
:attr:`Grammar.shared` read returns that lean on the one before them in the sentence.

Guards keep dates and other periods out: a period cue (年/月/周/日) is not read after a digit,
a numeral or a word that makes it a date or a past period (2023年, 3月, 今日, 本周, 去年,
工作日), and 年化 is not read before 波动率, 通胀 and the like.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import Literal

from smokewatch.text.numerals import CN_CAPITALS, CN_DIGITS, CN_NUMERAL_CHARS, parse_number

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
    rf"|[{CN_NUMERAL_CHARS}]+(?![年天周日季]|个[月星季]|星期)(?:点[{CN_DIGITS}]+[万亿]?)?)"
    r"\s*(?:元整|元|块钱|块|USDT|usdt|[Uu](?![a-zA-Z]))?"
)
"""An amount of money: 300元, 1.2万元, 10万, 十万元, 两千块, 贰拾万元整; in chat 2w, 5k, 1万2
(12,000), 3千6 (3,600); in crypto schemes 1000U, 15USDT. A Chinese numeral stops before the
count of a term: in 投一万一年 the amount is 一万 and the term 一年."""

_SEP = r"\s*(?:-|~|至|到)\s*"
_PREFIX = r"(?:百分之|千分之|万分之)"
_SUFFIX = r"\s*(?:%|‰|个点)"
_FEN = rf"(?:{NUM}分(?!之|钟)(?:[0-9一二两三四五六七八九](?![\d.])|半)?厘?|{NUM}厘(?!米))"
_JIAO = rf"(?:{NUM}[角毛](?!钱?[^\s,，。；;的利息]))"
_WAN = r"(?<=[息率利化\s])万(?=[一二两三四五六七八九](?![十百千万\d点]))"
"""万五 for 万分之五, as lenders say it, only right after a cue (日息万五, 日利率万三)."""
_CHENG = rf"(?:{NUM}成(?=利(?!润)|息|的?(?:收益|回报|利息)))"
"""一成利 = 10 %: 成 (tenths) only before a word of interest or return (首付三成 and 三成利润,
a share of profits, are no rate)."""

VALUE = (
    "(?:"
    rf"{NUM}{_SEP}(?:{NUM}{_SUFFIX}|{_FEN})"  # 8-12%, 8至12个点, 1.5-2分
    rf"|{NUM}{_SUFFIX}{_SEP}{NUM}{_SUFFIX}"  # 8%-12%
    rf"|{_PREFIX}{NUM}{_SEP}{_PREFIX}?{NUM}(?![\d.%‰])"  # 百分之八到百分之十二, 千分之三到五
    rf"|{_FEN}{_SEP}{_FEN}"  # 1分5到2分
    rf"|{_PREFIX}{NUM}|{_WAN}{NUM}|{NUM}{_SUFFIX}|{_FEN}|{_JIAO}|{_CHENG}"
    ")"
)
"""A rate or a range of rates, in any of the scales of :data:`Scale`."""

TERM = (
    r"(?:(?P<{g}n>\d{{1,3}}|[一二两三四五六七八九十]{{1,3}}|半)\s*"
    r"(?P<{g}u>个月|个星期|星期|周|天|年|个季度))"
)
"""A term with its count: 3个月, 三个月, 半年, 一年, 7天, 两周, 一个季度 (format with ``g``)."""

QUAL_PRE = "最高可达|最高可享|最高达|最高|高达|最低|最少|至少|不低于|保底|低至|大约|约"
_QUAL_POST = r"以上|以下|以内|左右|上下|起|\+(?!\w)"
_CONN = (
    r"\s|[:：=]|[(（](?:单利|年化|年)[)）]|的|为|是|了|达到|达|在|有|能|可以|可|就|将|均|都|仍|也|"
    r"竟然|竟|居然|更是|甚至|通常|一般|平均|预计|预期|稳定在|稳定|稳|保持在|保持|享受|享|"
    r"获得|获|拿|按|约为|" + QUAL_PRE + r"|可达|不超过|不高于|超过|高于|超|逾|近|多达|仅|只要|"
    r"(?:下调|上调|调整|调|下降|降|提高|提升|升)(?:至|到|为)|才|只有|APY|APR"
)
CONNECTORS = rf"(?:{_CONN}){{0,4}}"
"""Words allowed between a cue and its rate (为, 高达, 可达, 稳定在, …), at most four."""

_NOT_PERIOD = (
    rf"(?<![0-9{CN_NUMERAL_CHARS}今去明前后上下本当全近次首该同个整半每这那某单节生作易末隔元])"
)
"""Before 年/月/周/日: not a date (2023年, 3月), a past period (去年) or a compound (工作日)."""

_VERBS = (
    r"收益率|收益|回报率|回报|报酬率|报酬|利息|利率|分红|返还|返利|返息|返|可得|获得|赚取|赚|"
    r"拿到|拿|享受|享|领取|领|派息|配息|付息|派发|支付|给付|释放|产出|增值|升值"
)
_OBJECTS = r"本金|投资额|投资款|投资金额|购房款|房款|租金|认购款|会员费"
"""What a share is paid of: 每年返还购房款的10%, 每月给付本金3%, 前三年每年返租金7%."""
_RATE_NOUN = r"收益率|收益|回报率|回报|报酬率|报酬|利率|利息"
_NOT_RETURN_AFTER_ANNUAL = r"(?!波动|换手|通胀|增长|增速|涨|跌|费|成本|损失|亏损|超额|夏普|标准差)"

# ---------------------------------------------------------------- families


def _rate_pattern() -> str:
    # Each part is led by a lookahead on the characters it can start with, so that at most
    # positions it fails at one test instead of trying each of its words (or, for a period,
    # first testing the wide _NOT_PERIOD lookbehind). The lookaheads change no match.
    lead = (
        r"(?P<lead>(?=[预约固参综承保许历平实])"
        r"(?:预期|预计|约定|固定|参考|综合|承诺|保证|许诺|历史|平均|实际))?"
    )
    year = (
        rf"(?P<y>(?=[年A])(?:年化(?:综合收益率|{_RATE_NOUN}|收益水平)?{_NOT_RETURN_AFTER_ANNUAL}"
        rf"|年华(?:{_RATE_NOUN})"  # a common typo of 年化
        r"|(?<![A-Za-z])(?:APR|APY)"
        rf"|(?=年){_NOT_PERIOD}年(?:{_RATE_NOUN}|息|利|均收益率|均收益|均回报率|均回报|化率"
        r"|租金(?:回报率|回报|收益率|收益)|(?:分红|返利)(?:比例|率)?)))"
    )
    month = (
        rf"(?P<m>(?=月){_NOT_PERIOD}月(?:化收益率|化收益|化回报率|化回报|化|{_RATE_NOUN}|息|利"
        r"|均收益率|均收益|返利|返息))"
    )
    quarter = rf"(?P<q>(?=季){_NOT_PERIOD}季度?(?:化收益率|化收益|化|{_RATE_NOUN}|息))"
    week = rf"(?P<w>(?=周){_NOT_PERIOD}周(?:化收益率|化收益|化|{_RATE_NOUN}|息))"
    day = rf"(?P<d>(?=日){_NOT_PERIOD}日(?:化收益率|化收益|化|{_RATE_NOUN}|息|利|返利|返息|赚))"
    every = (
        r"(?=[利收回每天按])(?:(?P<enoun>利息|收益|回报|利率)(?:是|为)?)?"
        r"(?P<every>每年|每个?月|每周|每个?星期|每天|每日|天天|每个?季度?"
        r"|按年|按月|按周|按天|按日|按季度?)(?:的)?"
        rf"(?:可|能|稳|都|均|固定|签到|打卡|自动)?(?P<everb>{_VERBS})?(?:{_OBJECTS})?的?"
    )
    term_product = TERM.format(g="p") + rf"期(?:的)?(?:产品)?(?:年化)?(?P<p>{_RATE_NOUN})"
    unspecified = (
        r"(?=[承保许固稳预业])(?P<u>(?:承诺|保证|许诺|固定|保底|稳定|预期|预计)(?:的|给予|给付|支付)?"
        r"(?:投资)?"
        rf"(?:{_RATE_NOUN})|业绩比较基准|业绩基准)(?P<uper>每年|每个?月|每周|每天|每日)?"
    )
    # 收益：月2%, 利率：年12%: the period after the noun and its colon
    noun_period = (
        rf"(?=[收回报利])(?P<cnoun>{_RATE_NOUN})\s*[:：]\s*(?P<cper>[年月周日天])"
        rf"(?=\s*[\d{CN_DIGITS}])"
    )
    return (
        rf"(?P<pre>(?=[最高至不保低大约])(?:{QUAL_PRE})"
        r"(?:可享受|可享|可获得|可获|可达|可|享受|享|达)?)?"
        + lead
        + f"(?:{year}|{month}|{quarter}|{week}|{day}|{every}|{term_product}|{unspecified}"
        + f"|{noun_period})"
        + rf"(?P<conn>{CONNECTORS})"
        + rf"(?:(?P<val>{VALUE})|[(（]%[)）]\s*[:：]?\s*(?P<pctval>\d+(?:\.\d+)?)(?![\d%]))"
        # 年化10%+2% (a bonus stacked on the rate): the promise is the sum
        + r"(?P<plus>\s*\+\s*\d+(?:\.\d+)?\s*%)?"
        + rf"(?P<post>{_QUAL_POST})?"
        + rf"(?P<noun>\s*的?(?:高额|固定|稳定|超高)?(?:{_RATE_NOUN}|分红|返利|利润))?"
    )


def _post_pattern() -> str:
    cue = (
        rf"(?P<y>年化(?:{_RATE_NOUN})?{_NOT_RETURN_AFTER_ANNUAL}|年(?:{_RATE_NOUN}|息))"
        rf"|(?P<m>月(?:{_RATE_NOUN}|息))|(?P<w>周(?:{_RATE_NOUN}|息))"
        rf"|(?P<d>日(?:{_RATE_NOUN}|息))"
        r"|(?P<u>高息|高额回报|高额收益|高额利息|固定收益|固定回报|固定利息)"
    )
    return (
        rf"(?<![\d.])(?P<pre>(?:{QUAL_PRE}|超过|高于|逾|近)(?:承诺|达)?)?"
        rf"(?P<vper>{_NOT_PERIOD}[年月周日]|每年|每个?月|每周|每天|每日)?"
        rf"(?P<val>{VALUE})(?P<post>{_QUAL_POST})?\s*(?:的|不等的)?\s*"
        r"(?:预期|固定|稳定|超高|高额)?"
        rf"(?:{cue})"
    )


def _fen_pattern() -> str:
    return (
        rf"(?<![\d.分])(?P<val>{NUM}分(?:[0-9一二两三四五六七八九](?!\d)|半)?)"
        r"的?(?:利息|利|息)(?![率润])"
        rf"|(?<![年月周日天])(?:利息|利钱)(?:是|为|按|给)?(?P<cueval>{NUM}分"
        r"(?:[0-9一二两三四五六七八九](?![\d.])|半)?)(?![之钟钱\d])"
    )


_TERM_CUES = r"收益率|收益|回报率|回报|利息|获利|盈利|赚取|赚|返利|返息|返还|返|升值|增值"
_TERM_PRODUCT = r"(?:短|定)?(?:期的?产品|期标|期|标|产品)"
"""What makes a term a product's: 半年期产品, 一个月期, 7天标, 15天短期标."""
_MODAL = r"就能|就可以|就可|能够|能|可以|可|就"
"""Between a term and its cue: 一个月能赚本金的百分之十."""
_BARE_CONN = (
    r"\s*(?:下来)?\s*(?:就是|就有|就能有|能有|就能赚|能赚|可赚|就赚|赚|就能拿|能拿|可拿|就拿|拿"
    r"|就给你|就给|给你|给您|给)?\s*"
)
"""Between a term and a percentage with no cue word: 一天一个点, 一个月就是三十个点, 一个月给你
三个点, 一年下来就是48%."""
_TIER = r"(?P<tier>(?:\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:-|~|至|到)\s*)"
"""The first bound of a tier of holding periods (持有1-3个月6%): the rate is yearly."""


def _term_rate_pattern() -> str:
    return (
        # not after a word that makes it a past period (去年, 这一年), but 放我这一年 is a term
        r"(?:(?<=[我你]这)|(?<![0-9近去前后最第头这那每上下本该过]))"
        f"{_TIER}?"
        + TERM.format(g="t")
        + r"(?P<tierpost>及?以上|以内|以下)?"
        + "(?:(?:"
        + rf"(?:内|后|到期|期满|下来|之内)?(?:的)?(?:{_MODAL})?(?:总|累计)?"
        + rf"(?P<cue>{_TERM_CUES})(?:(?:{_OBJECTS})的?)?"
        # 半年期产品，到期收益5% / 投资期限180天，总收益率4.5%: a maturity word bridges the clause
        + rf"|(?:{_TERM_PRODUCT})?[\s,，]+(?:(?:到期|期满)(?:后|时)?(?:的)?(?:总|累计)?|总|累计)"
        + rf"(?P<mcue>{_TERM_CUES})"
        + rf")(?P<conn>{CONNECTORS})"
        # no cue at all: 一天一个点, 一年就是三十个点 (percentages only, see the reader)
        + rf"|{_BARE_CONN})"
        + rf"(?P<val>{VALUE})(?P<post>{_QUAL_POST})?"
    )


def _term_then(g: str) -> str:
    """A term and the words that may stand before a doubling (三个月就能让资金…)."""
    return (
        TERM.format(g=g)
        + r"(?:内|后|之内|以内)?[\s,，]*"
        + r"(?:就能|就可|就|即可|即|便|可以|可|能够|能|实现|轻松|保证|让|使)*\s*"
        + r"(?:您的|你的)?(?:资金|本金|收益|财富|投资|资产|钱)?(?:就|即可|可|能|将)?\s*"
    )


def _multiple_pattern() -> str:
    return (
        rf"(?:{_term_then('t')})?(?P<double>翻了?一倍|翻了?一番|翻倍|翻番)"
        rf"|(?:{_term_then('q')})?(?P<quad>翻了?两番)"
        rf"|(?<![\d.])(?P<times>{NUM})倍(?:的)?(?:投资)?(?:收益|回报|利润)(?:率)?"
    )


_PRINCIPAL_CUE = (
    r"投资|投入|投|存入|存款|存|出借|借给|借款|借|贷款|下款|认购|购买|买入|买|入股|入金|入单|"
    r"本金|加盟|充值|预交|缴纳|交纳|每"
)
_TOTAL_VERBS = (
    r"连本带息|连本带利|本息合计|本息共计|本息共|本息|本利合计|本利和|本利|合计|共计|一共|"
    r"总共|拿回|取回|返还|到手|变成|变为|收回|还款|还|收益|利息|赚取|赚|获利|回报|分红|可得|可拿|"
    r"拿到|给|拿|返"
)


_ADVERB = r"可以|可|能够|能|就|稳|即可|都|均|固定|自动"
_AMOUNT_QUAL = (
    r"约|高达|达到|达|为|可达|有|是|不低于|至少|最少|最高|多达|超过|近|低至|仅|只要|只需|才"
)
_AMOUNT_VERB = (
    r"获得|拿到|拿|领取|领|得到|得|赚取|赚|收益|返息|返利|返还|返|回报|利息|分红|付息|"
    r"派息|配息|获利|收入|有收益|到账|到手|给你|给您|给|支付|给付|还息|还利息|产出|产|吃|息"
)
"""What an amount per period is: 每月返息300元, 每天可得收益2元 (two in a row), 月息4000元."""
_PAID_IN = r"消费券|购物券|代金券|现金|红包|[^\s\d,，。；;:：]?款"
"""What else an amount may be paid in: 每月返还消费券500元, 每年返果款600元."""
_SUBJECT = r"公司|平台|我们|我司|商家|项目方|被告人|被告|借款人|对方|他|她"
"""Who pays, between a principal and its period: 借款本金10万元，被告每月支付利息1500元."""
_INCOME_END = r"(?![\d%‰.分厘角毛成十百千万亿wWkK])"
"""An amount is not the number of a rate (月息2分 is no 2 yuan)."""


def _amount_verb() -> str:
    return (
        rf"(?:{_ADVERB}){{0,2}}(?:{_AMOUNT_VERB}){{1,2}}(?:{_ADVERB})?(?:{_AMOUNT_QUAL})?"
        rf"(?:{_PAID_IN})?"
    )


_PER = r"每个?月|每天|每日|每周|每个?星期|每年|每个?季度?|天天|按月|按天|按日|按周|按年|按季度?"
_BARE_AMOUNT = r"只要|只需|仅需|仅|才|就是|就有|就"
"""Between a period and an amount said without a verb: 一万元一天只要5元, 一万块一天十五."""
_VERBLESS_PER = r"一天|一个月|一年|一周|每天|每日|每个?月|每年|每周"
"""The periods after which an amount may come without a verb (see the reader)."""


def _per_period_pattern() -> str:
    return (
        rf"(?:(?P<pc>{_PRINCIPAL_CUE})了?)?\s*(?:人民币)?(?P<principal>{AMOUNT}|万元)(?:的)?"
        r"(?:本金|资金)?(?:进去|进来)?[\s,，]*(?:的话[\s,，]*)?"
        rf"(?:{_SUBJECT})?(?P<per>{_PER}|一个月|一天|一周|一年|月|日|周|年)(?:的)?"
        rf"(?:(?P<verb>{_amount_verb()})|(?P<bare>{_BARE_AMOUNT}))?"
        rf"\s*(?P<income>{AMOUNT}){_INCOME_END}"
        r"(?P<noun>的?(?:收益|利息|回报|分红|返利|利润|收入))?"
    )


def _income_then_principal_pattern() -> str:
    return (
        rf"(?P<per>{_PER})(?:的)?(?P<verb>{_amount_verb()})?\s*(?P<income>{AMOUNT}){_INCOME_END}"
        r"(?P<noun>的?(?:收益|利息|回报|分红|返利|利润|收入))?[\s,，]*"
        r"(?:本金|投资额|投入)(?:为|是|[:：])?\s*(?:人民币)?"
        rf"(?P<principal>{AMOUNT}){_INCOME_END}"
    )


def _slash_pattern() -> str:
    return (
        r"(?:(?P<cue>收益率|收益|回报率|回报|利率|利息|年息|月息|日息|息)\s*(?:为|是|[:：])?\s*)?"
        rf"(?P<val>{VALUE})\s*/\s*(?P<per>年|月|周|天|日)"
    )


def _warned_pattern() -> str:
    return (
        r"(?<![年月周日天化期])(?P<cue>收益率|回报率|收益|回报)"
        rf"(?P<conn>{CONNECTORS})(?P<val>{VALUE})(?P<post>{_QUAL_POST})?"
    )


def _fund_pattern() -> str:
    return (
        r"(?:每)?万份(?:基金)?(?:单位)?(?:净)?收益\s*(?:为|是|[:：])?\s*"
        r"(?P<amount>\d+(?:\.\d+)?)\s*(?:元)?(?![\d%‰.])"
    )


_NET = r"(?:实际)?(?:到手|到账)|实到|实得|实拿"
"""What was received of a loan after interest deducted up front: 借5000实到3500."""
_AFTER_TERM = (
    r"(?:后|到期后|到期|期满后|期满|内|之后|以后)?[\s,，]*(?:(?:到期|期满)(?:后|时)?[\s,，]*)?"
    r"(?:可以|可|能|就|即可|共|一共|总共)?"
)
"""Between a term and its total: 一年后, 半年，到期, 12个月后可."""


def _term_total_pattern() -> str:
    return (
        rf"(?:(?P<pc>{_PRINCIPAL_CUE})了?\s*(?:人民币)?(?P<principal>{AMOUNT})"
        # 五万块放半年: no cue word, but an amount of money put somewhere
        rf"|(?P<placed>{AMOUNT})\s*(?P<pv>放|存|投|借)(?:进去|在这里|在这)?)"
        r"(?:的)?(?:本金)?[\s,，]*"
        rf"(?:(?:{_NET})\s*(?P<net>{AMOUNT})[\s,，]*)?(?:的话[\s,，]*)?"
        + TERM.format(g="t")
        + _AFTER_TERM
        + rf"(?P<verb>{_TOTAL_VERBS})"
        + r"(?:返还|共计|共|合计|一共|总共|可达|达到|达|为|是|有|拿回|收回|到手|拿到)?\s*"
        + rf"(?P<amount>{AMOUNT})(?![\d%‰.])"
    )


_BOTH = r"(?P<verb>连本带息|连本带利|本息合计|本息共计|本息共|本息|本利合计|本利)"
"""A total of principal and interest."""


def _total_then_principal_pattern() -> str:
    return (
        TERM.format(g="t")
        + r"期?[\s,，]*(?:后|到期后|期满后|到期|期满)[\s,，]*(?:可以|可|能|就|即可)?"
        + _BOTH
        + r"(?:返还|共计|共|合计|一共|总共|可达|达到|达|为|是|拿回|到手)?\s*"
        + rf"(?P<amount>{AMOUNT})[\s,，]*[(（]?\s*本金\s*(?:为|是|[:：])?\s*"
        + rf"(?P<principal>{AMOUNT})(?![\d%‰.])[)）]?"
    )


def _total_principal_term_pattern() -> str:
    """本息合计10万8，本金10万，一年期: the term last."""
    return (
        _BOTH
        + r"(?:返还|共计|共|合计|一共|总共|为|是)?\s*"
        + rf"(?P<amount>{AMOUNT})[\s,，]*[(（]?\s*本金\s*(?:为|是|[:：])?\s*"
        + rf"(?P<principal>{AMOUNT})(?![\d%‰.])[)）]?[\s,，]*(?:投资期限|期限|为期)?[:：]?\s*"
        + TERM.format(g="t")
        + r"(?:期|后)?"
    )


def _term_principal_total_pattern() -> str:
    """三年期，本金10万元，到期一次性返还13.6万元: the term first, the total at maturity."""
    return (
        TERM.format(g="t")
        + r"(?:期|标)?(?:的?产品)?[\s,，]*"
        + r"(?:(?P<pc>投资|投入|出借|借款|存入|认购)(?:金额)?|本金)(?:为|是|[:：])?\s*(?:人民币)?"
        + rf"(?P<principal>{AMOUNT})(?![\d%‰.])[\s,，]*(?:到期|期满)(?:后|时)?[\s,，]*(?:一次性)?"
        + rf"(?:可以|可|能|就|共|一共)?(?P<verb>{_TOTAL_VERBS})"
        + r"(?:返还|共计|共|合计|一共|总共|可达|达到|达|为|是|有|拿回|收回|到手|拿到)?\s*"
        + rf"(?P<amount>{AMOUNT})(?![\d%‰.])"
    )


def _per_first_pattern() -> str:
    """利息：每月每万元300元: the period before the principal."""
    return (
        rf"(?P<per>{_PER})(?:的)?每(?:投资|投入|投)?"
        rf"(?P<principal>万元|(?:\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]+)\s*(?:万元|千元|百元|元))"
        rf"(?:的)?(?:本金|资金)?(?:(?P<verb>{_amount_verb()}))?\s*(?P<income>{AMOUNT}){_INCOME_END}"
        r"(?P<noun>的?(?:收益|利息|回报|分红|返利|利润|收入))?"
    )


def _form_pattern() -> str:
    """An app's loan or product form: 借款金额：5000元 … 借款期限：30天 … 到期应还：5500元."""
    return (
        r"(?P<plabel>借款金额|借款本金|贷款金额|投资金额|出借金额|本金)\s*[:：]\s*"
        rf"(?P<principal>{AMOUNT})(?![\d%‰.])[^。！？!?]{{0,20}}?"
        r"(?:借款期限|贷款期限|投资期限|出借期限|期限)\s*[:：]\s*"
        + TERM.format(g="t")
        + r"[^。！？!?]{0,20}?"
        r"(?P<verb>到期应还|应还总额|应还金额|到期还款|还款总额|到期本息|本息合计|到期应收"
        r"|到期收益|预期收益|应付利息|利息)(?:金额)?\s*[:：]\s*"
        rf"(?P<amount>{AMOUNT})(?![\d%‰.])"
    )


FAMILIES = (
    "rate",
    "post",
    "fen",
    "slash",
    "fund",
    "term_rate",
    "multiple",
    "per_period",
    "per_first",
    "term_total",
    "total_then_principal",
    "total_principal_term",
    "term_principal_total",
    "form",
    "income_then_principal",
    "warned",
)
"""The pattern families, in the order they are read."""

_TERM_END = r"(?:个月|星期|周|天|年|季度)"
_GATES = {
    # Necessary conditions, one per family: a family can match only where its gate does.
    # Each gate is a plain search that costs about a microsecond; most texts that pass the
    # precheck (numbers in 元, percentages in news) fail most gates, and the family is skipped.
    "rate": (
        "年化|年收|年回|年利|年息|年均|年租|月化|月收|月回|月利|月息|月均|月返|周化|周收|周回|周利"
        "|周息|日化|日收|日回|日利|日息|日返|日赚|每年|每月|每个|每周|每星|每天|每日|天天|每季"
        "|期的|期产|期年|期收|期回|期利|承诺|保证|许诺|固定|保底|稳定|预期|预计|按[年月周天日季]"
        "|年华|APR|APY|年分红|年返利|[年月周日]报酬|业绩(?:比较)?基准|季度?(?:化|收益|回报|报酬|利|息)"
        r"|(?:益|报|酬|率|息)\s*[:：]\s*[年月周日天]"
    ),
    "post": (
        rf"(?:[%‰点]|分之[{CN_DIGITS}十百点\d.至到~-]{{1,12}}|万[一二两三四五六七八九][{CN_DIGITS}点]*)"
        rf"\s*(?:{_QUAL_POST})?\s*"
        r"(?:的|不等的)?\s*(?:预期|固定|稳定|超高|高额)?(?:年|月|周|日|高息|高额|固定)"
    ),
    "fen": (
        r"分[0-9一二两三四五六七八九半]?的?[利息]"
        r"|利[息钱][是为按给]?[\d.零〇一二两三四五六七八九十百点]+分"
    ),
    "slash": r"/\s*[年月周天日]",
    "fund": "万份",
    "term_rate": (
        rf"{_TERM_END}(?:及?以上|以内|以下)?(?:"
        rf"(?:内|后|到期|期满|下来|之内)?的?(?:{_MODAL})?(?:总|累计)?"
        r"(?:收益|回报|利息|获利|盈利|赚|返|升值|增值)"
        rf"|(?:{_TERM_PRODUCT})?[\s,，]+(?:到期|期满|总|累计)"
        # no cue: the reader keeps only percentages (一天一个点), so the gate asks for one
        rf"|{_BARE_CONN}(?:{NUM}(?:{_SEP}{NUM})?{_SUFFIX}|{_PREFIX}|{NUM}成的?[利息收回]))"
    ),
    "multiple": "翻[了一两倍番]|倍",
    "per_period": (
        rf"(?:[月日周年天度期季])的?(?:{_ADVERB}){{0,2}}"
        r"(?:获得|拿|领|得|赚|收益|返|回报|利息|分红|付息|派息|配息|获利|收入|有收益|到账|到手|给"
        r"|支付|还息|还利息|产|吃|息)"
        # an amount without a verb: the principal's unit, then the period (一万块一天十五)
        rf"|[元块钱万千亿仟整wWkKUuT]\s*[,，]?\s*(?:{_VERBLESS_PER})(?:{_BARE_AMOUNT})?"
        rf"\s*[\d{CN_NUMERAL_CHARS}]"
        rf"|[\d{CN_NUMERAL_CHARS}元块钱整]\s*的?(?:收益|利息|回报|分红|返利|利润|收入)"
    ),
    "term_total": (
        rf"{_TERM_END}{_AFTER_TERM}"
        r"(?:连本|本息|本利|合计|共计|一共|总共|拿回|取回|返|到手|变成|变为|收回|还|收益|利息|赚"
        r"|获利|回报|分红|可得|可拿|拿到|给|拿)"
    ),
    "total_then_principal": "本金",
    "total_principal_term": "本[息利带]",
    "term_principal_total": "到期|期满",
    "per_first": rf"[月天日周年度季]的?每(?:投资|投入|投)?[\d{CN_NUMERAL_CHARS}万]",
    "form": "期限",
    "income_then_principal": "本金|投资额|投入",
    "warned": "收益|回报",
}

_CUE_FIRST = "投存出借贷认购买入本加充预缴交每下"
FIRST_CHARS: Mapping[str, str] = MappingProxyType(
    {
        "rate": r"\d最高至不保低大约预固参综承许历平实稳年月周日利收回报每天按半业A季"
        + CN_DIGITS
        + "十",
        "per_period": r"\s\d人" + CN_NUMERAL_CHARS + _CUE_FIRST,
        "term_total": r"\d" + CN_NUMERAL_CHARS + _CUE_FIRST,
    }
)
"""For the busiest families, every character a match can start with (a tested invariant).

Their patterns are led by a lookahead on this set (:func:`first_char_guard`): the engine tests
one character class at each position and tries the whole pattern only where it may start,
which makes the ``rate`` family about three times faster on ordinary prose.
"""


def first_char_guard(name: str) -> str:
    """The lookahead that leads the pattern of family ``name`` ("" if it has none)."""
    chars = FIRST_CHARS.get(name)
    return f"(?=[{chars}])" if chars else ""


@dataclass(frozen=True, slots=True)
class Grammar:
    """The compiled pattern families (see the module docstring), their gates, the precheck."""

    precheck: re.Pattern[str]
    """True for any text that may hold a stated return; run on the unfolded text."""
    families: Mapping[str, re.Pattern[str]]
    """Each family of :data:`FAMILIES` by name."""
    gates: Mapping[str, re.Pattern[str]]
    """For each family a cheap search that finds something wherever the family matches."""
    atom: re.Pattern[str]
    """One rate inside a matched value (see :func:`parse_rate`)."""
    continued: re.Pattern[str]
    """A clause that restates a return with a bound and no cue (年利率3.5%的大额存单没有了，现在
    最高3.1%): it takes the period of the return before it."""
    shared: re.Pattern[str]
    """An amount per period without a principal (投资1万元，每天收益50元，一年收益18250元): it
    shares the principal of the reading of amounts before it."""
    threshold: re.Pattern[str]
    """A bare rate that continues a list of thresholds after a return (收益高于年化6%就要警惕，
    超过10%就要……): it takes the period of the return before it."""


@cache
def grammar() -> Grammar:
    """The compiled grammar, built once per process on first use."""
    # The precheck must admit every text that a family can match: each family needs a rate
    # sign, 分/厘 after a number, 翻/倍, or an amount with 元/万/千. It runs on the raw text,
    # so full-width forms are listed too.
    precheck = (
        # led by the class of every character a branch can start with: most positions of a
        # text fail this one test, and the branches are tried only where one may match
        rf"(?=[%％‰﹪翻倍个個分万萬\d０-９一二两兩三四五六七八九十半百千{CN_CAPITALS}息率利化成"
        r"投存借贷貸本认認入下充预缴交])"
        rf"(?:[%％‰﹪翻倍]|[个個][点點]|分之|万份|萬份|[\d０-９一二两兩三四五六七八九十半{CN_CAPITALS}][分厘角毛]"
        rf"|[\d０-９一二两兩三四五六七八九十百千万萬{CN_CAPITALS}]\s*[元块塊]"
        rf"|[\d０-９一二两兩三四五六七八九十{CN_CAPITALS}]\s*[万萬千仟亿億]"
        r"|[\d０-９]\s*(?:[wWkK](?![a-zA-Z])|USDT|usdt|[Uu](?![a-zA-Z]))"
        r"|[息率利化]\s*[万萬][一二两三四五六七八九]|成的?[利息收回]"
        r"|(?:投[资資入]?|存|借|贷款|貸款|本金|认购|認購|入股|入金|入单|下款|充值|预交|缴纳|交纳)了?"
        rf"\s*(?:人民币)?[\d０-９一二两兩三四五六七八九十{CN_CAPITALS}])"
    )
    builders = {
        "rate": _rate_pattern,
        "post": _post_pattern,
        "fen": _fen_pattern,
        "slash": _slash_pattern,
        "fund": _fund_pattern,
        "term_rate": _term_rate_pattern,
        "multiple": _multiple_pattern,
        "per_period": _per_period_pattern,
        "term_total": _term_total_pattern,
        "total_then_principal": _total_then_principal_pattern,
        "total_principal_term": _total_principal_term_pattern,
        "term_principal_total": _term_principal_total_pattern,
        "per_first": _per_first_pattern,
        "form": _form_pattern,
        "income_then_principal": _income_then_principal_pattern,
        "warned": _warned_pattern,
    }
    return Grammar(
        precheck=re.compile(precheck),
        families=MappingProxyType(
            {name: re.compile(first_char_guard(name) + builders[name]()) for name in FAMILIES}
        ),
        gates=MappingProxyType({name: re.compile(_GATES[name]) for name in FAMILIES}),
        atom=re.compile(
            rf"(?P<prefix>{_PREFIX}|万(?=[一二两三四五六七八九]))?(?P<num>{NUM})"
            r"(?P<suffix>\s*(?:%|‰|个点)|分(?P<tenth>[0-9一二两三四五六七八九]|半)?厘?|厘|[角毛]"
            r"|成)?"
        ),
        continued=re.compile(
            r"[,，]\s*(?:现在|目前|如今|最新|现)?(?P<pre>最高|最低|高达|低至|仅为|仅|只有|才)"
            rf"(?:为|是|只有|可达|达)?\s*(?P<val>{NUM}{_SUFFIX})(?P<post>左右|以上|以下)?"
            r"(?=\s*(?:[,，。！？!?；;)）]|$))"
        ),
        shared=re.compile(
            r"(?P<per>一年|每年|全年|一个月|每个?月|一天|每天|每日|一周|每周)(?:下来)?的?(?:总)?"
            r"(?:就能|就|能|可|就有)?(?P<verb>收益|利息|分红|赚|获利|回报)"
            r"(?:就是|就有|可达|达到|达|有|共|为|是)?\s*"
            rf"(?P<income>{AMOUNT}){_INCOME_END}"
        ),
        threshold=re.compile(
            r"[,，、]\s*(?P<pre>超过|高于|超|逾|达到|达|到|在)?"
            rf"(?P<val>{NUM}{_SUFFIX}|{_PREFIX}{NUM})(?P<post>以上|以下)?的?(?:话)?(?=就|则|便)"
        ),
    )


# ---------------------------------------------------------------- rate values


@dataclass(frozen=True, slots=True)
class RateValue:
    """A rate as written: one number or a range, in one scale.

    ``low`` and ``high`` are in the units of ``scale`` (percent, per mille, per 10,000, or
    分 — where 5厘 is 0.5 分); they are equal for a single rate.
    """

    low: Decimal
    high: Decimal
    scale: Scale

    @property
    def is_range(self) -> bool:
        """Whether the text gave a range (8%–12%)."""
        return self.low != self.high


def _atom_scale(prefix: str | None, suffix: str | None) -> Scale | None:
    marker = (prefix or "") + (suffix or "").strip()
    if not marker:
        return None
    if marker in {"百分之", "%", "个点"}:
        return "percent"
    if marker in {"千分之", "‰"}:
        return "permille"
    if marker in {"万分之", "万"}:
        return "per_10k"
    if marker == "成":
        return "percent"  # the number was multiplied by 10 (一成 = 10 %)
    if marker in {"角", "毛"}:
        return "jiao"
    return "fen"


def parse_rate(text: str) -> RateValue | None:
    """Read a matched value (``8%-12%``, ``1分5`` of 月息1分5, ``千分之三``, ``万五``) or ``None``.

    A bare number in a range takes the scale of the other end (8-12% is 8% to 12%). Returns
    ``None`` when no end carries a scale, the scales differ, or a number cannot be read.

    Examples:
        >>> parse_rate("8%-12%")
        RateValue(low=Decimal('8'), high=Decimal('12'), scale='percent')
        >>> parse_rate("1分5")
        RateValue(low=Decimal('1.5'), high=Decimal('1.5'), scale='fen')
        >>> parse_rate("千分之三到五")
        RateValue(low=Decimal('3'), high=Decimal('5'), scale='permille')
    """
    numbers: list[Decimal] = []
    scales: list[Scale | None] = []
    for atom in grammar().atom.finditer(text):
        try:
            number = parse_number(atom.group("num"))
        except ValueError:
            return None
        suffix = atom.group("suffix")
        if suffix is not None and suffix.startswith("厘"):
            number /= 10
        elif suffix == "成":
            number *= 10
        elif atom.group("tenth") is not None:
            tenth = atom.group("tenth")
            number += Decimal("0.5") if tenth == "半" else parse_number(tenth) / 10
        numbers.append(number)
        scales.append(_atom_scale(atom.group("prefix"), suffix))
    known = {s for s in scales if s is not None}
    if not numbers or len(numbers) > 2 or len(known) != 1:
        return None
    low, high = min(numbers), max(numbers)
    return RateValue(low, high, known.pop())


__all__ = [
    "AMOUNT",
    "CONNECTORS",
    "FAMILIES",
    "FIRST_CHARS",
    "NUM",
    "QUAL_PRE",
    "TERM",
    "VALUE",
    "Grammar",
    "RateValue",
    "Scale",
    "first_char_guard",
    "fold_for_returns",
    "grammar",
    "parse_rate",
]
