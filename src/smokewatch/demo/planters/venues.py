"""Local trading venues (地方交易场所): the register rows, their listed products and trades.

Two venues join the register of licensed organisations (kind 交易场所):

* a commodity venue whose silver "spot deferred" product (白银现货延期) breaks two of the
  prohibitions — investors buy on a 10 % margin (leverage 10 ×, SW-R-0410 ``high_leverage``)
  and their sales are paid out of the venue's own account instead of custody (SW-R-0414
  ``pooled_payouts``); the two reach red on the rating SW-S-0003 (35 + 35 points);
* a property-rights venue that keeps them: paid in full, money through custody at a bank,
  negotiated transfers held for weeks, a dozen qualified investors — the control.

Both have fewer small individual investors than SW-R-0413 counts, hold every position well
over five trading days and stay far below 200 holders, so the other venue rules stay quiet.
Investors are named by the exchange hash of a synthetic ID number, as venues deliver them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from smokewatch.demo.grades import GradeExpectation
from smokewatch.demo.planters.local_finance import (
    LOCAL_ORG_TABLE,
    LOCAL_RULE_IDS,
    RATING_SCORECARD,
)
from smokewatch.demo.planting import Expectation, PlantContext, PlantedCase
from smokewatch.model.types.identity import exchange_hash, id_number_check_char

PRODUCT_TABLE = "venue_product"
TRADE_TABLE = "venue_trade"


@dataclass(frozen=True, slots=True)
class VenueCase:
    """One planted venue and the product it lists."""

    pattern: str
    word: str
    """Word of the venue's name (商品交易中心, 产权交易所 …)."""
    product_code: str
    product_name: str
    product_kind: str
    """How the file writes the product kind (venue_product_kind wording)."""
    investors: int
    margin_share: float | None
    """Margin paid as a share of the amount (``None``: paid in full)."""
    payout_account: str
    """How the file writes the account sales are paid from (venue_settlement wording)."""
    custody_bank: str | None
    trading_mode: str
    offer_to: str
    bands: dict[str, str]
    grade: str | None
    note: str


VENUE_CASES: Sequence[VenueCase] = (
    VenueCase(
        "venue.prohibitions.red",
        "商品交易中心",
        "AG2601",
        "白银现货延期",
        "贵金属",
        investors=12,
        margin_share=0.1,
        payout_account="交易场所自有账户",
        custody_bank="芜湖某商业银行",
        trading_mode="挂牌转让",
        offer_to="合格投资者",
        bands={"SW-R-0410": "high_leverage", "SW-R-0414": "pooled_payouts"},
        grade="red",
        note="silver deferred on a 10 % margin (10 × leverage), sales paid out of the venue's "
        "own account: two prohibitions, 70 points",
    ),
    VenueCase(
        "venue.control",
        "产权交易所",
        "CQ2601",
        "国有企业股权转让项目",
        "产权",
        investors=12,
        margin_share=None,
        payout_account="银行存管",
        custody_bank="芜湖某商业银行",
        trading_mode="协议转让",
        offer_to="合格投资者",
        bands={},
        grade=None,
        note="control: paid in full, custody at a bank, positions held for weeks",
    ),
)
"""The planted venues, in planting order."""


def _investor(ctx: PlantContext) -> str:
    """The exchange hash of a fresh synthetic resident ID number."""
    born = date(1960, 1, 1) + timedelta(days=int(ctx.rng.integers(0, 12_000)))
    first17 = f"340202{born:%Y%m%d}{int(ctx.rng.integers(0, 1000)):03d}"
    return exchange_hash(first17 + id_number_check_char(first17))


def _trades(ctx: PlantContext, uscc: str, case: VenueCase) -> None:
    """Each investor buys once and sells 20–60 days later, all within the last year."""
    number = 0
    for _ in range(case.investors):
        investor = _investor(ctx)
        bought = ctx.days_ago(int(ctx.rng.integers(90, 300)))
        sold = bought + timedelta(days=int(ctx.rng.integers(20, 60)))
        quantity = int(ctx.rng.integers(20, 80)) * 1_000
        price = 5.0 + float(ctx.rng.integers(0, 100)) / 100
        for side, day, account, factor in (
            ("买入", bought, "银行存管", 1.0),
            ("卖出", sold, case.payout_account, 1.04),
        ):
            number += 1
            amount = round(quantity * price * factor, 2)
            margin = None
            if case.margin_share is not None and side == "买入":
                margin = f"{amount * case.margin_share:.2f}"
            ctx.add_row(
                TRADE_TABLE,
                {
                    "交易场所信用代码": uscc,
                    "产品代码": case.product_code,
                    "成交编号": f"{case.product_code}-{number:05d}",
                    "投资者标识": investor,
                    "投资者类型": "个人",
                    "买卖方向": side,
                    "成交数量": str(quantity),
                    "成交价格": f"{price * factor:.4f}",
                    "成交金额": f"{amount:.2f}",
                    "保证金": margin,
                    "成交时间": f"{day.isoformat()} 10:{number % 60:02d}:00",
                    "资金结算账户类型": account,
                },
            )


def plant_venues(ctx: PlantContext) -> None:
    """Plant :data:`VENUE_CASES`: register rows, one product each and its trades."""
    for case in VENUE_CASES:
        name = ctx.company_name(case.word)
        uscc = ctx.enterprise(name=name, business_scope="", org_type="1").uscc
        ctx.add_row(
            LOCAL_ORG_TABLE,
            {
                "机构名称": name,
                "统一社会信用代码": uscc,
                "机构类型": "交易场所",
                "许可证号": None,
                "监管部门": "芜湖市地方金融管理局",
                "行政区划代码": uscc[2:8],
                "批设日期": ctx.days_ago(int(ctx.rng.integers(1500, 4000))).isoformat(),
                "注册资本（万元）": "10000",
                "监管状态": "正常经营",
            },
        )
        leverage = None if case.margin_share is None else 1 / case.margin_share
        ctx.add_row(
            PRODUCT_TABLE,
            {
                "交易场所信用代码": uscc,
                "交易场所": name,
                "产品代码": case.product_code,
                "产品名称": case.product_name,
                "产品类别": case.product_kind,
                "挂牌日期": ctx.days_ago(400).isoformat(),
                "拆分份数": "1",
                "发行对象": case.offer_to,
                "交易方式": case.trading_mode,
                "最短持有期（交易日）": "5",
                "投资者人数上限": "200",
                "杠杆倍数": None if leverage is None else f"{leverage:g}",
                "资金存管银行": case.custody_bank,
                "产品状态": "挂牌中",
            },
        )
        _trades(ctx, uscc, case)
        grade = GradeExpectation(case.grade, scorecard=RATING_SCORECARD) if case.grade else None
        ctx.record(
            PlantedCase(
                case.pattern,
                uscc,
                name,
                tuple(
                    Expectation(rule, rule in case.bands, case.bands.get(rule))
                    for rule in LOCAL_RULE_IDS
                ),
                case.note,
                subject_table=LOCAL_ORG_TABLE,
                grade=grade,
            )
        )


__all__ = ["PRODUCT_TABLE", "TRADE_TABLE", "VENUE_CASES", "VenueCase", "plant_venues"]
