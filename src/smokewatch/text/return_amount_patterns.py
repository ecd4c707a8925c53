"""The pattern families that read amounts of money against a principal.

Each family is a regular expression with named groups, built by a function of
:data:`PATTERNS`, and has a *gate* in :data:`GATES`, a cheap search that must succeed for the
family to match at all (:mod:`smokewatch.text.return_patterns` compiles both). The readers,
which turn the amounts into rates, are in :mod:`smokewatch.text.return_amount_readers`.

``per_period`` / ``per_first``
    an amount per period on a principal: 每万元每天收益5元, 投资1万元每月返息300元,
    一万块一天十五, 每月每万元300元 (the period before the principal).
``per_occasion``
    a payment per occasion and how often it comes: 入股1万元，每季度分红一次，每次300元.
``income_then_principal`` / ``principal_then_income``
    the income first, the principal after it: 每月可领取利息800元，本金10万; or a principal
    named as such, then its income in the next clause: 借款本金为9万元，双方约定的利息为每月9000元.
``term_total``
    a total (or a gain) after a term: 本金10万元一年后连本带息共12万元, 五万块放半年，到期给五万六,
    借5000元，实际到手3500元，一个月后还5000元 (interest deducted up front).
``total_then_principal`` / ``total_principal_term`` / ``term_principal_total``
    the term, the total and the principal in other orders: 一年后连本带息返还12万元（本金10万）,
    本息合计10万8，本金10万，一年期, 三年期，本金10万元，到期一次性返还13.6万元.
``form``
    the fields of an app's loan or product form: 借款金额：5000元 借款期限：30天 到期应还：5500元.
``total_in_sentence``
    a principal and the total paid back for it, with the term anywhere in the sentence:
    借1000还1300，周期7天; 认养一头猪3000元，出栏后返还3600元，养殖周期6个月.

Two more patterns read amounts that lean on the reading before them in the sentence:
:func:`shared_pattern` (an amount per period without a principal) and
:func:`shared_total_pattern` (a total without a principal or a term).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from smokewatch.text.numerals import CN_NUMERAL_CHARS
from smokewatch.text.return_fragments import AMOUNT, TERM, TERM_END

_PRINCIPAL_CUE = (
    r"投资|投入|投|存入|存款|存|出借|借给|借款|借钱|借|贷款|下款|额度|认购|购买|买入|买|入股|入金|"
    r"入单|入会|办卡|本金|加盟|充值|预交|缴纳|交纳|交|每"
)
_TOTAL_VERBS = (
    r"连本带息|连本带利|本息合计|本息共计|本息共|本息|本利合计|本利和|本利|合计|共计|一共|"
    r"总共|拿回|取回|取出|返还|到手|变成|变为|收回|提现|提取|提出|还款|还|收益|利息|赚取|赚|获利|回报|"
    r"分红|可得|可拿|"
    r"拿到|给|拿|返"
)


_ADVERB = r"可以|可|能够|能|就|稳|即可|都|均|固定|自动|签到|打卡"
_AMOUNT_QUAL = (
    r"约|高达|达到|达|为|可达|有|是|不低于|至少|最少|最高|多达|超过|近|低至|仅|只要|只需|才"
)
_AMOUNT_VERB = (
    r"获得|拿到|拿|领取|领|得到|得|赚取|赚|收益|返息|返利|返还|返现|返|回报|利息|分红|付息|"
    r"派息|配息|获利|收入|有收益|到账|到手|给你|给您|给|支付|给付|发放|还息|还利息|产出|产|吃|"
    r"利润|息"
)
"""What an amount per period is: 每月返息300元, 每天可得收益2元 (two in a row), 月息4000元."""
_PAID_IN = (
    r"消费券|购物券|代金券|现金|红包|[^\s\d,，。；;:：]?款|[\u4e00-\u9fff]{0,2}?(?:补贴|津贴|福利)"
)
"""What else an amount may be paid in or as: 每月返还消费券500元, 每年返果款600元, 每月领取养老
补贴300元 (an allowance for money paid in is a return under another name)."""
_SUBJECT = r"公司|平台|我们|我司|商家|项目方|被告人|被告|借款人|对方|他|她"
"""Who pays, between a principal and its period: 借款本金10万元，被告每月支付利息1500元."""
_PROMISED = r"说好|讲好|约定|承诺|保证|许诺"
"""A promise between a principal and its period: 借了5万，说好每个月给2千利息."""
_INCOME_END = r"(?![\d%‰.分厘角毛成十百千万亿wWkK次倍])"
"""An amount is not the number of a rate or of times (月息2分 is no 2 yuan, 分红1次 no 1 yuan)."""


_PAYEE = r"原告|被告|投资人|投资者|出借人|债权人|会员|客户|社员|股东|你|您|我|他|她|对方"
"""To whom an amount is paid, between the period and the verb: 每月向原告支付利息6000元."""
_GAIN_NOUN = r"收益|回报|分红|利息|利润"
_NAMED_GAIN = rf"(?:(?![化均])[\u4e00-\u9fff]){{1,2}}?(?:{_GAIN_NOUN})"
"""A gain named by what yields it: 每天下蛋收益1元, 每年返还苗木收益8000元, 每月租金回报600元."""


def _amount_verb() -> str:
    return (
        rf"(?:{_ADVERB}){{0,2}}(?:(?:向|给)(?:{_PAYEE}))?"
        rf"(?:(?:{_AMOUNT_VERB}){{1,2}}|(?:{_AMOUNT_VERB})?{_NAMED_GAIN})"
        rf"(?:{_ADVERB})?(?:{_AMOUNT_QUAL})?(?:{_PAID_IN})?"
    )


_PER = r"每个?月|每天|每日|每周|每个?星期|每年|每个?季度?|天天|按月|按天|按日|按周|按年|按季度?"
_BARE_AMOUNT = r"只要|只需|仅需|仅|才|就是|就有|就"
"""Between a period and an amount said without a verb: 一万元一天只要5元, 一万块一天十五."""
_VERBLESS_PER = r"一天|一个月|一年|一周|每天|每日|每个?月|每年|每周"
"""The periods after which an amount may come without a verb (see the reader)."""


_BOUGHT = r"(?:买|购买|认养|认购|认领|租)(?:一|每)?[只头台个份张套棵亩株][\u4e00-\u9fff]{0,4}?"
"""What the principal buys, between it and the period: 100元买一只数字鸡，每天下蛋收益1元."""
_PAID_NOUN = r"[\u4e00-\u9fff]{1,3}?(?<![手续服务管理罚息])(?:费|款)"
"""What the principal is paid as, after it: 缴纳15万元入住费, 交5000元会员费 (not a fee charged:
手续费, 服务费, 管理费)."""
_INCOME_NOUN = r"的?(?:收取|计收|支付|计付)?(?:收益|利息|回报|分红|返利|利润|收入)"
"""A word of income after the amount: 3元的收益, 每万元每天15元收取利息."""


def _per_period_pattern() -> str:
    return (
        rf"(?:(?P<pc>{_PRINCIPAL_CUE})了?)?\s*(?:人民币)?(?P<principal>{AMOUNT}|万元)(?:的)?"
        # one alternation tried at most twice is cheaper than three optional groups
        rf"(?:本金|资金|投资|投入|进去|进来|[一每][股份]|{_BOUGHT}|{_PAID_NOUN}){{0,2}}[\s,，]*"
        r"(?:的话[\s,，]*)?"
        rf"(?:{_SUBJECT})?(?:{_PROMISED})?"
        rf"(?P<per>{_PER}|一个月|一天|一周|一年|年底|年终|月|日|周|年)(?:的)?"
        rf"(?:(?P<verb>{_amount_verb()})|(?P<bare>{_BARE_AMOUNT}))?"
        rf"\s*(?P<income>{AMOUNT}){_INCOME_END}"
        rf"(?P<noun>{_INCOME_NOUN})?"
    )


def _per_occasion_pattern() -> str:
    """入股1万元，每季度分红一次，每次300元: a payment per occasion, and how often it comes."""
    return (
        rf"(?:(?P<pc>{_PRINCIPAL_CUE})了?)?\s*(?:人民币)?(?P<principal>{AMOUNT})(?:的)?"
        rf"(?:本金|资金|投资|投入|{_PAID_NOUN})?[\s,，]*(?:{_SUBJECT})?"
        r"(?P<per>每半年|半年|每个?季度?|每个?月|每年|每周)"
        r"(?P<verb>分红|返利|返息|付息|派息|结息|返还|返|发放收益|发放)一次[\s,，]*每次"
        rf"(?:{_amount_verb()})?\s*(?P<income>{AMOUNT}){_INCOME_END}"
    )


def _income_then_principal_pattern() -> str:
    """每月可领取利息800元，本金10万; 利息一天一百，借一万: the income, then its principal."""
    return (
        rf"(?:(?P<inoun>{_GAIN_NOUN})(?:是|为)?)?"
        # 日收益 8.2 USDT (a mining rig's sheet): 日, 月, 周 right before the income word
        rf"(?P<per>{_PER}|一天|一个月|一周|一年|(?<![今昨明前当本这上下次])[日月周](?=收益|产出|回报))"
        rf"(?:的)?(?P<verb>{_amount_verb()})?\s*(?P<income>{AMOUNT}){_INCOME_END}"
        r"(?P<noun>的?(?:收益|利息|回报|分红|返利|利润|收入))?[\s,，]*[(（]?"
        r"(?:(?:借款|出借|投资|存款)?(?:本金|投资额|投入)(?:为|是|[:：])?"
        r"|(?:投入|投资|机器|矿机)?成本(?:为|是|[:：])?"
        r"|(?<=[\s,，])(?P<pc>借款|借|投资|投|存))"
        rf"\s*(?:人民币)?(?P<principal>{AMOUNT}){_INCOME_END}"
    )


def _principal_then_income_pattern() -> str:
    """借款本金为9万元，双方约定的利息为每月9000元: a principal, then its income in a clause."""
    return (
        r"(?:(?P<pc>借款|出借|投资|存款|认购)(?:本金|金额)|本金)(?:为|是|[:：])?\s*(?:人民币)?"
        rf"(?P<principal>{AMOUNT})(?![\d%‰.])[,，][^。！？!?；;\d%,，]{{0,12}}?"
        rf"(?:(?:{_GAIN_NOUN})(?:为|是|[:：])?(?P<per>{_PER})"
        rf"|(?P<per2>{_PER})的?(?P<verb>{_amount_verb()}))"
        rf"\s*(?P<income>{AMOUNT}){_INCOME_END}"
    )


_NET = r"(?:实际)?(?:到手|到账)|实到|实得|实拿"
"""What was received of a loan after interest deducted up front: 借5000实到3500."""
_CUT = (
    r"(?:先|提前|预先|当场)?(?:扣除|扣掉|扣|砍掉|砍|收取|收)了?"
    r"(?:[\u4e00-\u9fff]{0,3}?(?:费|息|利息|押金|保证金))?"
)
"""A deduction up front (砍头息), before what is left: 先扣除服务费2000元, 先扣两千."""
_AFTER_TERM = (
    r"(?:后|到期后|到期|期满后|期满|内|之后|以后)?[\s,，]*(?:(?:到期|期满)(?:后|时)?[\s,，]*)?"
    r"(?:可以|可|能|就|即可|共|一共|总共)?"
)
"""Between a term and its total: 一年后, 半年，到期, 12个月后可."""


def _term_total_pattern() -> str:
    return (
        rf"(?:(?P<pc>{_PRINCIPAL_CUE})了?[:：]?\s*(?:人民币)?(?P<principal>{AMOUNT})"
        # 五万块放半年: no cue word, but an amount of money put somewhere
        rf"|(?P<placed>{AMOUNT})\s*(?P<pv>放|存|投|借)(?:进去|在这里|在这)?)"
        r"(?:的)?(?:本金)?[\s,，]*"
        rf"(?:{_CUT}(?P<cut>{AMOUNT})[\s,，]*)?"
        rf"(?:(?:{_NET})\s*(?P<net>{AMOUNT})[\s,，]*)?(?:的话[\s,，]*)?"
        r"(?:借款|借|贷款|投资|存)?"  # 额度3万，借款一年，总利息仅需2160元
        + TERM.format(g="t")
        + _AFTER_TERM
        + r"(?:获得|可获得|得到|领取|总)?"  # 一年后获得利息600元
        + rf"(?P<verb>{_TOTAL_VERBS})了?"
        + r"(?:返还|共计|共|合计|一共|总共|可达|达到|达|为|是|有|拿回|收回|到手|拿到)?"
        + r"(?:仅需|只需|仅|只要|只有)?\s*"
        + rf"(?P<amount>{AMOUNT})(?![\d%‰.])"
    )


_PRODUCT = r"的?(?:理财产品|理财|产品|计划|存单|标)"
"""What a term may name before its total (两年期理财，到期连本带息共112万)."""
_BOTH = r"(?P<verb>连本带息|连本带利|本息合计|本息共计|本息共|本息|本利合计|本利)"
"""A total of principal and interest."""


def _total_then_principal_pattern() -> str:
    return (
        TERM.format(g="t")
        + rf"期?(?:{_PRODUCT})?[\s,，]*(?:后|到期后|期满后|到期|期满)[\s,，]*"
        + r"(?:可以|可|能|就|即可)?"
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


_TERM_LABEL = r"(?:借款|贷款|投资|出借|产品)?期限|周期"
_NET_LABEL = r"实际到账|实际到手|到账金额|到手金额|实到|到手"


def _form_pattern() -> str:
    """An app's loan or product form: 借款金额：5000元 … 借款期限：30天 … 到期应还：5500元.

    The fields may come with or without colons, and the term before the amount; an amount
    received (实际到账：1600元) is the principal when a fee was taken up front.
    """
    return (
        rf"(?:(?:{_TERM_LABEL})\s*[:：]?\s*" + TERM.format(g="s") + r"[^。！？!?]{0,20}?)?"
        r"(?P<plabel>借款金额|借款本金|贷款金额|投资金额|出借金额|购买金额|认购金额|本金|价格)"
        r"\s*[:：]?\s*"
        rf"(?P<principal>{AMOUNT})(?![\d%‰.])[^。！？!?]{{0,30}}?"
        rf"(?:(?:{_TERM_LABEL})\s*[:：]?\s*" + TERM.format(g="t") + r"[^。！？!?]{0,30}?)?"
        rf"(?:(?:{_NET_LABEL})\s*[:：]?\s*(?P<net>{AMOUNT})(?![\d%‰.])[^。！？!?]{{0,20}}?)?"
        r"(?P<verb>到期应还|应还总额|应还金额|到期还款|还款总额|到期本息|本息合计|到期应收"
        r"|到期归还本息|归还本息|到期收益|预期收益|预计收益|预计总产出|总产出|应付利息|利息)"
        r"(?:金额)?\s*[:：]?\s*"
        rf"(?P<amount>{AMOUNT})(?![\d%‰.])"
    )


_OBJECT = r"(?:一|每)[头只棵亩份个台套张株][\u4e00-\u9fff]{0,3}?"
"""A unit bought between a cue and its price: 投一头牛1.2万元, 认养一头猪3000元."""


def _total_in_sentence_pattern() -> str:
    """借1000还1300，周期7天; 500借7天还800; 认养一头猪3000元，出栏后返还3600元，养殖周期6个月.

    A principal and the total paid back for it, close together; the term may be anywhere in
    the sentence (the reader looks for it between, then before, then after).
    """
    return (
        r"(?:(?P<before>\d+(?:\.\d+)?\s*[万千wWkK]?\s*(?:元|块)?)(?=借))?"
        r"(?P<pc>借款|借钱|借给你|借给|借|投资|投入|投|存入|存|认养|认购|认领|入股|缴纳|交纳)"
        rf"(?:了|给你)?(?:金额)?[:：]?\s*(?:人民币)?(?:(?:{_OBJECT})?(?P<principal>{AMOUNT}))?"
        r"(?!\s*(?:天|周|个月|个星期|星期|年|期|号|日|月))"
        r"(?P<mid>[^。！？!?；;还返每%借投存]{0,24}?)"
        r"(?P<verb>连本带息|连本带利|本息合计|本息共|到期应还|应还|归还|还款|还|返还|拿回|取回|领回"
        r"|收回|回购价|回购)"
        r"(?:本息|本金和利息)?(?:金额|总额)?[:：]?(?:共|总共|一共|为)?\s*"
        rf"(?P<amount>{AMOUNT})(?![\d%‰.])"
    )


def shared_pattern() -> str:
    """An amount per period without a principal (…，一年收益18250元)."""
    return (
        r"(?P<per>一年|每年|全年|一个月|每个?月|一天|每天|每日|一周|每周)(?:下来)?的?(?:总)?"
        r"(?:(?:就能|就|能|可|就有|稳稳|稳|轻松)?"
        r"(?P<verb>收益|利息|分红|赚|获利|回报|拿到|拿|领取|领|到手|得到|得|返)"
        r"|就是|就有|能有)"
        r"(?:就是|就有|可达|达到|达|有|共|为|是)?\s*"
        rf"(?P<income>{AMOUNT}){_INCOME_END}"
    )


def shared_total_pattern() -> str:
    """A total without a principal or a term (…，连本带利拿回12万): it shares both."""
    return (
        r"(?P<verb>连本带息|连本带利|本息合计|本息共计|本息共|本息|本利合计|本利)"
        r"(?:一共|共|合计|总共|可|能|就)?(?:拿回|取回|返还|到手|领回|收回|拿|领|为|是|有)?\s*"
        rf"(?P<amount>{AMOUNT})(?![\d%‰.])"
    )


PATTERNS: Mapping[str, Callable[[], str]] = MappingProxyType(
    {
        "per_period": _per_period_pattern,
        "per_first": _per_first_pattern,
        "per_occasion": _per_occasion_pattern,
        "term_total": _term_total_pattern,
        "total_then_principal": _total_then_principal_pattern,
        "total_principal_term": _total_principal_term_pattern,
        "term_principal_total": _term_principal_total_pattern,
        "form": _form_pattern,
        "income_then_principal": _income_then_principal_pattern,
        "principal_then_income": _principal_then_income_pattern,
        "total_in_sentence": _total_in_sentence_pattern,
    }
)
"""The builder of each family of this module, by name."""

GATES: Mapping[str, str] = MappingProxyType(
    {
        # Necessary conditions, as for the rate families (see return_rate_patterns).
        "per_period": (
            rf"(?:[月日周年天度期季底终])的?(?:{_ADVERB}){{0,2}}(?:(?:向|给)(?:{_PAYEE}))?"
            r"(?:获得|拿|领|得|赚|收益|返|回报|利息|分红|付息|派息|配息|获利|收入|有收益|到账|到手|给"
            r"|支付|发放|还息|还利息|产|吃|息|利润|(?:(?![化均])[\u4e00-\u9fff]){1,2}?(?:收益|回报|分红|利息|利润))"
            # an amount without a verb: the principal's unit, then the period (一万块一天十五)
            rf"|[元块钱万千亿仟整wWkKUuT]\s*[,，]?\s*(?:{_VERBLESS_PER})(?:{_BARE_AMOUNT})?"
            rf"\s*[\d{CN_NUMERAL_CHARS}]"
            rf"|[\d{CN_NUMERAL_CHARS}元块钱整]\s*{_INCOME_NOUN}"
        ),
        "term_total": (
            rf"{TERM_END}{_AFTER_TERM}(?:获得|可获得|得到|领取|总)?"
            r"(?:连本|本息|本利|合计|共计|一共|总共|拿回|取|返|到手|变成|变为|收回|提|还|收益|利息|赚"
            r"|获利|回报|分红|可得|可拿|拿到|给|拿)"
        ),
        "total_then_principal": "本金",
        "total_principal_term": "本[息利带]",
        "term_principal_total": "到期|期满",
        "per_occasion": r"一次[\s,，]*每次",
        "per_first": rf"[月天日周年度季]的?每(?:投资|投入|投)?[\d{CN_NUMERAL_CHARS}万]",
        "form": "期限|周期",
        "income_then_principal": (
            rf"本金|投资额|投入|成本|[借投存](?<=[\s,，][借投存])[款资]?\s*(?:人民币)?[\d{CN_NUMERAL_CHARS}]"
        ),
        "principal_then_income": "本金",
        "total_in_sentence": (
            r"(?=[连本还拿取领收回])(?:连本带[息利]|本息合计|本息共|还款?|[拿取领收]回|回购价?)"
            r"(?:本息|本金和利息)?"
            rf"(?:金额|总额)?[:：]?(?:共|总共|一共|为)?\s*[\d{CN_NUMERAL_CHARS}]"
        ),
    }
)
"""For each family of this module a cheap search that finds something wherever it matches."""

CUE_FIRST = "投存出借贷额认购买入办本加充预缴交每下"
"""The first characters of the principal cues (投资, 存入, 借款, 每, …), for the first-character
guards of the families that read amounts."""

__all__ = ["CUE_FIRST", "GATES", "PATTERNS", "shared_pattern", "shared_total_pattern"]
