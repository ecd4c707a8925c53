"""Reading amounts of money against a principal into candidates.

The families of :mod:`smokewatch.text.return_amount_patterns`, each read by its function of
:data:`READERS`: an amount per period on a principal (投资1万元每月返息300元: 3 % a month), a
total or a gain after a term (本金10万元一年后连本带息共12万元: 20 % over 12 months), in any
order of term, principal and total, and the fields of an app's form. A total returned
(连本带息, 本息, 拿回, 还) counts above the principal; a gain (收益, 利息, 分红) counts whole;
when interest is deducted up front (砍头息) the principal is the amount received. Readers drop
what is not a sum of money (2023年…) and an income mistaken for a principal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from decimal import Decimal
from types import MappingProxyType

from smokewatch.text.return_candidates import (
    GAIN_VERBS,
    MONEY_UNIT,
    PERIOD_OF,
    Candidate,
    Term,
    income_on_principal,
    parse_amounts,
    qualifier_of,
    read_term,
    text_before,
    tidy,
    total_over_term,
)
from smokewatch.text.return_patterns import grammar

_LOAN_CUES = frozenset({"借给", "借款", "借", "贷款", "下款", "额度"})
_INVEST_CUES = frozenset(
    {"投资", "投入", "存入", "存款", "存", "出借", "认购", "购买", "买入", "买", "入股", "加盟",
     "入金", "入单"}
)  # fmt: skip
_ONE_TERM = frozenset({"一个月", "一天", "一周", "一年"})
"""Periods said as one term (投一万一年拿一万二): an amount above the principal is a total."""
_ONE_TERM_OF = {
    "一个月": Term(Decimal(1), None), "一年": Term(Decimal(12), None),
    "一天": Term(None, Decimal(1)), "一周": Term(None, Decimal(7)),
}  # fmt: skip


def _amount_hint(cue: str | None, verb: str) -> tuple[str, bool]:
    """(hint, strong): a loan or investment cue before the principal decides the kind."""
    if cue in _LOAN_CUES:
        return "interest", True
    if cue in _INVEST_CUES:
        return "return", True
    if any(w in verb for w in ("利息", "付息", "派息")) or verb.startswith("还"):
        return "interest", False
    return "return", False


_VERBLESS_PERIODS = frozenset(
    {"一天", "一个月", "一年", "一周", "每天", "每日", "每月", "每个月", "每年", "每周"}
)
_CLAUSE_OR_END = re.compile(r"[\s,，。！？!?；;:：)）]|$")
_BETWEEN = re.compile(r"\s*[,，]?\s*")
_ENDS_IN_UNIT = re.compile(r"[元块钱万千亿仟整wWkKUuT]\s*$")


def _verbless(folded: str, m: re.Match[str], principal: Decimal, income: Decimal) -> bool:
    """一万块一天十五: an amount per period said without a verb, taken only in plain form.

    The period is one of :data:`_VERBLESS_PERIODS` and follows the principal directly, the
    principal ends in a unit of money (元, 块, 万: the gate of the family looks for it right
    before the period), the income is below it and ends its clause (一万块一天十五，… — not
    3000元一个月30天).
    """
    return (
        m.group("per") in _VERBLESS_PERIODS
        and _ENDS_IN_UNIT.search(m.group("principal")) is not None
        and _BETWEEN.fullmatch(folded, m.end("principal"), m.start("per")) is not None
        and income < principal
        and _CLAUSE_OR_END.match(folded, m.end("income")) is not None
    )


def _from_per_period(folded: str) -> Iterator[Candidate]:
    yield from _per_period_candidates(folded, "per_period")


def _from_per_first(folded: str) -> Iterator[Candidate]:
    yield from _per_period_candidates(folded, "per_first")


_INCOME_BEFORE = re.compile(
    r"(?:收益|回报|收入|利息|分红|返利|返息|返还|返|赚了?|领|拿|得|到账|付息|派息|给你?)$"
)
"""An amount right after these words is an income, not a principal: in 每周回报900元，一个月就有
3600元的收入 the 900元 is paid, not invested."""


_LONE_MULTIPLIER = re.compile(r"[十百千万亿仟]")
"""万 without a number or a currency: no principal (万一年收益… is 万一, "in case")."""


def _per_period_candidates(folded: str, family: str) -> Iterator[Candidate]:
    for m in grammar().families[family].finditer(folded):
        groups = m.groupdict()
        verb, cue = m.group("verb") or "", groups.get("pc")
        if not cue and _INCOME_BEFORE.search(text_before(folded, m.start("principal"), 4)):
            continue
        if family == "per_period" and cue != "每" and _LONE_MULTIPLIER.fullmatch(m["principal"]):
            continue
        if family == "per_first" and not verb and not m.group("noun"):
            if not MONEY_UNIT.search(m.group("income")):
                continue  # 每月每万元300: the yield needs 元 or a verb
        elif not verb and not m.group("noun"):
            amounts = parse_amounts(m.group("principal"), m.group("income"))
            if amounts is None or not _verbless(folded, m, amounts[0], amounts[1]):
                continue
        if cue not in _LOAN_CUES | _INVEST_CUES and not MONEY_UNIT.search(m.group("principal")):
            continue  # 每一年… or 2023年…: not a sum of money
        amounts = parse_amounts(m.group("principal"), m.group("income"))
        if amounts is None or amounts[0] <= 0 or amounts[1] <= 0:
            continue
        principal, income = (tidy(a) for a in amounts)
        per = m.group("per")
        total = (
            per in _ONE_TERM and income > principal and not m.group("noun")
            and not any(w in verb for w in GAIN_VERBS)
        )  # fmt: skip
        start = m.start("pc") if cue else min(m.start("principal"), m.start("per"))
        if total:  # 投一万一年拿一万二: 12,000 back on 10,000 is a gain of 2,000
            found = total_over_term(
                start, m.end("income"),
                principal=principal, amount=income, term=_ONE_TERM_OF[per], verb="本息",
                hint=_amount_hint(cue, verb),
            )  # fmt: skip
            if found is not None:
                yield found
            continue
        yield income_on_principal(
            start, m.end("noun") if m.group("noun") else m.end("income"),
            principal=principal, income=income, period=PERIOD_OF[per],
            hint=_amount_hint(cue, verb + (m.group("noun") or "")), qualifier=qualifier_of(verb),
            once=_ONE_TERM_OF.get(per),
        )  # fmt: skip


def _from_per_occasion(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["per_occasion"].finditer(folded):
        if not m.group("pc") and not MONEY_UNIT.search(m.group("principal")):
            continue
        amounts = parse_amounts(m.group("principal"), m.group("income"))
        if amounts is None or not 0 < amounts[1] < amounts[0]:
            continue
        yield income_on_principal(
            m.start("pc") if m.group("pc") else m.start("principal"), m.end("income"),
            principal=tidy(amounts[0]), income=tidy(amounts[1]), period=PERIOD_OF[m.group("per")],
            hint=_amount_hint(m.group("pc"), m.group("verb")), where=" (paid once a period)",
        )  # fmt: skip


def _from_term_total(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["term_total"].finditer(folded):
        term = read_term(m.group("tn"), m.group("tu"))
        placed = m.group("placed")
        if placed is not None and not MONEY_UNIT.search(placed):
            continue  # 五万块放半年 is money; 三放一年 is not
        # 借5000元，实际到手3500元: interest deducted up front (砍头息); the principal is what
        # was received (最高人民法院民间借贷规定第二十六条: 预先在本金中扣除利息的…实际出借的金额).
        # 借一万，先扣两千: without the amount received, it is the loan less the deduction.
        lent = m.group("net") or m.group("principal") or placed
        amounts = parse_amounts(lent, m.group("amount"), m.group("cut") or "0")
        if term is None or amounts is None:
            continue
        principal = amounts[0] if m.group("net") else amounts[0] - amounts[2]
        found = total_over_term(
            m.start(), m.end("amount"), principal=principal, amount=amounts[1], term=term,
            verb=m.group("verb"), net=m.group("net") is not None or m.group("cut") is not None,
            hint=_amount_hint(m.group("pc") or m.group("pv"), m.group("verb")),
        )  # fmt: skip
        if found is not None:
            yield found


def _from_total_then_principal(folded: str) -> Iterator[Candidate]:
    yield from _totals_and_principals(folded, "total_then_principal")


def _from_total_principal_term(folded: str) -> Iterator[Candidate]:
    yield from _totals_and_principals(folded, "total_principal_term")


def _totals_and_principals(folded: str, family: str) -> Iterator[Candidate]:
    for m in grammar().families[family].finditer(folded):
        term = read_term(m.group("tn"), m.group("tu"))
        amounts = parse_amounts(m.group("principal"), m.group("amount"))
        if term is None or amounts is None:
            continue
        found = total_over_term(
            m.start(), m.end(), principal=amounts[0], amount=amounts[1], term=term, verb="本息",
            hint=("return", False),
        )  # fmt: skip
        if found is not None:
            yield found


def _from_term_principal_total(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["term_principal_total"].finditer(folded):
        term = read_term(m.group("tn"), m.group("tu"))
        amounts = parse_amounts(m.group("principal"), m.group("amount"))
        if term is None or amounts is None:
            continue
        if not m.group("pc") and not MONEY_UNIT.search(m.group("principal")):
            continue
        found = total_over_term(
            m.start(), m.end(), principal=amounts[0], amount=amounts[1], term=term,
            verb=m.group("verb"), hint=_amount_hint(m.group("pc"), m.group("verb")),
        )  # fmt: skip
        if found is not None:
            yield found


_FORM_GAINS = frozenset({"到期收益", "预期收益", "预计收益", "应付利息", "利息"})


def _from_form(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["form"].finditer(folded):
        term = read_term(m.group("tn"), m.group("tu")) or read_term(m.group("sn"), m.group("su"))
        lent = m.group("net") or m.group("principal")
        amounts = parse_amounts(lent, m.group("amount"))
        if term is None or amounts is None:
            continue
        loan = "借" in m.group("plabel") or "贷" in m.group("plabel")
        found = total_over_term(
            m.start(), m.end(), principal=amounts[0], amount=amounts[1], term=term,
            verb="收益" if m.group("verb") in _FORM_GAINS else "本息",
            hint=("interest", True) if loan else ("return", False), net=m.group("net") is not None,
        )  # fmt: skip
        if found is not None:
            yield found


_TERM_NEAR = re.compile(
    r"(?<![\d.])(?P<tn>\d{1,3}|[一二两三四五六七八九十]{1,3}|半)\s*(?P<tu>个月|个星期|星期|周|天|年|个季度)"
    r"(?![\d])"
)
_NET_IN = re.compile(
    r"(?:(?:实际)?(?:到手|到账)|实到|实得|实拿)[:：]?\s*(?P<net>[\d一二两三四五六七八九十百千万]+[^，,。\s]{0,3})"
)
_SENTENCE = re.compile(r"[。！？!?；;\n]")
_NEAR = 20
"""How far before or after a match a term may stand in its sentence (借款14天，借1500…)."""


def _term_near(folded: str, m: re.Match[str]) -> Term | None:
    """The term in the middle of a match, else the closest before it, else the first after it."""
    for found in _TERM_NEAR.finditer(folded, m.start("mid"), m.end("mid")):
        return read_term(found.group("tn"), found.group("tu"))
    left = max(0, m.start() - _NEAR)
    stops = [s.end() for s in _SENTENCE.finditer(folded, left, m.start())]
    before = list(_TERM_NEAR.finditer(folded, stops[-1] if stops else left, m.start()))
    if before:
        return read_term(before[-1].group("tn"), before[-1].group("tu"))
    stop = _SENTENCE.search(folded, m.end(), m.end() + _NEAR)
    after = _TERM_NEAR.search(folded, m.end(), stop.start() if stop else m.end() + _NEAR)
    return read_term(after.group("tn"), after.group("tu")) if after else None


_LOOSE_PRIORITY = 3
"""A total found with its term anywhere in the sentence yields to every stricter reading."""


def _from_total_in_sentence(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["total_in_sentence"].finditer(folded):
        principal = m.group("principal") or m.group("before")
        if principal is None or (m.group("principal") and m.group("before")):
            continue
        if m.group("before") and not m.group("pc").startswith("借"):
            continue
        net = _NET_IN.search(m.group("mid"))
        lent = net.group("net") if net else principal
        amounts = parse_amounts(lent, m.group("amount"))
        if amounts is None or not (MONEY_UNIT.search(principal) or m.group("pc") in _LOAN_CUES):
            continue
        term = _term_near(folded, m)
        if term is None:
            continue
        found = total_over_term(
            m.start(), m.end(), principal=amounts[0], amount=amounts[1], term=term, verb="本息",
            hint=_amount_hint(m.group("pc"), m.group("verb")), net=net is not None,
        )  # fmt: skip
        if found is not None:
            yield replace(found, priority=_LOOSE_PRIORITY)


def _from_principal_then_income(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["principal_then_income"].finditer(folded):
        amounts = parse_amounts(m.group("principal"), m.group("income"))
        if amounts is None or amounts[0] <= 0 or amounts[1] <= 0:
            continue
        principal, income = (tidy(a) for a in amounts)
        if income >= principal or not MONEY_UNIT.search(m.group("income")):
            continue
        yield income_on_principal(
            m.start(), m.end("income"), principal=principal, income=income,
            period=PERIOD_OF[m.group("per") or m.group("per2")], where=" (stated before)",
            hint=_amount_hint(m.group("pc"), m.group("verb") or "利息"),
        )  # fmt: skip


def _from_income_then_principal(folded: str) -> Iterator[Candidate]:
    for m in grammar().families["income_then_principal"].finditer(folded):
        verb = m.group("verb") or ""
        if not verb and not m.group("noun") and not m.group("inoun"):
            continue
        if m.group("pc") and not MONEY_UNIT.search(m.group("principal")):
            continue  # 每天利息100，借1万: the principal after 借 is a sum of money
        amounts = parse_amounts(m.group("principal"), m.group("income"))
        if amounts is None or amounts[0] <= 0 or amounts[1] <= 0:
            continue
        principal, income = (tidy(a) for a in amounts)
        if income >= principal:
            continue  # 每月返还1万元，本金1万元: not a rate on that principal
        words = (m.group("inoun") or "") + verb + (m.group("noun") or "")
        yield income_on_principal(
            m.start(), m.end(), principal=principal, income=income,
            period=PERIOD_OF[m.group("per")], where=" (stated after)",
            hint=_amount_hint(m.group("pc"), words), qualifier=qualifier_of(verb), shared=False,
        )  # fmt: skip


READERS: Mapping[str, Callable[[str], Iterator[Candidate]]] = MappingProxyType(
    {
        "per_period": _from_per_period,
        "per_first": _from_per_first,
        "per_occasion": _from_per_occasion,
        "term_total": _from_term_total,
        "total_then_principal": _from_total_then_principal,
        "total_principal_term": _from_total_principal_term,
        "term_principal_total": _from_term_principal_total,
        "form": _from_form,
        "income_then_principal": _from_income_then_principal,
        "principal_then_income": _from_principal_then_income,
        "total_in_sentence": _from_total_in_sentence,
    }
)
"""The reader of each family of this module, by name."""

__all__ = ["READERS"]
