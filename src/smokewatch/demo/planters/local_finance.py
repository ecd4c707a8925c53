"""Licensed local financial organisations: the register, monthly reports, loan books, complaints.

Each case is an organisation in the register (``local_org``) with twelve monthly reports
(``org_report``) ending with the month before the as-of date; lenders with a book also have
loans and cash flows (:mod:`~smokewatch.demo.planters.loan_books`), and complaints of violent
collection are documents (kind complaint) naming the lender by USCC. The rules SW-R-0401…0409
judge the latest report and the whole book; each case states the bands its figures are designed
for and the grade of the rating SW-S-0003 they add up to (the points are the card's: red ≥ 60,
orange ≥ 40, yellow ≥ 20, blue ≥ 8; a red-line breach floors the grade at orange). Controls are
compliant lenders whose books stay within the cap, a guarantor within its leverage, a pawnshop,
a microcredit company that wound down and cleared, and the online-lending institutions in
exit, which report what they still owe lenders and nothing the ratios read.

Two cases report losses, written with a minus sign in the report file (net assets and net
profit are signed columns of ``org_report``; every other amount stays non-negative): one deep
loss, and one organisation whose net assets have turned negative (SW-R-0406 ``negative``).

The months before the latest follow one trend — growth, then three months of decline — and one
microcredit company winds its book down, so ``smokewatch sector stats --sector microcredit``
shows months where institutions, balance and participants fall together (三降).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from smokewatch.demo.grades import GradeExpectation
from smokewatch.demo.planters.loan_books import Book, write_book
from smokewatch.demo.planting import DocumentFacts, Expectation, PlantContext, PlantedCase
from smokewatch.demo.records import DocumentRecord

LOCAL_ORG_TABLE = "local_org"
RATING_SCORECARD = "SW-S-0003"
LOCAL_RULE_IDS: tuple[str, ...] = tuple(f"SW-R-04{n:02d}" for n in range(1, 10))
"""The rules over licensed organisations, in the order expectations list them."""
MONTHS = 12
TREND: tuple[float, ...] = (0.86, 0.88, 0.9, 0.92, 0.94, 0.96, 0.99, 1.02, 1.04, 1.03, 1.015, 1.0)
"""Each organisation's business in the twelve months (the latest is 1.0): growth, then decline."""
WIND_DOWN: tuple[float, ...] = (1.0, 0.9, 0.8, 0.7, 0.55, 0.4, 0.25, 0.15, 0.05, 0.0, 0.0, 0.0)
"""The book of the microcredit company that wound down: it stops in the first month of the
sector's decline, so that month institutions, balance and participants fall together."""

_KINDS = {
    "microcredit": ("小额贷款公司", "小额贷款", "有限公司", "皖地金小贷〔20##〕##号"),
    "financing_guarantee": ("融资担保公司", "融资担保", "有限公司", "皖0200###"),
    "pawnshop": ("典当行", "典当", "有限责任公司", "34########"),
    "online_lending_exit": ("网贷机构", "金融信息服务", "有限公司", None),
}
"""Kind → (机构类型 as the register writes it, word of the name, suffix, licence number style)."""
_STATUS = {"operating": "正常经营", "exiting": "退出中", "exited": "已退出"}
_COMPLAINTS = (
    "我在{name}借了{amount}元，晚还了几天，对方催收人员天天打电话威胁恐吓，还爆通讯录骚扰我的家人和同事。",
    "{name}的催收人员上门滋扰，堵在我单位门口辱骂，影响很坏，请监管部门管一管。",
    "逾期后{name}把我的照片P图发到亲友群里侮辱我，还打电话骚扰我的联系人，属于软暴力催收。",
)


@dataclass(frozen=True, slots=True)
class Figures:
    """The latest monthly report, in 万元 (people as counts); ``None`` leaves a cell empty."""

    balance: float
    net_assets: float | None
    overdue: float | None = None
    borrowings: float | None = 0.0
    cash: float | None = None
    profit: float | None = None
    borrowers: int | None = None
    lenders: int | None = 0
    largest: float | None = None
    guarantees: float | None = None
    repaid: float | None = None
    lenders_repaid: int | None = None


@dataclass(frozen=True, slots=True)
class LocalCase:
    """One planted organisation: its figures, book, complaints and what the rules should say."""

    pattern: str
    kind: str
    figures: Figures
    bands: dict[str, str] = field(default_factory=dict)
    """Rule → band expected (every other rule of :data:`LOCAL_RULE_IDS` stays quiet)."""
    grade: str | None = None
    book: Book | None = None
    complaints: int = 0
    status: str = "operating"
    trend: tuple[float, ...] = TREND
    note: str = ""


def _healthy(**changes: object) -> Figures:
    """A sound microcredit company (ratios well inside every threshold), with ``changes``."""
    base = {
        "balance": 20_000.0,
        "net_assets": 12_000.0,
        "overdue": 400.0,
        "borrowings": 6_000.0,
        "cash": 2_000.0,
        "profit": 150.0,
        "borrowers": 1_500,
        "lenders": 0,
        "largest": 900.0,
    }
    return Figures(**{**base, **changes})  # type: ignore[arg-type]


LOCAL_CASES: Sequence[LocalCase] = (
    LocalCase(
        "local.red_lines.red",
        "microcredit",
        _healthy(overdue=7_000.0, profit=20.0),
        {"SW-R-0401": "systematic", "SW-R-0405": "repeated", "SW-R-0407": "severe"},
        "red",
        Book(30, upfront=9, fees=3),
        complaints=3,
        note="12 of 30 loans over the cap (砍头息, fees), three violent-collection complaints, "
        "35 % overdue",
    ),
    LocalCase(
        "local.over_cap.isolated",
        "microcredit",
        _healthy(),
        {"SW-R-0401": "isolated"},
        "orange",
        Book(25, fees=1),
        note="one loan of 25 over the cap (a monthly service fee): a red line, floored at orange",
    ),
    LocalCase(
        "local.guarantee.leverage",
        "financing_guarantee",
        Figures(
            balance=60_000.0,
            net_assets=5_000.0,
            overdue=300.0,
            cash=1_500.0,
            profit=80.0,
            borrowers=800,
            largest=300.0,
            guarantees=60_000.0,
        ),
        {"SW-R-0402": "leverage", "SW-R-0406": "thin"},
        "yellow",
        note="guarantees 12 × net assets (above 10 ×), so net assets are 8 % of the balance",
    ),
    LocalCase(
        "local.microcredit.borrowing",
        "microcredit",
        _healthy(balance=22_000.0, net_assets=10_000.0, borrowings=13_000.0, cash=3_000.0),
        {"SW-R-0403": "borrowing"},
        "blue",
        note="funds borrowed 1.3 × net assets (above 1 ×)",
    ),
    LocalCase(
        "local.public_funds",
        "microcredit",
        _healthy(lenders=186),
        {"SW-R-0404": "criminal_threshold"},
        "orange",
        note="186 lenders in its report (≥ 150: the criminal threshold), floored at orange",
    ),
    LocalCase(
        "local.collection.reported",
        "microcredit",
        _healthy(),
        {"SW-R-0405": "reported"},
        "blue",
        complaints=1,
        note="one complaint of violent collection",
    ),
    LocalCase(
        "local.weak_ratios",
        "microcredit",
        _healthy(
            net_assets=4_000.0,
            overdue=2_400.0,
            borrowings=3_000.0,
            cash=300.0,
            profit=10.0,
            largest=300.0,
        ),
        {"SW-R-0406": "low", "SW-R-0407": "poor", "SW-R-0409": "tight"},
        "yellow",
        note="net assets 20 % of the balance, 12 % overdue, cash 10 % of borrowings",
    ),
    LocalCase(
        "local.earnings.deep_loss",
        "microcredit",
        _healthy(profit=-1_800.0),
        {"SW-R-0408": "deep_loss"},
        "blue",
        note="a loss of 15 % of net assets in the latest month (a minus sign in the report file)",
    ),
    LocalCase(
        "local.capital.insolvent",
        "microcredit",
        _healthy(net_assets=-800.0, profit=-2_500.0, borrowings=0.0),
        {"SW-R-0406": "negative", "SW-R-0408": "no_equity"},
        "yellow",
        note="losses have made net assets negative (-800万), no borrowing",
    ),
    LocalCase(
        "local.control.book",
        "microcredit",
        _healthy(),
        book=Book(20),
        note="control: sound ratios and a book of 20 loans within the cap",
    ),
    LocalCase(
        "local.control.book",
        "microcredit",
        _healthy(balance=15_000.0, net_assets=9_000.0, borrowings=0.0, cash=800.0, largest=600.0),
        book=Book(20),
        note="control: no borrowing, a book of 20 loans within the cap",
    ),
    LocalCase(
        "local.control.guarantee",
        "financing_guarantee",
        Figures(
            balance=15_000.0,
            net_assets=5_000.0,
            overdue=100.0,
            cash=2_000.0,
            profit=60.0,
            borrowers=400,
            largest=300.0,
            guarantees=15_000.0,
        ),
        note="control: guarantees 3 × net assets",
    ),
    LocalCase(
        "local.control.pawnshop",
        "pawnshop",
        Figures(
            balance=3_000.0,
            net_assets=2_500.0,
            overdue=60.0,
            cash=400.0,
            profit=20.0,
            borrowers=300,
            largest=100.0,
        ),
        note="control: a pawnshop with sound figures",
    ),
    LocalCase(
        "local.control.wound_down",
        "microcredit",
        _healthy(borrowings=0.0, profit=0.0, borrowers=900, overdue=0.0, largest=0.0),
        status="exited",
        trend=WIND_DOWN,
        note="control: wound its book down to nothing and exited (cleared)",
    ),
    LocalCase(
        "local.exit.exiting",
        "online_lending_exit",
        Figures(
            balance=18_000.0,
            net_assets=None,
            borrowings=None,
            lenders=2_600,
            repaid=42_000.0,
            lenders_repaid=9_400,
        ),
        status="exiting",
        trend=(2.4, 2.2, 2.0, 1.85, 1.7, 1.6, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0),
        note="control for the ratings: an online-lending institution repaying its lenders",
    ),
    LocalCase(
        "local.exit.not_cleared",
        "online_lending_exit",
        Figures(
            balance=4_000.0,
            net_assets=None,
            borrowings=None,
            lenders=320,
            repaid=26_000.0,
            lenders_repaid=5_100,
        ),
        status="exited",
        trend=(1.8, 1.7, 1.6, 1.5, 1.4, 1.3, 1.25, 1.2, 1.1, 1.05, 1.0, 1.0),
        note="registered as exited while lenders are still owed (已退出未清零)",
    ),
)
"""The planted organisations, in planting order."""


def month_ends(as_of: date, months: int = MONTHS) -> tuple[date, ...]:
    """The last days of the ``months`` complete months before ``as_of``, oldest first.

    Examples:
        >>> [d.isoformat() for d in month_ends(date(2026, 11, 1), 2)]
        ['2026-09-30', '2026-10-31']
    """
    ends = []
    end = as_of.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        ends.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    return tuple(reversed(ends))


def _yuan(wan: float | None, factor: float = 1.0) -> str | None:
    if wan is None:
        return None
    return f"{Decimal(str(round(wan * factor * 10_000, 2))):.2f}"


def _count(value: int | None, factor: float = 1.0) -> str | None:
    return None if value is None else str(round(value * factor))


def _report(name: str, uscc: str, end: date, f: Figures, factor: float) -> dict[str, str | None]:
    """One monthly report: the business scales with ``factor``; capital and cash stay.

    An institution in exit repays as its balance falls (what it repaid plus what it owes, and
    lenders repaid plus lenders left, stay constant).
    """
    exit_kind = f.repaid is not None
    repaid = None if f.repaid is None else f.repaid - (factor - 1) * f.balance
    lenders_repaid = None
    if f.lenders_repaid is not None:
        lenders_repaid = round(f.lenders_repaid - (factor - 1) * (f.lenders or 0))
    return {
        "机构名称": name,
        "机构信用代码": uscc,
        "报告期末": end.isoformat(),
        "业务余额（元）": _yuan(f.balance, factor),
        "逾期余额（元）": _yuan(f.overdue, factor),
        "本期发生额（元）": None if exit_kind else _yuan(f.balance * 0.12, factor),
        "借款人数": _count(f.borrowers, factor),
        "出借人数": _count(f.lenders, factor if exit_kind else 1.0),
        "最大单户余额（元）": _yuan(f.largest),
        "净资产（元）": _yuan(f.net_assets),
        "融入资金余额（元）": _yuan(f.borrowings, factor),
        "在保余额（元）": _yuan(f.guarantees, factor),
        "拨备余额（元）": _yuan(f.overdue, 0.5 * factor),
        "营业收入（元）": None if exit_kind else _yuan(f.balance * 0.012, factor),
        "净利润（元）": _yuan(f.profit),
        "货币资金（元）": _yuan(f.cash),
        "累计兑付金额（元）": _yuan(repaid),
        "已兑付出借人数": _count(lenders_repaid),
    }


def _expectations(case: LocalCase) -> tuple[Expectation, ...]:
    return tuple(
        Expectation(rule, rule in case.bands, case.bands.get(rule)) for rule in LOCAL_RULE_IDS
    )


def _complaint(ctx: PlantContext, name: str, uscc: str, index: int, days: int) -> None:
    text = _COMPLAINTS[index % len(_COMPLAINTS)].format(
        name=name, amount=int(ctx.rng.integers(2, 9)) * 10_000
    )
    record = DocumentRecord(
        reference=ctx.reference("TS"),
        kind="complaint",
        wording="投诉",
        text=text,
        published_on=ctx.days_ago(days),
        title=f"关于{name}暴力催收的投诉",
        outlet="12345政务服务便民热线",
        subject_name=name,
        subject_uscc=uscc,
        adcode="340200",
    )
    ctx.plant_document(
        "local.collection.complaint",
        record,
        DocumentFacts(),
        "a complaint of violent collection naming a licensed lender (SW-R-0405; no text rule)",
    )


def plant_local_finance(ctx: PlantContext) -> None:
    """Plant :data:`LOCAL_CASES`: register rows, reports, books and complaints."""
    ends = month_ends(ctx.as_of)
    for case in LOCAL_CASES:
        label, word, suffix, number_style = _KINDS[case.kind]
        name = ctx.company_name(word, suffix=suffix)
        template = ctx.enterprise(name=name, business_scope="", org_type="1")
        uscc = template.uscc
        licensed = ctx.days_ago(int(ctx.rng.integers(1500, 4000)))
        number = None
        if number_style is not None:
            number = "".join(
                str(ctx.rng.integers(0, 10)) if ch == "#" else ch for ch in number_style
            )
        ctx.add_row(
            LOCAL_ORG_TABLE,
            {
                "机构名称": name,
                "统一社会信用代码": uscc,
                "机构类型": label,
                "许可证号": number,
                "监管部门": "芜湖市地方金融管理局",
                "行政区划代码": uscc[2:8],
                "批设日期": licensed.isoformat(),
                "注册资本（万元）": str(int(max(case.figures.net_assets or 0.0, 0.0) or 5_000)),
                "监管状态": _STATUS[case.status],
            },
        )
        for i, (end, factor) in enumerate(zip(ends, case.trend, strict=True)):
            if factor <= 0 and i > 0 and case.trend[i - 1] <= 0:
                continue
            ctx.add_row("org_report", _report(name, uscc, end, case.figures, factor))
        if case.book is not None:
            write_book(ctx, uscc, name, case.book)
        for n in range(case.complaints):
            _complaint(ctx, name, uscc, n, int(ctx.rng.integers(20, 300)))
        grade = GradeExpectation(case.grade, scorecard=RATING_SCORECARD) if case.grade else None
        ctx.record(
            PlantedCase(
                case.pattern,
                uscc,
                name,
                _expectations(case),
                case.note,
                subject_table=LOCAL_ORG_TABLE,
                grade=grade,
            )
        )


__all__ = [
    "LOCAL_CASES",
    "LOCAL_ORG_TABLE",
    "LOCAL_RULE_IDS",
    "RATING_SCORECARD",
    "Figures",
    "LocalCase",
    "month_ends",
    "plant_local_finance",
]
