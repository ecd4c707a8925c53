"""Account rhythm: payments off an account's own schedule, and relays of them within days."""

from __future__ import annotations

from typing import Any

import pytest

from smokewatch.engine.base import Engine
from smokewatch.graph.transfers import chain_lengths, transfer_graph_features
from tests.graph.transfer_rows import transfer_table

# A pays B every 10 days and once, on day 13, pays C, whom it never pays again (off its
# rhythm). C pays E every 10 days and, on day 14, passes money on to D (off its rhythm too).
# D's payment to F on day 40 comes too late to be a relay.
ROWS = [
    *[(1 + i, "A", "B", 10 * i, 100.0) for i in range(4)],  # days 0, 10, 20, 30
    (10, "A", "C", 13, 80.0),
    *[(20 + i, "C", "E", 1 + 10 * i, 50.0) for i in range(4)],  # days 1, 11, 21, 31
    (30, "C", "D", 14, 75.0),
    (40, "D", "F", 40, 70.0),
]


def _rows(engine: Engine) -> dict[int, dict[str, Any]]:
    view = engine.register("tx_rhythm", transfer_table(ROWS))
    out = engine.to_arrow(transfer_graph_features(view, chains=True))
    return {row["tran_id"]: row for row in out.to_pylist()}


def test_a_payment_between_two_scheduled_ones_is_off_the_payers_rhythm(engine: Engine) -> None:
    rows = _rows(engine)
    # A pays on days 0, 10, 13, 20, 30: mean gap 30 / 4 = 7.5 days
    assert rows[10]["o_out_rhythm"] == pytest.approx(3 / 7.5)  # day 13: 3 days from day 10
    assert rows[1]["o_out_rhythm"] == pytest.approx(10 / 7.5)  # day 0: 10 days to day 10
    assert rows[40]["o_out_rhythm"] is None  # D pays on one day only: no rhythm to judge
    # E is paid on days 1, 11, 21, 31: every receipt is on its schedule
    assert rows[21]["b_in_rhythm"] == pytest.approx(10 / 10)


def test_off_rhythm_one_offs_passed_on_within_days_are_counted_both_ways(engine: Engine) -> None:
    rows = _rows(engine)
    assert rows[10]["off_next"] == 1  # C passes it on to D the next day, off its rhythm
    assert rows[30]["off_prev"] == 1  # C had just received an off-rhythm one-off from A
    assert rows[30]["off_next"] == 0  # D pays F 26 days later: not a relay
    assert rows[2]["off_next"] == 0  # B never pays anyone
    assert rows[21]["off_prev"] == 0  # C's scheduled payment to E on day 11 is before day 13


def test_chain_lengths_follow_one_off_hops_as_far_as_they_go(engine: Engine) -> None:
    rows = [(i, f"P{i}", f"P{i + 1}", 2 * i, 10.0) for i in range(1, 6)]  # P1 → … → P6
    rows.append((9, "P6", "Q", 30, 10.0))  # too late
    view = engine.register("tx_walk", transfer_table(rows))

    def stage(name: str, expr: Any) -> Any:
        engine.replace_tables({name: expr})
        return engine.table(name)

    flagged = view.mutate(one_off=view.tran_id > 0).select(
        "tran_id", "orig", "bene", "day", "one_off"
    )
    out = engine.to_arrow(chain_lengths(flagged, 5, stage, hops=3)).to_pylist()
    got = {r["tran_id"]: (r["chain_bwd"], r["chain_fwd"]) for r in out}
    assert got[1] == (0, 3)  # four hops follow, counted up to three
    assert got[3] == (2, 2)
    assert got[5] == (3, 0)  # P6 pays Q 20 days later
    assert got[9] == (0, 0)
