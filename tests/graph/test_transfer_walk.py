"""Relayed money: one-off relations within days of a transfer, and a relation's lone payments."""

from __future__ import annotations

import bisect
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from smokewatch.engine.base import Engine
from smokewatch.engine.connect import connect
from smokewatch.graph.transfer_walk import WALK_COLUMNS
from smokewatch.graph.transfers import transfer_graph_features
from smokewatch.settings import EngineSettings
from tests.graph.transfer_rows import transfer_table

# Money walks A → B → C → D → E on relations used once, 1–3 days apart; D → E is also a
# relation used on day 200, so that hop is not a one-off but lonely. F pays G every week, and
# on day 2 pays H, who pays Z the next day: both used once, but so close to the file's first
# day (0) that nobody can tell whether they repeat — not one-offs.
ROWS = [
    (1, "A", "B", 100, 10.0),
    (2, "B", "C", 101, 10.0),
    (3, "C", "D", 103, 10.0),
    (4, "D", "E", 106, 10.0),
    (5, "D", "E", 200, 10.0),
    *[(10 + i, "F", "G", 7 * i, 5.0) for i in range(4)],  # days 0, 7, 14, 21
    (20, "F", "H", 2, 5.0),
    (21, "B", "G", 14, 5.0),
    (22, "H", "Z", 3, 5.0),
]


def _walk(engine: Engine, rows: list[tuple[int, str, str, int, float]]) -> dict[int, Any]:
    view = engine.register("tx_walk_case", transfer_table(rows))

    def stage(name: str, expr: Any) -> Any:
        engine.replace_tables({name: expr})
        return engine.table(name)

    out = engine.to_arrow(transfer_graph_features(view, walk=True, stage=stage))
    return {row["tran_id"]: row for row in out.to_pylist()}


def test_a_lone_payment_is_far_from_the_relations_other_payments(engine: Engine) -> None:
    rows = _walk(engine, ROWS)
    assert rows[4]["pair_isolation"] == rows[5]["pair_isolation"] == 94  # D → E: days 106, 200
    assert rows[11]["pair_isolation"] == 7  # F → G weekly


def test_a_relation_used_once_is_as_isolated_as_the_file_is_long_on_its_shorter_side(
    engine: Engine,
) -> None:
    rows = _walk(engine, ROWS)  # the file covers days 0 to 200
    assert rows[1]["pair_isolation"] == 100  # A → B on day 100
    assert rows[3]["pair_isolation"] == 97  # C → D on day 103: 97 days to the file's end
    assert rows[20]["pair_isolation"] == 2  # F → H on day 2: may well have been paid before


def test_one_off_neighbours_count_the_days_before_and_after_but_not_the_same_day(
    engine: Engine,
) -> None:
    rows = _walk(engine, ROWS)
    walk = {i: (r["walk_prev"], r["walk_next"]) for i, r in rows.items()}
    assert walk[1] == (0, 1)  # B passes it on to C the next day
    assert walk[2] == (1, 1)  # B had it from A a day before; C pays D two days later
    assert walk[3] == (1, 0)  # D's payment to E is three days later but not a one-off
    assert walk[4] == (1, 0)  # D had a one-off from C three days before
    assert walk[12] == (0, 0)  # F's weekly payment: G pays only on its own relation
    assert walk[20] == (0, 0)  # H pays Z the next day, but on day 3 nobody knows if it repeats
    days = {i: (r["walk_prev_days"], r["walk_next_days"]) for i, r in rows.items()}
    assert days[2] == (1, 2)
    assert days[4] == (3, None)
    assert days[10] == (None, None)  # nothing within a week


def test_second_order_neighbours_are_walks_of_three_hops(engine: Engine) -> None:
    rows = _walk(engine, ROWS)
    second = {i: (r["walk_prev2"], r["walk_next2"]) for i, r in rows.items()}
    assert second[1] == (0, 1)  # B → C is passed on again (C → D)
    assert second[2] == (0, 0)  # C → D is not (D → E is an old relation)
    assert second[3] == (1, 0)  # D's receipt from C came after C's receipt from B
    assert second[4] == (1, 0)  # D's one-off receipt from C was itself passed down a walk
    assert second[21] == (0, 0)  # B → G on day 14: nothing around it


def test_walk_columns_are_not_computed_unless_asked(engine: Engine) -> None:
    view = engine.register("tx_walk_off", transfer_table(ROWS))
    columns = engine.to_arrow(transfer_graph_features(view).limit(1)).column_names
    assert not set(WALK_COLUMNS) & set(columns)


def _reference(
    rows: list[dict[str, Any]], days: int, nearest: int, quiet: int
) -> dict[int, tuple[Any, ...]]:
    """The walk columns by plain Python: a second computation to compare the engine with."""
    n: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for r in rows:
        n[(r["orig"], r["bene"])].append((r["day"], r["tran_id"]))
    first_day = min(r["day"] for r in rows)
    last_day = max(r["day"] for r in rows)
    isolation: dict[int, int] = {}
    for pair in n.values():
        pair.sort()
        for i, (day, tid) in enumerate(pair):
            gaps = [day - pair[i - 1][0]] if i else []
            gaps += [pair[i + 1][0] - day] if i + 1 < len(pair) else []
            isolation[tid] = min(gaps) if gaps else min(day - first_day, last_day - day)
    once = [
        r for r in rows if len(n[(r["orig"], r["bene"])]) == 1 and isolation[r["tran_id"]] >= quiet
    ]
    paid: dict[str, list[int]] = defaultdict(list)  # one-off payments by payer
    got: dict[str, list[int]] = defaultdict(list)  # one-off receipts by payee
    for r in once:
        paid[r["orig"]].append(r["day"])
        got[r["bene"]].append(r["day"])
    for lists in (paid, got):
        for v in lists.values():
            v.sort()

    def count(v: list[int], lo: int, hi: int) -> int:
        return bisect.bisect_right(v, hi) - bisect.bisect_left(v, lo)

    def after(r: dict[str, Any]) -> tuple[int, int | None]:
        v, d = paid.get(r["bene"], []), r["day"]
        i = bisect.bisect_left(v, d + 1)
        near = v[i] - d if i < len(v) and v[i] <= d + nearest else None
        return count(v, d + 1, d + days), near

    def before(r: dict[str, Any]) -> tuple[int, int | None]:
        v, d = got.get(r["orig"], []), r["day"]
        i = bisect.bisect_right(v, d - 1) - 1
        near = d - v[i] if i >= 0 and v[i] >= d - nearest else None
        return count(v, d - days, d - 1), near

    first = {r["tran_id"]: (before(r), after(r)) for r in rows}
    onward: dict[str, list[int]] = defaultdict(list)  # one-offs passed on, by payer
    backward: dict[str, list[int]] = defaultdict(list)  # one-offs after one, by payee
    for r in once:
        (prev_n, _), (next_n, _) = first[r["tran_id"]]
        if next_n:
            onward[r["orig"]].append(r["day"])
        if prev_n:
            backward[r["bene"]].append(r["day"])
    for lists in (onward, backward):
        for v in lists.values():
            v.sort()
    out = {}
    for r in rows:
        (prev_n, prev_d), (next_n, next_d) = first[r["tran_id"]]
        d = r["day"]
        prev2 = count(backward.get(r["orig"], []), d - days, d - 1)
        next2 = count(onward.get(r["bene"], []), d + 1, d + days)
        out[r["tran_id"]] = (isolation[r["tran_id"]], prev_n, next_n, prev_d, next_d, prev2, next2)
    return out


def test_every_ews12k_transfer_matches_a_plain_python_computation(shared_data: Path) -> None:
    from smokewatch.score.ml.transfers import data  # noqa: PLC0415

    transfers = data.read_transfers(shared_data / "amlsim/ews12k" / data.TRANSACTIONS)
    engine = connect("duckdb://:memory:", EngineSettings())
    try:
        view = engine.register("tx_transfer", transfers)

        def stage(name: str, expr: Any) -> Any:
            engine.replace_tables({name: expr})
            return engine.table(name)

        out = engine.to_arrow(transfer_graph_features(view, walk=True, stage=stage))
    finally:
        engine.close()
    rows = transfers.to_pylist()
    expected = _reference(rows, days=3, nearest=7, quiet=30)
    computed = {r["tran_id"]: tuple(r[c] for c in WALK_COLUMNS) for r in out.to_pylist()}
    assert computed == expected
    relayed = sum(1 for v in expected.values() if v[1] or v[2])
    assert 0 < relayed < len(rows)  # the check is not vacuous


@pytest.mark.slow
@pytest.mark.spark
def test_spark_gives_duckdb_s_walk_columns_on_real_transfers(
    shared_data: Path, tmp_path: Path
) -> None:
    from smokewatch.score.ml.transfers import data  # noqa: PLC0415

    transfers = data.read_transfers(shared_data / "amlsim/ews12k" / data.TRANSACTIONS)
    transfers = transfers.slice(0, 30000)  # 12 weeks: one-offs, walks and the file's edges
    got = []
    for url, settings, folder in (
        ("duckdb://:memory:", EngineSettings(), None),
        ("spark://local[2]", EngineSettings(spark_shuffle_partitions=2), tmp_path / "warehouse"),
    ):
        engine = connect(url, settings, data_dir=folder) if folder else connect(url, settings)
        try:
            view = engine.register("tx_transfer", transfers)

            def stage(name: str, expr: Any, engine: Engine = engine) -> Any:
                engine.replace_tables({name: expr})
                return engine.table(name)

            out = engine.to_arrow(transfer_graph_features(view, walk=True, stage=stage))
        finally:
            engine.close()
        got.append(sorted(tuple(r[c] for c in ("tran_id", *WALK_COLUMNS)) for r in out.to_pylist()))
    assert got[0] == got[1]
    assert any(row[2] or row[3] for row in got[0])  # some transfers have one-off neighbours
