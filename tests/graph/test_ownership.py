"""Ownership penetration: cumulative shares through layers, cycles cut and reported."""

from __future__ import annotations

import pytest

from smokewatch.engine import Engine
from smokewatch.graph.edges import all_edges
from smokewatch.graph.ownership import penetrate


@pytest.fixture
def graph(planted: Engine) -> Engine:
    planted.replace_tables({"graph_edge": all_edges(planted)})
    return planted


def test_layered_holdings_multiply_and_paths_add_up(graph: Engine) -> None:
    result = penetrate(graph, "e:e1")
    shares = {o.node: o.share for o in result.owners}
    # 周九 50 % directly; 钱七 80 % of 60 % of 50 % = 24 %; 吴十 20 % × 60 % × 50 % = 6 %
    assert shares == {"p:pz": 0.5, "p:pq": 0.24, "p:pw": 0.06}
    assert [o.node for o in result.owners if o.beneficial] == ["p:pz"]
    assert result.cycle_share == pytest.approx(0.2)  # 50 % × 40 % into the h2 ↔ h3 cycle
    assert sum(shares.values()) + result.unknown_share + result.cycle_share == pytest.approx(1)
    (cycle,) = result.cycles
    assert set(cycle) == {"e:h2", "e:h3"}


def test_a_lower_threshold_makes_more_beneficial_owners(graph: Engine) -> None:
    result = penetrate(graph, "e:e1", threshold=0.2)
    assert {o.node for o in result.owners if o.beneficial} == {"p:pz", "p:pq"}
    (qian,) = [o for o in result.owners if o.node == "p:pq"]
    assert qian.paths == ((("p:pq", 0.8), ("e:h1", 0.6), ("e:h2", 0.5)),)


def test_depth_limits_are_reported(graph: Engine) -> None:
    result = penetrate(graph, "e:e1", max_depth=1)
    assert result.truncated
    assert {o.node for o in result.owners} == {"p:pz", "e:h2"}
