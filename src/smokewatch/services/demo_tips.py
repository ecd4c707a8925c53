"""The demo's public tips: planted through the same services the portal calls, then checked.

After the demo city is scored, :func:`plant_tips` makes the portal's side of it: the lead
departments of 芜湖市 and two of its counties (when the workspace has none yet), Anhui's reward
scheme, three published risk warnings, and six tips, each planted for one behaviour —

=============  =====================================================================
``entity``     names the highest-scored planted enterprise without an address: resolved to it,
               routed by its registered county, converted to a clue, the case closed with
               illegal fundraising confirmed, the reward decided and paid
``clue``       a 镜湖区 address: routed there and converted to a case clue
``reply``      a 鸠江区 address: triaged, with a reply the reporter reads by tracking code
``duplicate``  the ``clue`` story again about the same company: a duplicate of it
``spam``       link spam: kept apart
``elsewhere``  an address in 合肥市: routed to 蜀山区, where no agency of the workspace is
=============  =====================================================================

:func:`plant_tips` returns what each tip was expected to do against what it did, so the demo
reports honestly whether processing behaved (``tips`` in the demo run's statistics). The
tracking codes are written to ``demo/tips.csv`` so the portal can be tried with them.
"""

from __future__ import annotations

import csv
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa

from smokewatch.services import (
    agencies,
    cases,
    public_warnings,
    tips,
    tips_inbox,
    tips_rewards,
    users,
)
from smokewatch.settings import Settings
from smokewatch.store.db import Store
from smokewatch.store.orm import Score
from smokewatch.store.orm_cases import Agency, User

ACTOR = users.system_actor("demo")
AGENCIES: Final = (
    ("lead-340200", "芜湖市地方金融管理局", "340200"),
    ("lead-340202", "镜湖区金融工作办公室", "340202"),
    ("lead-340207", "鸠江区金融工作办公室", "340207"),
)
OFFICER: Final = "demo-tips-officer"
"""The demo's case officer (a lead of the city; random password: reset it to sign in)."""
STORY: Final = (
    "业务员称投资“鑫利宝”理财产品年化收益18%，保本保息，介绍朋友投资还有返佣金。"
    "现在公司无法提现，老板联系不上。"
)


@dataclass(frozen=True, slots=True)
class PlantedTip:
    """One demo tip: what it should become and what it became."""

    key: str
    tip_id: str
    tracking_code: str
    expected: tuple[str, str | None, str]
    """(status, county, routed_by) planted for."""
    found: tuple[str, str | None, str]

    @property
    def as_expected(self) -> bool:
        """Whether processing did what the tip was planted for."""
        return self.expected == self.found


def _ensure_organisation(store: Store) -> None:
    with store.unit_of_work() as session:
        known = set(session.scalars(sa.select(Agency.id)))
        has_officer = session.get(User, OFFICER) is not None
    for agency_id, name, adcode in AGENCIES:
        if agency_id not in known:
            agencies.create_agency(
                store,
                agency_id=agency_id,
                name=name,
                kind="lead_department",
                adcode=adcode,
                actor=ACTOR,
            )
    if not has_officer:
        users.create_user(
            store,
            user_id=OFFICER,
            display_name="举报线索专员（演示）",
            password=secrets.token_urlsafe(24),
            roles=["lead"],
            agency_id="lead-340200",
            actor=ACTOR,
        )
    if not tips_rewards.list_schemes(store):
        tips_rewards.add_scheme(
            store,
            ACTOR,
            scheme_id="anhui-2024",
            name="安徽省举报非法集资奖励办法（演示）",
            province="340000",
            rate=Decimal("0.01"),
            floor=Decimal("500"),
            cap=Decimal("100000"),
            valid_from=date(2024, 1, 1),
        )


def _top_enterprise(store: Store) -> tuple[str, str]:
    with store.unit_of_work() as session:
        row = session.execute(
            sa.select(Score.subject_id, Score.subject_name)
            .where(Score.subject_table == "enterprise", Score.subject_name.is_not(None))
            .order_by(Score.score.desc(), Score.subject_id)
            .limit(1)
        ).first()
    if row is None:
        return "", "芜湖鑫利宝财富管理有限公司"
    return str(row[0]), str(row[1])


def _submit(store: Store, folder: Path, name: str, story: str, address: str = "") -> tips.Submitted:
    form = tips.TipForm(
        name, story, consent=True, target_address=address, learnt_via="acquaintance"
    )
    return tips.submit_tip(store, form, files_dir=folder, home_adcode="340200")


def _close_confirmed(store: Store, case_id: str) -> None:
    steps: list[tuple[str, dict[str, Any]]] = [
        ("verify", {"assignee": OFFICER}),
        ("determine", {"determination": "illegal_fundraising"}),
        ("dispose", {"measures": ["order_to_stop"]}),
        ("close", {"resolution": "disposed"}),
    ]
    for action, data in steps:
        cases.act(store, ACTOR, case_id, action, data)


def _warnings(store: Store, enterprise: str) -> None:
    if public_warnings.published(store, limit=1)[1]:
        return
    notices = [
        (
            f"关于{enterprise}的风险提示",
            enterprise,
            "该公司未取得任何金融业务许可，以高额回报为诱饵向社会公众吸收资金。",
        ),
        (
            "警惕以“养老服务”为名的非法集资",
            None,
            "近期有不法分子以销售养老床位、预售养老服务为名，承诺高额返利。",
        ),
        (
            "关于“鑫利宝”理财平台的风险提示",
            "鑫利宝",
            "该平台未经批准从事理财业务，承诺保本保息，已出现提现困难。",
        ),
    ]
    for title, about, body in notices:
        drafted = public_warnings.draft(
            store,
            ACTOR,
            title=title,
            body=body + "请广大群众提高警惕，发现线索可通过本网站举报。",
            issuing_agency="芜湖市地方金融管理局",
            adcode="340200",
            about=about,
        )
        public_warnings.approve(store, ACTOR, str(drafted["id"]), on=date(2026, 11, 1))


def _found(store: Store, tip_id: str) -> tuple[str, str | None, str]:
    detail = tips_inbox.get_tip(store, ACTOR, tip_id)
    return str(detail["status"]), detail["adcode"], str(detail["routed_by"])


def plant_tips(settings: Settings, store: Store) -> list[PlantedTip]:
    """Plant the demo's tips, warnings and reward (see the module docstring); report each tip."""
    folder = settings.workspace / "tips"
    _ensure_organisation(store)
    entity_id, enterprise = _top_enterprise(store)
    _warnings(store, enterprise)
    with store.unit_of_work() as session:
        registered = session.scalar(
            sa.select(Score.adcode).where(Score.subject_id == entity_id).limit(1)
        )
    county = str(registered)[:6] if registered else "340200"
    planted: dict[str, tuple[tips.Submitted, tuple[str, str | None, str]]] = {}
    story = (
        f"{enterprise}以高息吸收存款，承诺年化15%，保本保息，员工拉人头有提成，已经有人拿不回本金。"
    )
    first = _submit(store, folder, enterprise, story)
    converted = tips_inbox.convert(store, ACTOR, first.tip_id)
    _close_confirmed(store, str(converted["case_id"]))
    tips_rewards.decide_reward(
        store,
        ACTOR,
        first.tip_id,
        illegal_amount=Decimal("3200000"),
        reason="线索属实：查实非法吸收公众存款320万元",
    )
    tips_rewards.set_payment(
        store, ACTOR, first.tip_id, "paid", reference="财政奖励资金 2026-演示-001"
    )
    planted["entity"] = (first, ("closed", county, "entity" if entity_id else "default"))
    clue = _submit(
        store, folder, "芜湖鑫利宝理财服务有限公司", STORY, "安徽省芜湖市镜湖区中山路88号鑫利宝大厦"
    )
    tips_inbox.convert(store, ACTOR, clue.tip_id)
    planted["clue"] = (clue, ("converted", "340202", "address"))
    reply = _submit(
        store,
        folder,
        "鸠江区康乐养老服务中心",
        "推销人员说预付10万元养老床位费，每年返利12%，五年后全额退还。",
        "芜湖市鸠江区湾里街道",
    )
    tips_inbox.act(store, ACTOR, reply.tip_id, "triage")
    tips_inbox.act(
        store, ACTOR, reply.tip_id, "reply", note="已收到您的举报，我们已安排核查，请勿继续缴费。"
    )
    planted["reply"] = (reply, ("triaged", "340207", "address"))
    duplicate = _submit(
        store, folder, "芜湖市鑫利宝理财服务有限公司", "鑫利宝" + STORY, "镜湖区中山路88号"
    )
    planted["duplicate"] = (duplicate, ("duplicate", "340202", "address"))
    spam = _submit(
        store,
        folder,
        "快速赚钱",
        "点击 http://a.example http://b.example http://c.example http://d.example 日赚千元",
    )
    planted["spam"] = (spam, ("spam", "340200", "default"))
    elsewhere = _submit(
        store,
        folder,
        "合肥某投资咨询有限公司",
        "在合肥开推介会，承诺投资区块链项目月收益10%，要求现金入股。",
        "安徽省合肥市蜀山区长江西路",
    )
    planted["elsewhere"] = (elsewhere, ("received", "340104", "address"))
    result = [
        PlantedTip(key, sub.tip_id, sub.tracking_code, expected, _found(store, sub.tip_id))
        for key, (sub, expected) in planted.items()
    ]
    _write_codes(settings.workspace / "demo" / "tips.csv", result)
    return result


def _write_codes(path: Path, planted: list[PlantedTip]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["key", "tip_id", "tracking_code", "status", "adcode", "routed_by", "as_expected"]
        )
        for tip in planted:
            writer.writerow([tip.key, tip.tip_id, tip.tracking_code, *tip.found, tip.as_expected])


def tip_stats(planted: list[PlantedTip]) -> dict[str, Any]:
    """The demo run's statistics about the tips."""
    return {
        "planted": len(planted),
        "as_expected": sum(t.as_expected for t in planted),
        "by_key": {t.key: {"expected": list(t.expected), "found": list(t.found)} for t in planted},
    }


__all__ = ["PlantedTip", "plant_tips", "tip_stats"]
