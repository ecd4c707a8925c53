"""Connected components by iterative SQL through the Engine (runs on DuckDB and Spark).

Min-label propagation with pointer jumping: every node starts with its own id as label; each
round a node takes the smallest label among itself and its neighbours, then the label of its
label (which halves long chains). Each round's labels are materialised by the engine
(``CREATE TABLE … AS`` on DuckDB, a Parquet version on Spark), so the plan never grows; the
loop stops when a round changes no label, or after ``max_rounds`` (reported).
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
        offered = links.join(labels, links.b == labels.node).select(
            node=links.a, label=labels.label
        )
        best = labels.union(offered, distinct=False).group_by("node").agg(label=ibis._.label.min())
        hop = labels.view()
        jumped = best.left_join(hop, best.label == hop.node).select(
            node=best.node, label=ibis.least(best.label, ibis.coalesce(hop.label, best.label))
        )
        name = f"{tag}_l{rounds}"
        new = _materialise(engine, name, jumped)
        changed = new.join(labels, new.node == labels.node).filter(new.label != labels.label)
        still_changing = engine.count(changed, step="components") > 0
        engine.drop_table(names.pop())
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
