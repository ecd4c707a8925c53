"""Graph features of the transfer graph: the same numbers on every engine."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from smokewatch.engine.base import Engine
from smokewatch.graph.transfers import GraphWindows, transfer_graph_features
from tests.graph.transfer_rows import transfer_table

# A scatter-gather A → R1, R2 → B; a regular relation C → D paid back once; day numbers.
ROWS = [
    (1, "A", "R1", 0, 100.0),
    (2, "A", "R2", 0, 100.0),
    (3, "R1", "B", 2, 100.0),
    (4, "R2", "B", 3, 100.0),
    (5, "C", "D", 0, 50.0),
    (6, "C", "D", 30, 50.0),
    (7, "D", "C", 31, 20.0),
]


def _features(engine: Engine, windows: GraphWindows | None = None) -> dict[int, dict[str, Any]]:
    view = engine.register("tx_transfer", transfer_table(ROWS))
    out = engine.to_arrow(transfer_graph_features(view, windows))
    return {row["tran_id"]: row for row in out.to_pylist()}


def test_every_transfer_keeps_one_row_with_its_relation(engine: Engine) -> None:
    rows = _features(engine)
    assert sorted(rows) == [1, 2, 3, 4, 5, 6, 7]
    assert (rows[6]["pair_n"], rows[6]["pair_seq"], rows[6]["reverse_n"]) == (2, 2, 1)
    assert (rows[5]["pair_seq"], rows[5]["pair_first"], rows[5]["pair_last"]) == (1, 0, 30)
    assert rows[1]["reverse_n"] == 0


def test_lifetime_degrees_count_distinct_counterparties_and_same_amounts(engine: Engine) -> None:
    rows = _features(engine)
    assert (rows[1]["o_out_n"], rows[1]["o_out_cp"], rows[1]["o_in_n"]) == (2, 2, 0)
    assert (rows[3]["b_in_n"], rows[3]["b_in_cp"]) == (2, 2)
    assert rows[1]["o_same_amount"] == 2
    assert rows[3]["b_same_amount"] == 2
    assert rows[5]["o_active_days"] == 3  # C: days 0, 30 and 31 (paid back)


def test_windows_look_back_and_ahead_from_the_transfer_day(engine: Engine) -> None:
    rows = _features(engine)
    assert rows[3]["bw_in_n_p"] == 1  # B on day 2: only this receipt so far
    assert rows[3]["bw_in_n_f"] == 2  # and one more on day 3
    assert rows[1]["bw_out_n_f"] == 1  # R1 passes the money on within the window
    assert rows[1]["ow_new_out_p"] == 2  # A paid two new payees that day
    assert rows[6]["ow_out_n_p"] == 1  # C's day-0 payment is outside [20, 30]
    short = _features(engine, GraphWindows(window=0))
    assert short[3]["bw_in_n_f"] == 1


def test_scatter_gather_legs_count_parallel_relays(engine: Engine) -> None:
    rows = _features(engine)
    assert rows[1]["sg_first_leg"] == rows[2]["sg_first_leg"] == 2
    assert rows[3]["sg_second_leg"] == rows[4]["sg_second_leg"] == 2
    assert rows[5]["sg_first_leg"] == rows[5]["sg_second_leg"] == rows[5]["sg_relays"] == 0


def test_relays_with_many_counterparties_are_not_followed(engine: Engine) -> None:
    rows = _features(engine, GraphWindows(relay_max_counterparties=1))
    assert rows[1]["sg_first_leg"] == 0
    assert rows[3]["sg_second_leg"] == 0


def _chain_rows(engine: Engine) -> dict[int, dict[str, Any]]:
    """A → B → C → D → E, one-off payments a day or two apart; F pays G weekly (regular)."""
    rows = [
        (1, "A", "B", 0, 10.0),
        (2, "B", "C", 1, 10.0),
        (3, "C", "D", 3, 10.0),
        (4, "D", "E", 4, 10.0),
        (5, "E", "X", 40, 10.0),  # too late: not a hop
        *[(10 + i, "F", "G", 7 * i, 5.0) for i in range(4)],
        (20, "G", "H", 8, 5.0),
    ]
    ids, orig, bene, day, amount = zip(*rows, strict=True)
    table = pa.table(
        {
            "tran_id": pa.array(ids, pa.int64()),
            "orig": pa.array(orig, pa.string()),
            "bene": pa.array(bene, pa.string()),
            "day": pa.array(day, pa.int32()),
            "amount": pa.array(amount, pa.float64()),
        }
    )
    view = engine.register("tx_chain", table)
    out = engine.to_arrow(transfer_graph_features(view, chains=True))
    return {row["tran_id"]: row for row in out.to_pylist()}


def test_one_off_payments_passed_on_within_days_form_a_chain(engine: Engine) -> None:
    rows = _chain_rows(engine)
    hops = {
        i: (r["chain_prev2"], r["chain_prev"], r["chain_next"], r["chain_next2"])
        for i, r in rows.items()
    }
    assert hops[1] == (0, 0, 1, 1)  # B passes it on to C, who passes it on again
    assert hops[2] == (0, 1, 1, 1)
    assert hops[3] == (1, 1, 1, 0)  # D's payment to E is not passed on within the week
    assert hops[4] == (1, 1, 0, 0)
    assert hops[5] == (0, 0, 0, 0)  # 36 days after E received
    assert hops[11][1] == 0  # the regular payer F received nothing
    assert hops[20][1] == 0  # G's receipts from F are a regular relation, not one-offs
    totals = {i: (r["chain_prev_all"], r["chain_next_all"]) for i, r in rows.items()}
    assert totals[1] == (0, 1) and totals[3] == (1, 1)  # every payment / receipt counts
    assert totals[20] == (1, 0)  # G's regular receipt from F on day 7 counts here


def test_chains_are_not_computed_unless_asked(engine: Engine) -> None:
    rows = _features(engine, GraphWindows())
    assert not any(c.startswith("chain_") for c in next(iter(rows.values())))
