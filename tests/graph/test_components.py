"""Families: connected components by iterative SQL, the same on every engine."""

from __future__ import annotations

import random

import pyarrow as pa

from smokewatch.engine import Engine
from smokewatch.graph.components import connected_components
from smokewatch.graph.edges import all_edges


def _groups(engine: Engine, table: str) -> set[frozenset[str]]:
    rows = engine.to_arrow(engine.table(table)).to_pylist()
    by: dict[str, set[str]] = {}
    for row in rows:
        by.setdefault(row["component"], set()).add(row["node"])
    return {frozenset(n for n in g if n.startswith("e:")) for g in by.values()}


def test_shared_people_phones_addresses_and_holdings_make_one_family(planted: Engine) -> None:
    planted.replace_tables({"graph_edge": all_edges(planted)})
    result = connected_components(planted, planted.table("graph_edge"), out="cc")
    assert result.converged
    groups = _groups(planted, "cc")
    family = {"e:e1", "e:e2", "e:e3", "e:e4", "e:h1", "e:h2", "e:h3"}
    assert frozenset(family) in groups
    assert frozenset({"e:e5"}) in groups


def test_long_chains_converge_in_few_rounds_and_stay_apart(engine: Engine) -> None:
    n = 200
    order = random.Random(3).sample(range(n), n)  # node ids in no helpful order
    src = [f"a{order[i]:04d}" for i in range(n - 1)] + [f"b{order[i]:04d}" for i in range(n - 1)]
    dst = [f"a{order[i + 1]:04d}" for i in range(n - 1)]
    dst += [f"b{order[i + 1]:04d}" for i in range(n - 1)]
    engine.replace_tables({"chain": pa.table({"src": src, "dst": dst})})
    result = connected_components(engine, engine.table("chain"), out="cc_chain")
    rows = engine.to_arrow(engine.table("cc_chain")).to_pylist()
    labels = {r["node"][0]: r["component"] for r in rows}
    assert {r["component"] for r in rows} == {"a0000", "b0000"}
    assert labels == {"a": "a0000", "b": "b0000"}
    assert len(rows) == 2 * n
    assert result.converged and result.rounds <= 12
    assert not any(t.startswith("__sw_cc") for t in engine.list_tables())
