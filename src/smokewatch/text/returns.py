"""Stated returns in text (年化12%, 月息2分, 每万元每天收益5元, 三个月翻倍), as yearly rates.

The first thing a regulator looks for in an ad, an app page, a post or a news item about
illegal fundraising is a *stated return*. :func:`extract_returns` finds every one, with its
evidence span, and converts it to a rate in **percent per year** so that it can be compared
with the market (:mod:`smokewatch.text.rates`).

How rates are annualised (:func:`annualise`): simply, without compounding — monthly × 12,
weekly × 52, daily × 365, quarterly × 4, a total over a term × 12 / months (or × 365 / days).
The arithmetic is exact (:class:`~decimal.Decimal`); only :attr:`PromisedReturn.annual_rate`,
``low`` and ``high`` are rounded, once, at the end, to 4 decimal places (half up). Every
return says in words how it was annualised (:attr:`PromisedReturn.basis`).

How the words are read:

* 分 and 厘 of interest follow lending usage: 月息2分 is 2 % a month, 月息1分5 1.5 %, 5厘 0.5 %;
  年息1分 is 10 % a year (年息8厘 8 %). For daily rates smokewatch reads 日息3厘 as 0.3 % a
  day (1 厘 = 千分之一 a day), as loan-shark ads and court reports use it; the older scheme
  in which 日利1分 is 千分之一 would give a rate ten times smaller. 分 with no period (3分利)
  is read as monthly, as lenders mean it, and so is a monthly rate of interest written
  without its unit (月息2.5 is 2.5 分, 2.5 % a month).
* 千分之三 and 3‰ are 0.3 %; 万分之五 is 0.05 %; 12个点 and 百分之十二 are 12 %; 月息一角 (一毛)
  is 10 % a month (a 角 on each yuan). A period may follow after a slash: 收益0.1%/天, or a
  colon: 收益：月2%. Lenders' shorthand is read after a cue: 日息万五 is 万分之五 a day, 一成利
  10 % (首付三成 and 三成利润 are no rates). Numbers may be financial capitals (月息贰分).
* Traditional characters are read as their simplified forms (年化報酬率, 連本帶利, 萬), and
  a few common slips as what they mean (年华收益 for 年化收益).
* 万份收益1.0260元 (a money-market fund) is 1.026 yuan per 10,000 a day.
* A range (8%–12%) gives ``low`` and ``high``; ``annual_rate`` is the **high end**, the
  promise a lure makes.
* A rate without a period is read only after a promise word (承诺收益率15%, 固定回报12%,
  预期收益率8%, 12%的高息, 收益率高达20%, 业绩比较基准3.2%, APR 23.99%, a rental yield
  租金回报率6%) and then as yearly; a
  rate quoted for a term product (一年期利息8%) or for a tier of holding periods (持有1-3个月
  6%，4-6个月8%) is yearly, as products quote them. A bare 收益率12% (as in news about a
  fund's past: 今年以来收益率高达20%) is not read, except in a sentence that warns
  (收益率超过6%就要打问号): there it is a yearly figure, flagged as negated.
* A bonus stacked on a rate (年化10%+2%) is added: the promise is 12 %. A bonus alone
  (可享额外年化1%收益, a coupon) is no return. A rate paid once a period is a rate per that
  period (每周分红一次，每次按本金的2%: 104 % a year).
* A total at maturity is over the term, even across a clause (半年期产品，到期收益5%; 投资期限
  180天，总收益率4.5%), and so is a gain (收益, not 收益率) in the clause right after a
  product's term (15天，收益1.2%; 7天体验标，收益0.2%); so is a percentage right after a term
  (一天一个点, 一年就是三十个点), except for a term product (五年期2.5%) and in a list of rates
  by term after a heading (定期存款利率表：三个月1.05%，半年1.25%), where each rate is yearly. A
  term of 一周 is 7 days (× 365 / 7); a rate per week (周息, 每周) is × 52.
* A list of thresholds continues the period of the return before it in the sentence:
  收益高于年化6%就要警惕，超过10%就要做好损失全部本金的准备 gives 6 % and 10 % a year; so does
  a clause that is only a bound (年利率3.5%的大额存单没有了，现在最高3.1%).
* 翻倍 is a multiple of the principal (2); with a term it is a gain of 100 % over that term
  and is annualised (三个月翻倍 = 400 % a year, simple); without a term it is not annualised.
* Amounts against a principal are turned into the same rates: 投资1万元每月返息300元 is 3 % a
  month; 本金10万元一年后连本带息共12万元 is 20 % over 12 months. A total returned
  (连本带息, 本息, 拿回, 还) counts above the principal; a gain (收益, 利息, 分红) counts whole;
  返还/回报/合计 count as a total when the amount exceeds the principal, and so does an amount
  said for one term (投一万一年拿一万二: 20 %). When interest is deducted up front
  (借5000元，实际到手3500元, 借5000实到3500 — 砍头息) the principal is the amount received,
  or the loan less what was deducted (借一万，先扣两千，一个月还一万: 300 %). The
  principal may come after the income (每月可领取利息800元，本金10万; 每月3000元的利息（借款
  本金15万元）; a rig's 日收益8.2USDT，成本2400USDT), the period before the principal
  (每月每万元300元), the payment per occasion after how often it comes (每季度分红一次，每次
  300元), and the term, principal and total in any order (本息合计10万8，
  本金10万，一年期; 三年期，本金10万元，到期返还13.6万元), also as the fields of an app's form
  (借款金额：5000元 … 借款期限：30天 … 到期应还：5500元). A later amount in the sentence shares
  the principal (投资1万元，每天收益50元，一年收益18250元). An amount may be said without a verb
  right after its principal (一万块一天十五), in chat shorthand (2w, 5k, 1万2 = 12,000), in
  coins (1000U, USDT), or in financial capitals (借款人民币贰拾万元整，月息肆仟元). An amount
  right after a word of income (每周回报900元) is not a principal.

Not returns: percentages without a return cue (增长12%, 占比30%, 首付30%, 手续费0.6%, 税率),
年化 followed by something else (年化波动率), dates and past periods (2023年收益率, 今日收益,
近一年收益率), phone numbers.

Every return found is kept, with two flags for the consumer: :attr:`PromisedReturn.kind`
(``interest`` in loan wording, ``return`` otherwise) and :attr:`PromisedReturn.negated`
(the phrase sits in a negation of a promise in its clause — 不承诺年化10%, 并非 — or in a
sentence that warns the reader — 谨防“年化30%”, 凡是承诺…的都是骗局, 切勿相信, 请立即报警 — or
states a legal cap — 超过24%的部分不受法律保护, 本院不予支持). A promise
*reported* as a lure (以年化20%的高额回报为诱饵) is not negated: it tells what was promised.

Speed: one cheap regular expression rejects texts that cannot hold a return (no rate sign,
no 分/厘 after a number, no 翻/倍, no amount in 元/万) before anything else; then each pattern
family runs only if its own cheap gate finds a cue in the text, and the busiest families are
led by a one-character-class lookahead (:data:`~smokewatch.text.return_patterns.FIRST_CHARS`)
so that ordinary prose full of 每天 or 年 is not tried against the whole pattern at every
position; within the ``rate`` pattern each part is led the same way, and sentence and clause
ends are found once per text. On mixed texts of 100 to 250 characters (5 % with a return)
this reads about 60,000 texts a second of CPU time on one core; on short texts that all hold
returns, about 30,000; on prose dense with numbers, amounts and dates, about 16,000.

Examples:
    >>> [(r.text, r.unit.value, r.annual_rate) for r in extract_returns("月息2分，年化高达24%")]
    [('月息2分', 'month', Decimal('24.0000')), ('年化高达24%', 'year', Decimal('24.0000'))]
    >>> extract_returns("投资1万元每月返息300元")[0].basis
    'per 10,000 yuan per month: 300/10000 × 12 (simple)'
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from smokewatch.text.return_patterns import fold_for_returns, grammar
from smokewatch.text.return_readers import (
    Candidate,
    read_candidates,
    read_continuations,
    read_thresholds,
)
from smokewatch.text.return_units import (
    ANNUAL_RATE_PLACES,
    Qualifier,
    ReturnUnit,
    amount_rate,
    annualise,
    round_annual,
)


class ReturnKind(StrEnum):
    """Whether a rate is a return on an investment or interest on a loan."""

    RETURN = "return"
    """A return promised to an investor or depositor (年化收益, 回报, 分红, 返利)."""
    INTEREST = "interest"
    """Interest in loan wording (月息/日息 without investment words, 借1万元每天利息30元)."""


@dataclass(frozen=True, slots=True)
class PromisedReturn:
    """A return stated in a text, with its evidence and its yearly rate.

    ``start`` and ``end`` are 0-based code-point offsets into the original text, end
    exclusive: ``text[start:end]`` is :attr:`text`. Rates are in percent (12 means 12 %).
    """

    text: str
    """The phrase as written, e.g. 年化收益率高达18.5%."""
    start: int
    end: int
    value: Decimal
    """The rate in percent per :attr:`unit` (2 for 月息2分, 0.3 for 日息千分之三, 0.05 for
    每万元每天收益5元); the gain in percent over the term for ``term`` (20 for 10万 → 12万);
    the multiple for ``multiple`` (2 for 翻倍). For a range, the high end."""
    unit: ReturnUnit
    basis: str
    """How the rate was read and annualised, in words (e.g. ``monthly × 12 (simple)``)."""
    annual_rate: Decimal | None
    """Percent per year, simple (4 decimals); the high end of a range; ``None`` for a multiple
    without a term."""
    low: Decimal | None = None
    """For a range: the low end, in percent per year; otherwise ``None``."""
    high: Decimal | None = None
    """For a range: the high end, in percent per year (equal to :attr:`annual_rate`)."""
    qualifier: Qualifier | None = None
    kind: ReturnKind = ReturnKind.RETURN
    negated: bool = False
    """True when the phrase sits in a negation or warning (不承诺年化10%, 谨防“年化30%”)."""
    term_months: Decimal | None = None
    """For ``term`` returns given in months, quarters or years: the term in months."""
    term_days: Decimal | None = None
    """For ``term`` returns given in days or weeks: the term in days."""


# ---------------------------------------------------------------- context: kind and negation

_SENTENCE_END = "。！？!?；;\n"
_CLAUSE_END = _SENTENCE_END + ",，:："
_LOAN = re.compile(
    r"借款|贷款|借钱|放款|下款|砍头息|还款|放贷|高利贷|利滚利|借贷|小贷|信用贷|额度|逾期|罚息"
    r"|(?<!出)借(?=\d|[一二两三四五六七八九十百千万给你])"
)
_INVEST = re.compile(
    r"投资|投了|理财|收益|回报|分红|入股|认购|出借|存入|存款|存钱|揽储|吸储|储户|集资|吸收|加盟"
    r"|基金|承诺"
)
_NEGATION = re.compile(
    r"(?:不|未|没有|并未|从未|绝不|决不|从不|不会|不得|严禁|禁止|不能|不可|不应|不要|勿|并不|拒绝)"
    r"(?:再|会|能|得|可|要|应|曾|对外|向[^,。]{0,8})?"
    r"(?:承诺|保证|许诺|宣传|宣称|担保|允诺)|并非|不是|并不是|不存在"
    r"|没有(?:任何|哪个|哪家|一家|一个)[^,，。；;]{0,10}?(?:能|可以|可能|敢)"
    r"(?:做到|达到|实现|保证|承诺)"
)
_WARNING = re.compile(
    r"谨防|警惕|提防|当心|小心|切勿|切莫|切忌|不要相信|别相信|不要轻信|勿轻信|勿相信|勿信|别信|莫信"
    r"|打问号|风险提示|谨慎对待|凡是|凡(?=承诺|宣称|许诺|以|号称)|所谓"
    r"|防范(?:非法集资|金融诈骗|诈骗)|请(?:立即|立刻|马上|及时)?报警|(?:立即|立刻|马上|及时)报警"
    r"|不受(?:法律)?保护|不予(?:支持|保护)"
    r"|(?:(?:都|就|多|均|肯定|必然|一定|往往|基本|大多|全|必|多半|可能)(?:是|为|属于?)"
    r"|纯属|实为|实则为?|实际上?是|(?<![联关体派])系)"
    r"(?:骗局|诈骗|陷阱|非法集资|庞氏|套路贷|高利贷|传销)"
    # 十有八九是骗局, 是典型的诈骗话术 (but not 不是骗局)
    r"|(?<![不非])是(?:典型的|一种|一个)?(?:骗局|诈骗|陷阱)"
)


_SENTENCE_STOP = re.compile("[" + re.escape(_SENTENCE_END) + "]")
_CLAUSE_STOP = re.compile("[" + re.escape(_CLAUSE_END) + "]")


@dataclass(frozen=True, slots=True)
class _Stops:
    """Where the sentences and clauses of a folded text end, found once per text."""

    sentence: list[int]
    clause: list[int]
    length: int
    warned: dict[int, bool] = field(default_factory=dict)
    """Whether the sentence starting at each offset warns (filled as sentences are read)."""

    @classmethod
    def of(cls, folded: str) -> _Stops:
        return cls(
            [m.start() for m in _SENTENCE_STOP.finditer(folded)],
            [m.start() for m in _CLAUSE_STOP.finditer(folded)],
            len(folded),
        )

    def sentence_of(self, start: int, end: int) -> tuple[int, int]:
        """The extent of the sentence holding ``folded[start:end]``."""
        return self._bounds(self.sentence, start, end)

    def clause_of(self, start: int, end: int) -> tuple[int, int]:
        """The extent of the clause holding ``folded[start:end]``."""
        return self._bounds(self.clause, start, end)

    def _bounds(self, stops: list[int], start: int, end: int) -> tuple[int, int]:
        before = bisect_left(stops, start)
        after = bisect_left(stops, end)
        left = stops[before - 1] + 1 if before else 0
        return left, stops[after] if after < len(stops) else self.length


def _kind(candidate: Candidate, sentence: str) -> ReturnKind:
    if candidate.strong:
        return ReturnKind(candidate.hint)
    if candidate.hint == "return":  # the sentence is read only when the cue leaves it open
        return ReturnKind.RETURN
    loan = _LOAN.search(sentence) is not None
    invest = _INVEST.search(sentence) is not None
    if candidate.hint == "interest":
        return ReturnKind.RETURN if invest and not loan else ReturnKind.INTEREST
    return ReturnKind.INTEREST if loan and not invest else ReturnKind.RETURN


def _negated(folded: str, stops: _Stops, candidate: Candidate) -> bool:
    left, right = stops.sentence_of(candidate.start, candidate.end)
    warned = stops.warned.get(left)
    if warned is None:  # one search per sentence, however many returns it holds
        warned = stops.warned[left] = _WARNING.search(folded, left, right) is not None
    if warned:
        return True
    clause_left, _ = stops.clause_of(candidate.start, candidate.end)
    return _NEGATION.search(folded, clause_left, candidate.end) is not None


def _resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: by family priority, then leftmost, then longest."""
    chosen: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.priority, c.start, c.start - c.end)):
        if all(candidate.end <= c.start or candidate.start >= c.end for c in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.start)


def _finish(text: str, folded: str, stops: _Stops, candidate: Candidate) -> PromisedReturn:
    left, right = stops.sentence_of(candidate.start, candidate.end)
    annual = round_annual(candidate.annual) if candidate.annual is not None else None
    low = round_annual(candidate.low) if candidate.low is not None else None
    return PromisedReturn(
        text=text[candidate.start : candidate.end],
        start=candidate.start,
        end=candidate.end,
        value=candidate.value,
        unit=candidate.unit,
        basis=candidate.basis,
        annual_rate=annual,
        low=low,
        high=annual if low is not None else None,
        qualifier=candidate.qualifier,
        kind=_kind(candidate, folded[left:right]),
        negated=_negated(folded, stops, candidate),
        term_months=candidate.term_months,
        term_days=candidate.term_days,
    )


def might_hold_returns(text: str | None) -> bool:
    """The cheap precheck: ``False`` means :func:`extract_returns` finds nothing.

    A text may hold a return only if it has a rate sign (%, ％, ‰, 个点, 分之), 分 or 厘 after
    a number, 翻 or 倍, or an amount in 元; one regular expression tests all of them.

    Examples:
        >>> might_hold_returns("公司召开年度股东大会"), might_hold_returns("年化12%")
        (False, True)
    """
    return bool(text) and grammar().precheck.search(text or "") is not None


def extract_returns(text: str | None) -> list[PromisedReturn]:
    """Every return stated in ``text``, left to right, as yearly rates with evidence spans.

    ``None`` and texts without a candidate give an empty list (cheaply: see
    :func:`might_hold_returns`). Spans never overlap; where two readings of the same words
    compete, an explicit rate (年化12%) wins over a term or a multiple, which win over a
    reading of amounts. See the module docstring for how each form is read.

    Examples:
        >>> [r.annual_rate for r in extract_returns("预期年化收益率8%-12%")]
        [Decimal('12.0000')]
        >>> r = extract_returns("每万元每天收益5元")[0]
        >>> r.value, r.unit.value, r.annual_rate
        (Decimal('0.05'), 'day', Decimal('18.2500'))
        >>> extract_returns("谨防“年化30%”的高息诱惑")[0].negated
        True
    """
    if not text or grammar().precheck.search(text) is None:
        return []
    folded = fold_for_returns(text)
    candidates = read_candidates(folded)
    if not candidates:
        return []
    stops = _Stops.of(folded)
    chosen = [c for c in _resolve(candidates) if not c.warned_only or _negated(folded, stops, c)]
    thresholds = read_thresholds(folded, chosen)
    if thresholds:
        chosen = sorted(chosen + thresholds, key=lambda c: c.start)
    continued = read_continuations(folded, chosen)
    if continued:
        chosen = sorted(chosen + continued, key=lambda c: c.start)
    return [_finish(text, folded, stops, c) for c in chosen]


__all__ = [
    "ANNUAL_RATE_PLACES",
    "PromisedReturn",
    "Qualifier",
    "ReturnKind",
    "ReturnUnit",
    "amount_rate",
    "annualise",
    "extract_returns",
    "might_hold_returns",
    "round_annual",
]
