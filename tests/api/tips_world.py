"""Tips, rewards and warnings in the API tests' world (routed to ``IN`` or ``OUT`` by address)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from smokewatch.services import public_warnings, tips, tips_inbox, tips_rewards
from smokewatch.services.tips_uploads import Upload
from smokewatch.store.orm_cases import Case
from tests.api.world import IN, ROOT, World
from tests.portal.files import png

ADDRESS = {IN: "安徽省芜湖市镜湖区中山路8号", "340207": "安徽省芜湖市鸠江区湾里街道九华北路"}


def tip(world: World, where: str, *, with_file: bool = False) -> str:
    """A fresh tip routed to the county ``where`` (a distinct target, so never a duplicate)."""
    target = world.next("芜湖市鑫源") + "财富管理有限公司"
    submitted = tips.submit_tip(
        world.store,
        tips.TipForm(
            target_name=target,
            description=f"{target}承诺年化18%保本保息，拉人头返佣金，现在无法提现。",
            consent=True,
            target_address=ADDRESS[where],
            files=[Upload("收据.png", png())] if with_file else [],
        ),
        files_dir=world.settings.workspace / "tips",
        home_adcode="340200",
    )
    return submitted.tip_id


def tip_file(world: World, where: str) -> tuple[str, str]:
    """A tip holding a PNG: its id and the file's SHA-256."""
    tip_id = tip(world, where, with_file=True)
    detail = tips_inbox.get_tip(world.store, ROOT, tip_id)
    return tip_id, str(detail["files"][0]["sha256"])


def scheme(world: World) -> None:
    """Anhui's reward scheme (1%, floor 500, cap 100,000), once."""
    if not tips_rewards.list_schemes(world.store):
        tips_rewards.add_scheme(
            world.store,
            ROOT,
            scheme_id="anhui-2026",
            name="安徽省举报非法集资奖励办法",
            province="340000",
            rate=Decimal("0.01"),
            floor=Decimal("500"),
            cap=Decimal("100000"),
            valid_from=date(2020, 1, 1),
        )


def confirmed_tip(world: World, where: str) -> str:
    """A tip converted to a case that closed with illegal activity confirmed (a scheme exists)."""
    scheme(world)
    tip_id = tip(world, where)
    converted = tips_inbox.convert(world.store, ROOT, tip_id)
    with world.store.unit_of_work() as session:
        session.execute(
            sa.update(Case)
            .where(Case.id == converted["case_id"])
            .values(status="closed", resolution="disposed", determination="illegal_fundraising")
        )
    return tip_id


def rewarded_tip(world: World, where: str) -> str:
    """A confirmed tip with its reward decided (payment pending)."""
    tip_id = confirmed_tip(world, where)
    tips_rewards.decide_reward(
        world.store,
        ROOT,
        tip_id,
        illegal_amount=Decimal("2000000"),
        reason="线索属实，查实非法集资200万元",
    )
    return tip_id


def warning(world: World, where: str, *, publish: bool = False) -> str:
    """A drafted (or published) risk warning of the county ``where``."""
    drafted = public_warnings.draft(
        world.store,
        ROOT,
        title=f"关于{world.next('某某')}财富的风险提示",
        body="该公司未取得任何金融业务许可，以高息为诱饵吸收资金，请广大群众提高警惕。",
        issuing_agency="芜湖市地方金融管理局",
        adcode=where,
        about="鑫源财富",
    )
    if publish:
        public_warnings.approve(world.store, ROOT, str(drafted["id"]))
    return str(drafted["id"])
