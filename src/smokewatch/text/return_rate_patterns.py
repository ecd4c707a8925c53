"""The pattern families that read a rate: with a period, over a term, or as a multiple.

Each family is a regular expression with named groups, built by a function of
:data:`PATTERNS`, and has a *gate* in :data:`GATES`, a cheap search that must succeed for the
family to match at all (:mod:`smokewatch.text.return_patterns` compiles both). The readers
are in :mod:`smokewatch.text.return_rate_readers` and :mod:`smokewatch.text.return_term_readers`.

``rate``
    a period cue, then a rate: 年化12%, 年化收益率高达18.5%, 月息2分, 月息2.5 (分 left out),
    日息千分之三, 每月返3%, 最高年化15%, 一年期利息8% (a term product quotes a yearly rate),
    年租金回报8%, 每年返还购房款的10%, 按季度支付本金4%的收益, 月息一角 (一角 a yuan: 10 %).
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
``warned``
    a bare yield (收益率超过6%就要打问号): news quotes past yields this way (今年以来该基金收益率
    12%), so it is kept only in a sentence that warns or negates (see
    :mod:`smokewatch.text.returns`), as a yearly rate, and it never displaces another reading.

Two more patterns read rates that lean on the return before them in the sentence:
:func:`continued_pattern` (a clause that is only a bound) and :func:`threshold_pattern` (a list
of thresholds).

Guards keep dates and other periods out: a period cue (年/月/周/日) is not read after a digit,
a numeral or a word that makes it a date or a past period (2023年, 3月, 今日, 本周, 去年,
工作日), and 年化 is not read before 波动率, 通胀 and the like.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from smokewatch.text.numerals import CN_DIGITS, CN_NUMERAL_CHARS
from smokewatch.text.return_fragments import (
    CONNECTORS,
    NUM,
    QUAL_POST,
    QUAL_PRE,
    RANGE_SEP,
    SCALE_PREFIX,
    SCALE_SUFFIX,
    TERM,
    TERM_END,
    VALUE,
)

_NOT_PERIOD = (
    rf"(?<![0-9{CN_NUMERAL_CHARS}今去明前后上下本当全近次首该同个整半每这那某单节生作易末隔元])"
)
"""Before 年/月/周/日: not a date (2023年, 3月), a past period (去年) or a compound (工作日)."""

_VERBS = (
    r"收益率|收益|回报率|回报|报酬率|报酬|利息|利率|分红|返还|返利|返息|返|可得|获得|赚取|赚|"
    r"拿到|拿|享受|享|领取|领|派息|配息|付息|派发|支付|给付|释放|产出|增值|升值|套利|盈利|获利|生息|"
    r"租金收益|租金回报|给你|给您|给"
)
_OBJECTS = (
    r"本金|投资额|投资款|投资金额|购房款|房款|租金|认购款|会员费"
    r"|[\u4e00-\u9fff]{1,3}?(?<![手续服务管理罚])[费金](?![额融])"
)
"""What a share is paid of: 每年返还购房款的10%, 每月给付本金3%, 前三年每年返租金7%; any sum paid
in (床位费, 押金, 股金), not a fee charged (手续费, 服务费, 管理费, 罚金)."""
_RATE_NOUN = r"收益率|收益|回报率|回报|报酬率|报酬|利率|利息"
_PAID_OUT = r"返利率|返利|返息|返租金|返租|返还|返|分红率|分红|赚|产出|释放"
"""What is paid out per period, after 年/月/季/周/日: 月返利率3%, 季度分红率4%, 日赚1%, 月返5%,
年返租金8%, 日产出0.5% and 日释放1% (of a mining rig or a staked coin)."""
_NOT_RETURN_AFTER_ANNUAL = r"(?!波动|换手|通胀|增长|增速|涨|跌|费|成本|损失|亏损|超额|夏普|标准差)"


def _rate_pattern() -> str:
    # Each part is led by a lookahead on the characters it can start with, so that at most
    # positions it fails at one test instead of trying each of its words (or, for a period,
    # first testing the wide _NOT_PERIOD lookbehind). The lookaheads change no match.
    lead = (
        r"(?P<lead>(?=[预约固参综承保许历平实])"
        r"(?:预期|预计|约定|固定|参考|综合|承诺|保证|许诺|历史|平均|实际))?"
    )
    year = (
        rf"(?P<y>(?=[年A])(?:年化(?:综合收益率|{_RATE_NOUN}|分红率|返利率|收益水平)?{_NOT_RETURN_AFTER_ANNUAL}"
        rf"|年华(?:{_RATE_NOUN})"  # a common typo of 年化
        r"|(?<![A-Za-z])(?:APR|APY)"
        rf"|(?=年){_NOT_PERIOD}年(?:{_RATE_NOUN}|息|利|均收益率|均收益|均回报率|均回报|化率"
        r"|租金(?:回报率|回报|收益率|收益)|(?:分红|返利)(?:比例|率)?"
        rf"|{_PAID_OUT}"
        # 年底分红15%: paid at the end of each year
        r"|[底终](?:保底|固定)?(?:分红|返利|派息|付息|收益|回报))))"
    )
    month = (
        rf"(?P<m>(?=月){_NOT_PERIOD}月(?:化收益率|化收益|化回报率|化回报|化|{_RATE_NOUN}|息|利"
        rf"|均收益率|均收益|{_PAID_OUT}))"
    )
    quarter = (
        rf"(?P<q>(?=季){_NOT_PERIOD}季度?(?:化收益率|化收益|化|{_RATE_NOUN}|息|利|{_PAID_OUT}))"
    )
    week = rf"(?P<w>(?=周){_NOT_PERIOD}周(?:化收益率|化收益|化|{_RATE_NOUN}|息|利|{_PAID_OUT}))"
    day = (
        rf"(?P<d>(?=日){_NOT_PERIOD}日(?:化收益率|化收益|化|{_RATE_NOUN}|息|利|均收益率|均收益"
        rf"|{_PAID_OUT}))"
    )
    every = (
        r"(?=[利收回每天日月周年按])(?:(?P<enoun>收益率|回报率|利息|收益|回报|利率)"
        # 收益高达每年20%
        r"(?P<equal>是|为|高达|可达|最高可达|最高|达到|达|约为|约|在|不低于|至少|按照|按)?)?"
        r"(?P<every>每年|每个?月|每周|每个?星期|每天|每日|天天|日日|月月|周周|年年|每个?季度?"
        r"|按年|按月|按周|按天|按日|按季度?)(?:的)?"
        rf"(?:可|能|稳|都|均|固定|签到|打卡|自动)?(?P<everb>{_VERBS})?"
        # 每周分红一次，每次按本金的2%: paid once a period
        r"(?:一次[\s,，]*每次(?:按|为|是)?)?"
        rf"(?:(?:是|为)?(?:{_OBJECTS}))?的?"
    )
    term_product = (
        TERM.format(g="p")
        + r"期(?:的)?(?:大额存单|存单|票面|理财产品|理财|产品)?(?:年化)?"
        + rf"(?P<p>{_RATE_NOUN})"
    )
    unspecified = (
        r"(?=[承保许固稳预业租])(?P<u>(?:承诺|保证|许诺|固定|保底|稳定|预期|预计)(?:的|给予|给付|支付)?"
        r"(?:投资)?"
        # a rental yield (售后包租, 返租) is quoted by the year
        rf"(?:{_RATE_NOUN})|业绩比较基准|业绩基准|租金(?:回报率|收益率|回报|收益))"
        r"(?P<uper>每年|每个?月|每周|每天|每日)?"
    )
    # 收益：月2%, 利率：年12%: the period after the noun and its colon
    noun_period = (
        rf"(?=[收回报利])(?P<cnoun>{_RATE_NOUN})\s*(?:[:：]\s*(?:每个?)?|[(（])(?P<cper>[年月周日天])"
        # 收益率（年化）：6%
        r"(?:化?[)）]\s*[:：]?)?"
        rf"(?=\s*[\d{CN_DIGITS}])"
    )
    return (
        rf"(?P<pre>(?=[最高至不保低大约])(?:{QUAL_PRE})"
        r"(?:可享受|可享|可获得|可获|可达|可|享受|享|达)?)?"
        + lead
        + f"(?:{year}|{month}|{quarter}|{week}|{day}|{every}|{term_product}|{unspecified}"
        + f"|{noun_period})"
        + rf"(?P<conn>{CONNECTORS})"
        + rf"(?:(?P<val>{VALUE})|[(（]%[)）]\s*[:：]?\s*(?P<pctval>\d+(?:\.\d+)?)(?![\d%])"
        # 月息2.5 (lenders leave out the 分): a bare number that ends its clause
        + r"|(?P<bare>\d(?:\.\d{1,2})?)(?=\s*(?:[,，。；;!！?？、]|$)))"
        # 年化10%+2% (a bonus stacked on the rate): the promise is the sum
        + r"(?P<plus>\s*\+\s*\d+(?:\.\d+)?\s*%)?"
        + rf"(?P<post>{QUAL_POST})?"
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
        rf"(?P<val>{VALUE})(?P<post>{QUAL_POST})?\s*(?:的|不等的)?\s*"
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
_TERM_PRODUCT = r"(?:短|定)?(?:期的?产品|期标|期|(?:[\u4e00-\u9fff]{1,3}?)?(?:标|产品|计划))"
"""What makes a term a product's: 半年期产品, 一个月期, 7天标, 15天短期标, 7天体验标,
30天新手计划."""
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
        # 15天，收益1.2%: a gain (收益, not 收益率) in the clause after a term is over it
        + rf"|(?:{_TERM_PRODUCT})?(?:[\s,，]+(?:(?:到期|期满)(?:后|时)?(?:的)?(?:总|累计)?|总|累计"
        + r"|(?=(?:收益|回报)(?!率)))"
        + r"|(?:到期|期满)(?:后|时)?[\s,，]+(?:的)?(?:总|累计)?)"
        + rf"(?P<mcue>{_TERM_CUES})"
        + rf")(?P<conn>{CONNECTORS})"
        # no cue at all: 一天一个点, 一年就是三十个点 (percentages only, see the reader); a
        # term product's rate in a list: 三年期票面利率2.38%，五年期2.5%
        + rf"|(?P<tp>期)?{_BARE_CONN})"
        + rf"(?P<val>{VALUE})(?P<post>{QUAL_POST})?"
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


def _slash_pattern() -> str:
    return (
        r"(?:(?P<cue>收益率|收益|回报率|回报|利率|利息|年息|月息|日息|息)\s*(?:为|是|[:：])?\s*)?"
        rf"(?P<val>{VALUE})\s*/\s*(?P<per>年|月|周|天|日)"
    )


def _warned_pattern() -> str:
    return (
        r"(?<![年月周日天化期])(?P<cue>收益率|回报率|收益|回报)"
        rf"(?P<conn>{CONNECTORS})(?P<val>{VALUE})(?P<post>{QUAL_POST})?"
    )


def _fund_pattern() -> str:
    return (
        r"(?:每)?万份(?:基金)?(?:单位)?(?:净)?(?:每日|当日|每天|日)?收益\s*(?:为|是|[:：])?\s*"
        r"(?P<amount>\d+(?:\.\d+)?)\s*(?:元)?(?![\d%‰.])"
    )


def continued_pattern() -> str:
    """A clause that restates a return with a bound and no cue (…，现在最高3.1%)."""
    return (
        r"[,，]\s*(?:现在|目前|如今|最新|现)?(?P<pre>最高|最低|高达|低至|仅为|仅|只有|才)"
        rf"(?:为|是|只有|可达|达)?\s*(?P<val>{NUM}{SCALE_SUFFIX})(?P<post>左右|以上|以下)?"
        r"(?=\s*(?:[,，。！？!?；;)）]|$))"
    )


def threshold_pattern() -> str:
    """A bare rate that continues a list of thresholds (收益高于年化6%就要警惕，超过10%就要…)."""
    return (
        r"[,，、]\s*(?P<pre>超过|高于|超|逾|达到|达|到|在)?"
        rf"(?P<val>{NUM}{SCALE_SUFFIX}|{SCALE_PREFIX}{NUM})(?P<post>以上|以下)?的?(?:话)?"
        # a hedge before 就: 超过10%可能就是骗局
        r"(?:很可能|可能|多半|基本|大概率|肯定|一定)?(?=就|则|便)"
    )


PATTERNS: Mapping[str, Callable[[], str]] = MappingProxyType(
    {
        "rate": _rate_pattern,
        "post": _post_pattern,
        "fen": _fen_pattern,
        "slash": _slash_pattern,
        "fund": _fund_pattern,
        "term_rate": _term_rate_pattern,
        "multiple": _multiple_pattern,
        "warned": _warned_pattern,
    }
)
"""The builder of each family of this module, by name."""

GATES: Mapping[str, str] = MappingProxyType(
    {
        # Necessary conditions, one per family: a family can match only where its gate does.
        # Each gate is a plain search that costs about a microsecond; most texts that pass the
        # precheck (numbers in 元, percentages in news) fail most gates, and the family is
        # skipped.
        "rate": (
            "[年月周日季][化收回利息均租返赚产释]|[年月周日季]分红|年[底终]|日日|月月|周周|年年"
            "|每年|每月|每个|每周|每星|每天|每日|天天|每季"
            "|期的|期产|期年|期收|期回|期利|承诺|保证|许诺|固定|保底|稳定|预期|预计|按[年月周天日季]"
            "|租金[回收]"
            "|年华|APR|APY|年分红|年返利|[年月周日]报酬|业绩(?:比较)?基准|季度?(?:化|收益|回报|报酬|利|息|分红|返|赚)"
            "|期(?:大额|存单|票面|理财)"
            r"|(?:益|报|酬|率|息)\s*(?:[:：]\s*(?:每个?)?|[(（])[年月周日天]"
        ),
        "post": (
            rf"(?:[%‰点]|分之[{CN_DIGITS}十百点\d.至到~-]{{1,12}}|万[一二两三四五六七八九][{CN_DIGITS}点]*)"
            rf"\s*(?:{QUAL_POST})?\s*"
            r"(?:的|不等的)?\s*(?:预期|固定|稳定|超高|高额)?(?:年|月|周|日|高息|高额|固定)"
        ),
        "fen": (
            r"分[0-9一二两三四五六七八九半]?的?[利息]"
            r"|利[息钱][是为按给]?[\d.零〇一二两三四五六七八九十百点]+分"
        ),
        # the value ends in a sign, 分/厘/角/成 or a number (1980元/年 is a price)
        "slash": rf"/(?<=[%‰点分厘半角毛成\d\s{CN_NUMERAL_CHARS}]/)\s*[年月周天日]",
        "fund": "万份",
        "term_rate": (
            rf"{TERM_END}(?:及?以上|以内|以下)?(?:"
            rf"(?:内|后|到期|期满|下来|之内)?的?(?:{_MODAL})?(?:总|累计)?"
            r"(?:收益|回报|利息|获利|盈利|赚|返|升值|增值)"
            rf"|(?:{_TERM_PRODUCT})?[\s,，]+(?:到期|期满|总|累计|收益|回报)|(?:到期|期满)(?:后|时)?[\s,，]"
            # no cue: the reader keeps only percentages (一天一个点), so the gate asks for one
            rf"|期?{_BARE_CONN}(?:{NUM}(?:{RANGE_SEP}{NUM})?{SCALE_SUFFIX}|{SCALE_PREFIX}"
            rf"|{NUM}成的?[利息收回]))"
        ),
        "multiple": "翻[了一两倍番]|倍",
        "warned": "收益|回报",
    }
)
"""For each family of this module a cheap search that finds something wherever it matches."""

__all__ = ["GATES", "PATTERNS", "continued_pattern", "threshold_pattern"]
