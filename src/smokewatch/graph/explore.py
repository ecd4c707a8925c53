"""Looking around one node: its k-hop neighbourhood and its family, from engine tables.

:func:`neighbourhood` expands a frontier one hop at a time with one engine query per hop
(edges are followed in both directions), stopping at ``hops`` or when more than ``max_nodes``
nodes were reached (reported). :func:`family` reads the family table that ``graph build``
writes (``graph_family``: node, family, size) and returns the family's nodes and edges.

Engines return unordered rows in whatever order they hold them (DuckDB in insertion order,
Spark by partition), so every read here is ordered: the edges come sorted by
:data:`EDGE_ORDER` and the frontier is expanded in that order too. The same graph then gives
the same subgraph on every engine — the same edge list, the same edge ids in an export, the
same label when a node's edges name it differently, the same nodes kept when ``max_nodes``
truncates a neighbourhood.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smokewatch.engine.base import Engine
from smokewatch.errors import NotFound

EDGES = "graph_edge"
FAMILIES = "graph_family"
EDGE_ORDER = ("src", "dst", "kind", "weight", "label")
"""Every column of an edge: a total order, so no two engines can order ties differently."""


@dataclass
class Subgraph:
    """Nodes (with the hop at which each was reached) and the edges among them."""

    center: str
    nodes: dict[str, int]
    edges: list[dict[str, Any]]
    truncated: bool = False
    family: str | None = None
    labels: dict[str, str] = field(default_factory=dict)


def _labels(edges: list[dict[str, Any]]) -> dict[str, str]:
    """A display label per node: what the sources wrote for people and attributes."""
    out: dict[str, str] = {}
    for edge in edges:
        if not edge["src"].startswith("e:") and edge.get("label"):
            out.setdefault(edge["src"], edge["label"])
        if not edge["dst"].startswith("e:") and edge.get("label"):
            out.setdefault(edge["dst"], edge["label"])
    return out


def neighbourhood(engine: Engine, center: str, *, hops: int = 2, max_nodes: int = 500) -> Subgraph:
    """Nodes within ``hops`` of ``center`` and the edges between them."""
    if not engine.has_table(EDGES):
        raise NotFound("no graph yet: run `smokewatch graph build` first")
    table = engine.table(EDGES)
    reached = {center: 0}
    frontier = {center}
    truncated = False
    for hop in range(1, hops + 1):
        if not frontier:
            break
        keys = sorted(frontier)
        rows = engine.to_arrow(
            table.filter(table.src.isin(keys) | table.dst.isin(keys))
            .select("src", "dst")
            .order_by("src", "dst"),
            step="neighbourhood",
        ).to_pylist()
        frontier = set()
        for row in rows:
            for node in (row["src"], row["dst"]):
                if node not in reached:
                    if len(reached) >= max_nodes:
                        truncated = True
                        continue
                    reached[node] = hop
                    frontier.add(node)
    keys = sorted(reached)
    edges = engine.to_arrow(
        table.filter(table.src.isin(keys) & table.dst.isin(keys)).order_by(*EDGE_ORDER),
        step="neighbourhood edges",
    ).to_pylist()
    if len(reached) == 1 and not edges:
        raise NotFound(f"{center} is not in the graph")
    return Subgraph(center, reached, edges, truncated, labels=_labels(edges))


def family(engine: Engine, node: str, *, max_nodes: int = 2000) -> Subgraph:
    """Every node of ``node``'s family and the edges among them."""
    if not engine.has_table(FAMILIES):
        raise NotFound("no families yet: run `smokewatch graph build` first")
    fam = engine.table(FAMILIES)
    found = engine.to_arrow(fam.filter(fam.node == node).select("family"), step="family")
    if found.num_rows == 0:
        raise NotFound(f"{node} is in no family (not in the graph)")
    family_id = found["family"][0].as_py()
    members = engine.to_arrow(
        fam.filter(fam.family == family_id).select("node").order_by("node").limit(max_nodes + 1),
        step="family members",
    )["node"].to_pylist()
    truncated = len(members) > max_nodes
    members = members[:max_nodes]
    table = engine.table(EDGES)
    edges = engine.to_arrow(
        table.filter(table.src.isin(members) & table.dst.isin(members)).order_by(*EDGE_ORDER),
        step="family edges",
    ).to_pylist()
    return Subgraph(
        node, dict.fromkeys(members, 0), edges, truncated, family_id, labels=_labels(edges)
    )


__all__ = ["EDGES", "EDGE_ORDER", "FAMILIES", "Subgraph", "family", "neighbourhood"]
