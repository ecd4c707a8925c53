"""Connected components by iterative SQL through the Engine (runs on DuckDB and Spark).

Min-label propagation with hooking and pointer jumping: every node starts with its own id as
label; each round a node takes the smallest label among itself and its neighbours, the node
its label names (the root of its tree) takes it too (hooking, which merges trees instead of
walking chains), then every node takes, twice, the label of its label (pointer jumping).
Every step is materialised by the engine (``CREATE TABLE … AS`` on DuckDB, a Parquet version
on Spark), so plans never grow and self-joins are joins of two relations; the loop stops when a
round changes no label, or after ``max_rounds`` (reported: the labels are then incomplete).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

import ibis
import ibis.expr.types as ir

from smokewatch.engine.base import Engine

_RUN = count()


@dataclass(frozen=True, slots=True)
class Components:
    """Labels (``node``, ``component``) as an engine table, and how many rounds it took."""

    table: str
    rounds: int
    converged: bool


def _materialise(engine: Engine, name: str, expr: ir.Table) -> ir.Table:
    engine.replace_tables({name: expr})
    return engine.table(name)


def _jump(engine: Engine, name: str, labels: ir.Table) -> ir.Table:
    """Materialise ``labels`` as ``name``, then point each node at its label's label.

    A node takes the label of its label when smaller (pointer jumping). The self-join is over
    a materialised table and its view, so the two sides stay two relations.
    """
    table = _materialise(engine, name, labels)
    hop = table.view()
    return table.left_join(hop, table.label == hop.node).select(
        node=table.node, label=ibis.least(table.label, ibis.coalesce(hop.label, table.label))
    )


def connected_components(
    engine: Engine, edges: ir.Table, *, out: str, max_rounds: int = 60
) -> Components:
    """Label every node of ``edges`` with its component's smallest node id.

    ``edges`` has the columns ``src`` and ``dst``; the labels go to the engine table ``out``.
    """
    tag = f"__sw_cc{next(_RUN)}"
    pairs = edges.select(a=edges.src, b=edges.dst).filter(lambda t: t.a != t.b)
    both = pairs.union(pairs.select(a=pairs.b, b=pairs.a), distinct=True)
    links = _materialise(engine, f"{tag}_links", both)
    nodes = links.select(node=links.a).distinct()
    labels = _materialise(engine, f"{tag}_l0", nodes.mutate(label=nodes.node))
    rounds, converged = 0, False
    names = [f"{tag}_links", f"{tag}_l0"]
    while rounds < max_rounds:
        rounds += 1
        mine, theirs = labels.view(), labels.view()
        seen = links.join(mine, links.a == mine.node).join(theirs, links.b == theirs.node)
        seen = seen.select(a=links.a, mine=mine.label, theirs=theirs.label)
        offered = seen.select(node=seen.a, label=seen.theirs)
        hooked = seen.select(node=seen.mine, label=seen.theirs)  # the root adopts it too
        best = (
            labels.union(offered, distinct=False)
            .union(hooked, distinct=False)
            .group_by("node")
            .agg(label=ibis._.label.min())
        )
        jumped = _jump(engine, f"{tag}_j{rounds}", _jump(engine, f"{tag}_b{rounds}", best))
        scratch = [f"{tag}_b{rounds}", f"{tag}_j{rounds}"]
        name = f"{tag}_l{rounds}"
        new = _materialise(engine, name, jumped)
        changed = new.join(labels, new.node == labels.node).filter(new.label != labels.label)
        still_changing = engine.count(changed, step="components") > 0
        engine.drop_table(names.pop())
        for table_name in scratch:
            engine.drop_table(table_name)
        names.append(name)
        labels = new
        if not still_changing:
            converged = True
            break
    result = labels.select(node=labels.node, component=labels.label)
    engine.replace_tables({out: result})
    for name in names:
        engine.drop_table(name)
    return Components(out, rounds, converged)


__all__ = ["Components", "connected_components"]
