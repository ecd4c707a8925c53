"""Loan books of planted microcredit companies: contracts and their cash flows.

Every loan is 先息后本 over twelve months — disbursed on its contract date, interest each month,
principal at maturity — and settled before the as-of date, so its flows determine one cost. A
compliant loan states a yearly rate well under the cap in force on its contract date and
charges nothing else; a loan over the cap keeps part of the principal back at disbursement
(砍头息) or charges a monthly service fee on top, which pushes its true cost (the internal rate
of return of the flows) far above the cap. The margins are wide on purpose: a loan is over or
under the cap by several percentage points, never near it, so the expectation does not depend
on how the cost is rounded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from smokewatch.demo.planting import PlantContext
from smokewatch.text.rates import deviation, load_benchmarks

TERM_MONTHS = 12
COMPLIANT_SHARE = Decimal("0.6")
"""A compliant loan's stated rate, as a share of the cap."""
STATED_SHARE = Decimal("0.8")
"""An over-cap loan's stated rate, as a share of the cap (the contract looks compliant)."""
UPFRONT_SHARE = Decimal("0.10")
"""砍头息: the share of the principal kept back at disbursement."""
MONTHLY_FEE_SHARE = Decimal("0.01")
"""A monthly service fee, as a share of the principal (12 % a year on top of the interest)."""

_CENT = Decimal("0.01")


def legal_cap(day: date) -> Decimal:
    """The judicial protection ceiling (percent a year) for a contract made on ``day``."""
    return deviation(Decimal(1), day, load_benchmarks()).legal_ceiling


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the 28th when the month is shorter).

    Examples:
        >>> add_months(date(2025, 1, 31), 1)
        datetime.date(2025, 2, 28)
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    try:
        return date(year, month, day.day)
    except ValueError:
        return date(year, month, 28)


@dataclass(frozen=True, slots=True)
class Book:
    """What to put in a lender's book: how many loans, and how many of them over the cap."""

    loans: int
    upfront: int = 0
    """Loans with 砍头息 (over the cap)."""
    fees: int = 0
    """Loans with a monthly service fee (over the cap)."""

    @property
    def over_cap(self) -> int:
        """Loans over the cap."""
        return self.upfront + self.fees


def _money(value: Decimal) -> str:
    return str(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def write_book(ctx: PlantContext, lender_uscc: str, lender_name: str, book: Book) -> int:
    """Add the loans and flows of one lender; returns the number of loans written.

    Contracts are made 400–520 days before the as-of date, so every loan has matured (and is
    settled) by then. The over-cap loans are spread through the book.
    """
    tag = lender_uscc[-6:]
    drawn = ctx.rng.choice(book.loans, size=book.over_cap, replace=False).tolist()
    over = {int(i) for i in drawn}
    upfront = set(sorted(over)[: book.upfront])
    for i in range(book.loans):
        contract = f"XD{tag}-{i + 1:04d}"
        day = ctx.days_ago(int(ctx.rng.integers(400, 521)))
        principal = Decimal(int(ctx.rng.integers(30, 501)) * 1000)
        cap = legal_cap(day)
        share = STATED_SHARE if i in over else COMPLIANT_SHARE
        rate = (cap * share).quantize(Decimal("0.1"))
        maturity = add_months(day, TERM_MONTHS)
        digest = hashlib.sha256(f"{ctx.seed}:{contract}".encode()).hexdigest()
        ctx.add_row(
            "loan",
            {
                "放贷机构信用代码": lender_uscc,
                "放贷机构": lender_name,
                "合同编号": contract,
                "借款人标识": digest,
                "借款人": ctx.person_name(),
                "合同金额": _money(principal),
                "合同日期": day.isoformat(),
                "到期日": maturity.isoformat(),
                "合同年利率": str(rate),
                "担保方式": "信用" if ctx.rng.random() < 0.6 else "保证",
                "贷款状态": "已结清",
            },
        )
        interest = principal * rate / Decimal(100) / Decimal(12)
        flows: list[tuple[date, str, Decimal, str | None]] = [(day, "放款", principal, None)]
        if i in upfront:
            flows.append((day, "砍头息", principal * UPFRONT_SHARE, None))
        for month in range(1, TERM_MONTHS + 1):
            paid = add_months(day, month)
            flows.append((paid, "利息", interest, None))
            if i in over and i not in upfront:
                flows.append((paid, "服务费", principal * MONTHLY_FEE_SHARE, "芜湖某咨询服务部"))
        flows.append((maturity, "本金", principal, None))
        for n, (when, kind, amount, payee) in enumerate(flows, start=1):
            ctx.add_row(
                "loan_flow",
                {
                    "放贷机构信用代码": lender_uscc,
                    "合同编号": contract,
                    "流水号": f"{contract}-{n:02d}",
                    "发生日期": when.isoformat(),
                    "类型": kind,
                    "金额": _money(amount),
                    "收款方": payee,
                },
            )
    return book.loans


__all__ = ["Book", "add_months", "legal_cap", "write_book"]
