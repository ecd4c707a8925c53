"""Rewards: the scheme's share with floor and cap, decided once the case closed confirmed, paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from smokewatch.errors import Conflict, Forbidden, InvalidInput
from smokewatch.services import tips, tips_inbox, tips_rewards
from smokewatch.services.tips_rewards import Scheme, compute_reward
from smokewatch.store.db import Store
from smokewatch.store.orm_cases import Case
from tests.api.world import ROOT, populate

ANHUI = Scheme(rate=Decimal("0.01"), floor=Decimal("500"), cap=Decimal("100000"))


@pytest.mark.parametrize(
    ("amount", "scheme", "reward", "steps"),
    [
        ("2000000", ANHUI, "20000.00", ["share"]),
        ("10000", ANHUI, "500.00", ["share", "floor"]),
        ("0", ANHUI, "500.00", ["share", "floor"]),
        ("50000000", ANHUI, "100000.00", ["share", "cap"]),
        ("10000000", ANHUI, "100000.00", ["share"]),
        ("12345.67", Scheme(Decimal("0.05"), Decimal("0"), Decimal("1e6")), "617.28", ["share"]),
        (
            "1000",
            Scheme(Decimal("0.001"), Decimal("2000"), Decimal("1000")),
            "1000.00",
            ["share", "floor", "cap"],
        ),
        ("99.99", Scheme(Decimal("0.005"), Decimal("0"), Decimal("10")), "0.50", ["share"]),
    ],
    ids=[
        "share",
        "floor",
        "nothing-established",
        "cap",
        "exactly-cap",
        "half-up",
        "floor-over-cap",
        "cents",
    ],
)
def test_the_reward_is_the_share_raised_to_the_floor_and_limited_by_the_cap(
    amount: str, scheme: Scheme, reward: str, steps: list[str]
) -> None:
    computed, lines = compute_reward(Decimal(amount), scheme)
    assert computed == Decimal(reward)
    assert [line["step"] for line in lines] == steps
    assert lines[-1]["value"] == reward


def test_a_negative_amount_is_refused() -> None:
    with pytest.raises(InvalidInput):
        compute_reward(Decimal("-1"), ANHUI)


@pytest.fixture
def world(store: Store) -> Store:
    populate(store)
    tips_rewards.add_scheme(
        store, ROOT, scheme_id="ah-2020", name="旧办法", province="340000",
        rate=Decimal("0.005"), floor=Decimal("200"), cap=Decimal("50000"),
        valid_from=date(2020, 1, 1), valid_to=date(2023, 12, 31),
    )  # fmt: skip
    tips_rewards.add_scheme(
        store, ROOT, scheme_id="ah-2024", name="安徽省举报奖励办法", province="340000",
        rate=Decimal("0.01"), floor=Decimal("500"), cap=Decimal("100000"),
        valid_from=date(2024, 1, 1),
    )  # fmt: skip
    return store


def _converted(
    store: Store, tmp_path: Path, *, resolution: str | None = "disposed"
) -> tuple[str, str]:
    submitted = tips.submit_tip(
        store,
        tips.TipForm(
            "芜湖鑫源财富管理有限公司",
            "该公司承诺年化18%，保本保息，推荐朋友投资还有返佣金，现在已经无法提现。",
            consent=True,
            target_address="芜湖市镜湖区中山路8号",
        ),
        files_dir=tmp_path,
        home_adcode="340200",
    )
    case_id = str(tips_inbox.convert(store, ROOT, submitted.tip_id)["case_id"])
    if resolution is not None:
        with store.unit_of_work() as session:
            session.execute(
                sa.update(Case)
                .where(Case.id == case_id)
                .values(status="closed", resolution=resolution)
            )
    return submitted.tip_id, submitted.tracking_code


def test_a_confirmed_case_earns_the_reward_of_the_scheme_in_force_and_the_reporter_sees_it(
    world: Store, tmp_path: Path
) -> None:
    tip_id, code = _converted(world, tmp_path)
    decision = tips_rewards.decide_reward(
        world, ROOT, tip_id, illegal_amount=Decimal("3500000"), reason="查实非法吸收公众存款350万元"
    )
    assert (decision["scheme_id"], decision["computed"], decision["awarded"]) == (
        "ah-2024",
        "35000.00",
        "35000.00",
    )
    assert decision["payment_status"] == "pending"
    seen = tips.track(world, code)
    assert seen["status"] == "closed"
    assert seen["reward"] == {
        "amount": "35000.00",
        "reason": "查实非法吸收公众存款350万元",
        "decided_at": decision["decided_at"],
        "payment_status": "pending",
    }
    tips_rewards.set_payment(world, ROOT, tip_id, "paid", reference="财政直达 2026-0042")
    assert tips.track(world, code)["reward"]["payment_status"] == "paid"
    with pytest.raises(Conflict):
        tips_rewards.set_payment(world, ROOT, tip_id, "withheld")


def test_an_approver_may_award_less_than_computed_but_never_more(
    world: Store, tmp_path: Path
) -> None:
    tip_id, _ = _converted(world, tmp_path)
    with pytest.raises(InvalidInput, match="between 0 and the computed"):
        tips_rewards.decide_reward(
            world,
            ROOT,
            tip_id,
            illegal_amount=Decimal("100000"),
            reason="r",
            awarded=Decimal("1001"),
        )
    less = tips_rewards.decide_reward(
        world,
        ROOT,
        tip_id,
        illegal_amount=Decimal("100000"),
        reason="举报人系参与者，减半",
        awarded=Decimal("500"),
    )
    assert (less["computed"], less["awarded"]) == ("1000.00", "500.00")
    with pytest.raises(Conflict, match="already"):
        tips_rewards.decide_reward(world, ROOT, tip_id, illegal_amount=Decimal("1"), reason="again")


@pytest.mark.parametrize("resolution", [None, "no_violation", "insufficient_evidence"])
def test_no_reward_unless_the_case_closed_with_illegal_activity_confirmed(
    world: Store, tmp_path: Path, resolution: str | None
) -> None:
    tip_id, _ = _converted(world, tmp_path, resolution=resolution)
    with pytest.raises(Conflict, match="not closed with illegal activity confirmed"):
        tips_rewards.decide_reward(world, ROOT, tip_id, illegal_amount=Decimal("1"), reason="r")


def test_only_leads_and_admins_decide_and_a_paid_reward_needs_its_reference(
    world: Store, tmp_path: Path
) -> None:
    tip_id, _ = _converted(world, tmp_path)
    officer = tips_inbox.Actor(
        "officer", frozenset({tips_inbox.Role.OFFICER}), "amr-340202", "340202"
    )
    with pytest.raises(Forbidden):
        tips_rewards.decide_reward(world, officer, tip_id, illegal_amount=Decimal("1"), reason="r")
    tips_rewards.decide_reward(world, ROOT, tip_id, illegal_amount=Decimal("1"), reason="r")
    with pytest.raises(InvalidInput, match="reference"):
        tips_rewards.set_payment(world, ROOT, tip_id, "paid")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"province": "340200"}, "not a province"),
        ({"rate": Decimal("1.5")}, "rate"),
        ({"floor": Decimal("10"), "cap": Decimal("5")}, "floor"),
        ({"valid_to": date(2019, 1, 1)}, "before"),
    ],
)
def test_a_scheme_must_make_sense(world: Store, fields: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "scheme_id": "x", "name": "x", "province": "340000", "rate": Decimal("0.01"),
        "floor": Decimal("0"), "cap": Decimal("10"), "valid_from": date(2020, 1, 1), **fields,
    }  # fmt: skip
    with pytest.raises(InvalidInput, match=message):
        tips_rewards.add_scheme(world, ROOT, **values)  # type: ignore[arg-type]
