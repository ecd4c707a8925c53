"""Families: connected components by iterative SQL, the same on every engine."""

from __future__ import annotations

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


def test_a_long_chain_converges_in_few_rounds(engine: Engine) -> None:
    n = 200
    chain = pa.table(
        {
            "src": [f"n{i:04d}" for i in range(n - 1)],
            "dst": [f"n{i + 1:04d}" for i in range(n - 1)],
        }
    )
    engine.replace_tables({"chain": chain})
    result = connected_components(engine, engine.table("chain"), out="cc_chain")
    labels = {r["component"] for r in engine.to_arrow(engine.table("cc_chain")).to_pylist()}
    assert labels == {"n0000"}
    assert result.converged and result.rounds < 20
    assert not any(t.startswith("__sw_cc") for t in engine.list_tables())
