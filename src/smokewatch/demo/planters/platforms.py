"""Synthetic online-lending (P2P) platforms: profiles, ten months of figures, problem events.

Seven platforms of our own invention (no real portal data) registered in 芜湖, each designed for
a grade of the platform smoke index SW-S-0002 (red ≥ 75, orange ≥ 55, yellow ≥ 35, blue ≥ 15;
a reported failure floors the grade at red; a controlling state, listed or bank shareholder
halves the compliance, return, lure and fund points). The figures run from ten months before
the as-of date to the month before it; the rules read the last six (or three) of them. Rates are
stated as multiples of the one-year LPR in force on the as-of date, so each platform's band of
SW-R-0205 holds whatever the benchmark. Fewer than ten platforms report rates, so SW-R-0214
(the market of the same months) has no market to compare with and stays quiet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from smokewatch.demo.grades import GradeExpectation
from smokewatch.demo.planters.local_finance import month_ends
from smokewatch.demo.planting import Expectation, PlantContext, PlantedCase
from smokewatch.text.rates import deviation, load_benchmarks

PLATFORM_TABLE = "platform"
PLATFORM_SCORECARD = "SW-S-0002"
PLATFORM_RULE_IDS: tuple[str, ...] = tuple(f"SW-R-02{n:02d}" for n in range(1, 16))
"""The platform rules, in the order expectations list them."""
MONTHS = 10

_FLAT = (1.0,) * MONTHS


@dataclass(frozen=True, slots=True)
class Series:
    """Ten months of figures, oldest first (``None``: the month is not reported)."""

    investors: tuple[float | None, ...] = _FLAT
    """Multiples of the platform's base for investors, volume and balance."""
    volume: tuple[float | None, ...] = _FLAT
    balance: tuple[float | None, ...] = _FLAT
    inflow: tuple[float, ...] = (60.0,) * MONTHS
    """Net 30-day inflow, 万元."""
    term: tuple[float, ...] = (6.0,) * MONTHS
    top10_borrowers: float = 8.0
    top10_investors: float = 18.0


@dataclass(frozen=True, slots=True)
class PlatformCase:
    """One planted platform: its profile, figures, events and what the rules should say."""

    pattern: str
    suffix: str
    rate_multiple: float
    """The average rate paid to investors, as a multiple of the one-year LPR."""
    profile: Mapping[str, str | None]
    bands: Mapping[str, str] = field(default_factory=dict)
    grade: str | None = None
    series: Series = Series()
    events: tuple[tuple[int, str], ...] = ()
    """(days before the as-of date, 问题类型) of each problem event."""
    note: str = ""


_COMPLIANT: Mapping[str, str | None] = {
    "银行存管": "是",
    "存管银行": "徽商银行",
    "存管说明": "出借人资金由徽商银行存管",
    "第三方支付托管": None,
    "协会会员": "是",
    "ICP经营许可证": "皖B2-2017####",
    "风险准备金": "否",
    "保障模式": None,
    "投资保障说明": None,
    "平台背景": "民营系",
    "注册资本（万元）": "5000",
    "实缴资本（万元）": "5000",
}

PLATFORM_CASES: Sequence[PlatformCase] = (
    PlatformCase(
        "p2p.failed.red",
        "e贷",
        3.5,
        {
            **_COMPLIANT,
            "银行存管": "否",
            "存管银行": None,
            "存管说明": None,
            "协会会员": "否",
            "ICP经营许可证": None,
            "实缴资本（万元）": "0",
            "投资保障说明": "平台垫付，保本保息",
        },
        {
            "SW-R-0201": "no_custody",
            "SW-R-0202": "platform_guarantee",
            "SW-R-0203": "neither",
            "SW-R-0204": "nothing_paid_in",
            "SW-R-0205": "far_above",
            "SW-R-0213": "failure",
        },
        "red",
        Series(
            investors=(1.0, 1.0, 0.95, 0.9, *(None,) * 6),
            volume=(1.0, 1.0, 0.9, 0.8, *(None,) * 6),
            balance=(1.0, 1.0, 1.0, 1.0, *(None,) * 6),
        ),
        events=((160, "提现困难"), (45, "跑路")),
        note="no custody, no licence or membership, nothing paid in, principal promised, "
        "3.5 × LPR; stopped reporting, withdrawals blocked, then absconded",
    ),
    PlatformCase(
        "p2p.outflow.orange",
        "金服",
        2.7,
        {
            **_COMPLIANT,
            "银行存管": "否",
            "存管银行": None,
            "存管说明": "资金由第三方支付公司托管",
            "第三方支付托管": "某支付有限公司",
            "ICP经营许可证": None,
            "风险准备金": "是",
            "投资保障说明": "风险准备金",
        },
        {
            "SW-R-0201": "escrow_only",
            "SW-R-0202": "risk_reserve",
            "SW-R-0203": "no_licence",
            "SW-R-0205": "well_above",
            "SW-R-0206": "exodus",
            "SW-R-0208": "heavy_outflow",
            "SW-R-0211": "runoff",
            "SW-R-0215": "collapse",
        },
        "orange",
        Series(
            investors=(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.96, 0.92, 0.4, 0.36),
            volume=(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.93, 0.83, 0.3, 0.2),
            balance=(1.0, 1.0, 1.0, 1.0, 1.0, 0.95, 0.85, 0.75, 0.6, 0.5),
            inflow=(100.0, 100.0, 100.0, 50.0, 20.0, -500.0, -1000.0, -1500.0, -2500.0, -2000.0),
        ),
        note="payment-company escrow only, no ICP licence, 2.7 × LPR; in the last months "
        "lenders leave, money flows out, volume collapses and the balance runs off",
    ),
    PlatformCase(
        "p2p.terms.yellow",
        "财富",
        2.3,
        {
            **_COMPLIANT,
            "协会会员": "否",
            "注册资本（万元）": "10000",
            "实缴资本（万元）": "2000",
            "风险准备金": "是",
            "投资保障说明": "风险准备金",
        },
        {
            "SW-R-0202": "risk_reserve",
            "SW-R-0203": "not_member",
            "SW-R-0204": "little_paid_in",
            "SW-R-0205": "above",
            "SW-R-0207": "few_investors",
            "SW-R-0209": "elevated",
            "SW-R-0210": "shortening",
        },
        "yellow",
        Series(term=(6.0,) * 8 + (1.5, 1.5), top10_borrowers=40.0, top10_investors=85.0),
        note="not a member, 20 % paid in, 2.3 × LPR; ten investors hold 85 %, ten borrowers "
        "40 %, terms cut from six months to six weeks",
    ),
    PlatformCase(
        "p2p.oversight.blue",
        "e投",
        1.8,
        {
            **_COMPLIANT,
            "协会会员": "否",
            "ICP经营许可证": None,
            "注册资本（万元）": "10000",
            "实缴资本（万元）": "2000",
        },
        {"SW-R-0203": "neither", "SW-R-0204": "little_paid_in"},
        "blue",
        note="no ICP licence, not a member, 20 % paid in; figures sound",
    ),
    PlatformCase(
        "p2p.state_backed",
        "融",
        1.7,
        {
            **_COMPLIANT,
            "银行存管": "否",
            "存管说明": "已与徽商银行签订存管协议，系统对接中",
            "平台背景": "国资控股",
        },
        {"SW-R-0201": "unverified_claim", "SW-R-0212": "controlled"},
        note="claims bank custody not yet verified; state controlled (the points are halved, "
        "below blue)",
    ),
    PlatformCase(
        "p2p.control",
        "宝",
        1.8,
        _COMPLIANT,
        note="control: bank custody, licence and membership, capital paid in, 1.8 × LPR",
    ),
    PlatformCase(
        "p2p.control.bank",
        "银通",
        1.6,
        {**_COMPLIANT, "平台背景": "银行系"},
        {"SW-R-0212": "controlled"},
        note="control: a bank-backed platform with nothing else to report (the qualifier "
        "alone scores nothing)",
    ),
)
"""The planted platforms, in planting order."""


def _month(end: object) -> str:
    return str(end)[:7]


def plant_platforms(ctx: PlantContext) -> None:
    """Plant :data:`PLATFORM_CASES`: profiles, monthly figures and problem events."""
    lpr = float(deviation(Decimal(1), ctx.as_of, load_benchmarks()).benchmark.value)
    months = [_month(end) for end in month_ends(ctx.as_of, MONTHS)]
    for n, case in enumerate(PLATFORM_CASES, start=1):
        trade = ctx.trade_name()
        name = f"{trade}{case.suffix}"
        provider = f"WH{n:03d}"
        online = ctx.days_ago(int(ctx.rng.integers(2500, 3600)))
        rate = round(case.rate_multiple * lpr, 2)
        adcode, address = ctx.place()
        profile = {
            "平台名称": name,
            "平台编号": provider,
            "运营公司": f"芜湖{trade}网络科技有限公司",
            "网址": f"https://www.{provider.lower()}.example",
            "上线日期": online.isoformat(),
            "所在省份": "安徽",
            "所在城市": "芜湖",
            "办公地址": address,
            "行政区划代码": adcode,
            "ICP备案号": f"皖ICP备{int(ctx.rng.integers(10_000_000, 99_999_999))}号",
            "宣传收益率": f"{rate:g}%",
            **case.profile,
        }
        licence = profile.get("ICP经营许可证")
        if licence:
            profile["ICP经营许可证"] = licence.replace(
                "####", str(int(ctx.rng.integers(1000, 9999)))
            )
        ctx.add_row(PLATFORM_TABLE, profile)
        investors = int(ctx.rng.integers(3, 9)) * 1000
        volume = float(int(ctx.rng.integers(20, 60)) * 100)
        s = case.series
        for i, month in enumerate(months):
            people, vol, bal = s.investors[i], s.volume[i], s.balance[i]
            if people is None or vol is None or bal is None:
                continue
            borrowers = round(volume * vol / 2.0)
            ctx.add_row(
                "platform_metric",
                {
                    "平台名称": name,
                    "平台编号": provider,
                    "月份": month,
                    "成交量（万元）": f"{volume * vol:.2f}",
                    "平均收益率（%）": f"{rate:.2f}",
                    "平均借款期限（月）": f"{s.term[i]:g}",
                    "投资人数": str(round(investors * people)),
                    "借款人数": str(borrowers),
                    "借款笔数": str(borrowers),
                    "近30日资金净流入（万元）": f"{s.inflow[i]:.2f}",
                    "待还余额（万元）": f"{volume * 4 * bal:.2f}",
                    "前十大借款人待还占比（%）": f"{s.top10_borrowers:g}",
                    "前十大投资人待收占比（%）": f"{s.top10_investors:g}",
                    "人均投资金额（万元）": f"{volume * vol / (investors * people):.2f}",
                    "人均借款金额（万元）": "2.00",
                    "运营月数": str((ctx.as_of - online).days // 30 - len(months) + i),
                },
            )
        for days, kind in case.events:
            ctx.add_row(
                "platform_event",
                {
                    "平台名称": name,
                    "平台编号": provider,
                    "所在省份": "安徽",
                    "上线日期": online.isoformat(),
                    "出问题日期": ctx.days_ago(days).isoformat(),
                    "问题类型": kind,
                    "注册资本（万元）": profile.get("注册资本（万元）"),
                },
            )
        expect = tuple(
            Expectation(rule, rule in case.bands, case.bands.get(rule))
            for rule in PLATFORM_RULE_IDS
        )
        grade = GradeExpectation(case.grade, scorecard=PLATFORM_SCORECARD) if case.grade else None
        ctx.record(
            PlantedCase(
                case.pattern,
                None,
                name,
                expect,
                case.note,
                subject_table=PLATFORM_TABLE,
                reference=provider,
                grade=grade,
            )
        )


__all__ = [
    "PLATFORM_CASES",
    "PLATFORM_RULE_IDS",
    "PLATFORM_SCORECARD",
    "PLATFORM_TABLE",
    "PlatformCase",
    "Series",
    "plant_platforms",
]
