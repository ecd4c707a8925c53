"""The demo's public tips: planted through the portal's services, each doing what it is for."""

from __future__ import annotations

import csv
from pathlib import Path

from smokewatch.services import demo_tips, public_warnings, tips, tips_rewards
from smokewatch.services.workspace import init_workspace
from smokewatch.settings import Settings
from smokewatch.store import repos
from smokewatch.store.db import Store
from tests.services.test_tips import monitored


def test_the_demo_tips_are_routed_converted_rewarded_and_checked(
    store: Store, tmp_path: Path
) -> None:
    workspace = init_workspace(tmp_path / "ws")
    settings = Settings(workspace=workspace.root)
    with store.unit_of_work() as session:
        repos.add_run(session, run_id="sco-1", kind="score")
    monitored(store, "ent-top", "芜湖鑫汇通财富管理有限公司", "340207003")
    planted = demo_tips.plant_tips(settings, store)
    found = {t.key: t.found for t in planted}
    assert found == {t.key: t.expected for t in planted}
    assert found["entity"] == ("closed", "340207", "entity")
    assert demo_tips.tip_stats(planted)["as_expected"] == 6
    rewarded = next(t for t in planted if t.key == "entity")
    seen = tips.track(store, rewarded.tracking_code)
    assert seen["reward"] is not None
    assert (seen["reward"]["amount"], seen["reward"]["payment_status"]) == ("32000.00", "paid")
    assert (
        tips_rewards.get_decision(store, demo_tips.ACTOR, rewarded.tip_id)["approver"] == "cli:demo"
    )
    assert public_warnings.published(store)[1] == 3
    with (workspace.root / "demo" / "tips.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["tracking_code"] for r in rows] == [t.tracking_code for t in planted]
