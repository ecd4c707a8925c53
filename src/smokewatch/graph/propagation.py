"""Bounded, explained risk propagation from red and orange entities to their neighbours.

A *seed* is an enterprise node with a grade. Each seed passes points to the enterprises it is
linked to, through at most ``hops`` edges, with every step multiplied by the edge kind's
factor and a decay; what a neighbour receives is capped at :data:`CAP` (the network dimension
must never dominate an index). Every contribution is a row with its seed, the path's edge
kinds and the hop count, so a neighbour's network points are explained line by line.

Paths run over the undirected graph; a path through a person or an attribute node counts as
one hop between the two enterprises (enterprise → 张三 → enterprise is one hop, kind
``legal_representative``). A person known only by name and city (``p:张三@3402``) is weak
evidence that two enterprises are related — many people share a name — so such a link has the
kind ``same_name`` and a small factor. Computed with SQL through the Engine, one materialised
table per hop, so it runs on DuckDB and Spark.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import count

import ibis
import ibis.expr.types as ir

from smokewatch.engine.base import Engine

SEED_POINTS: Mapping[str, float] = {"red": 20.0, "orange": 10.0}
"""Points a seed of each grade passes to a direct neighbour before the kind factor."""
KIND_FACTOR: Mapping[str, float] = {
    "owns": 1.0,
    "legal_representative": 0.8,
    "director": 0.6,
    "supervisor": 0.4,
    "manager": 0.5,
    "partner": 0.8,
    "has_phone": 0.6,
    "has_address": 0.4,
    "transfers": 0.5,
    "same_name": 0.2,
}
DECAY = 0.5
"""Factor per further hop."""
CAP = 15.0
"""Most network points one entity can receive in total."""

_RUN = count()


def enterprise_links(edges: ir.Table) -> ir.Table:
    """Enterprise-to-enterprise links (both directions) with the kind and factor of each.

    Direct ``owns`` and ``transfers`` edges between enterprises count as they are; two
    enterprises sharing a person or an attribute node are linked with the kind of the (weaker)
    edge, ``same_name`` for a person known by name only.
    """
    factor = ibis.cases(
        *((edges.kind == k, ibis.literal(v)) for k, v in KIND_FACTOR.items()),
        else_=ibis.literal(0.3),
    )
    e = edges.mutate(factor=factor.cast("float64"))
    direct = e.filter(e.src.startswith("e:") & e.dst.startswith("e:")).select(
        a="src", b="dst", kind="kind", factor="factor"
    )
    via = e.filter(~e.src.startswith("e:") | ~e.dst.startswith("e:"))
    via = via.select(
        ent=ibis.cases((via.src.startswith("e:"), via.src), else_=via.dst),
        hub=ibis.cases((via.src.startswith("e:"), via.dst), else_=via.src),
        kind="kind",
        factor="factor",
    )
    name_only = via.hub.startswith("p:") & via.hub.contains("@")
    via = via.mutate(
        kind=ibis.cases((name_only, ibis.literal("same_name")), else_=via.kind),
        factor=ibis.cases(
            (name_only, ibis.literal(KIND_FACTOR["same_name"])), else_=via.factor
        ).cast("float64"),
    )
    right = via.view()
    shared = via.join(right, (via.hub == right.hub) & (via.ent != right.ent)).select(
        a=via.ent,
        b=right.ent,
        kind=via.kind,
        factor=ibis.least(via.factor, right.factor),
    )
    both = direct.union(direct.select(a="b", b="a", kind="kind", factor="factor"))
    return both.union(shared, distinct=False)


def propagate(engine: Engine, edges: ir.Table, seeds: ir.Table, *, out: str, hops: int = 2) -> str:
    """Write contributions to the engine table ``out``.

    ``seeds`` has columns ``node`` and ``grade``. The output has one row per (target, seed,
    path): ``target``, ``seed``, ``seed_grade``, ``hops``, ``path`` (edge kinds joined by
    ``>``), ``points``; :func:`network_points` sums and caps them.
    """
    tag = f"__sw_prop{next(_RUN)}"
    links_name = f"{tag}_links"
    engine.replace_tables({links_name: enterprise_links(edges)})
    links = engine.table(links_name)
    points = ibis.cases(
        *((seeds.grade == g, ibis.literal(p)) for g, p in SEED_POINTS.items()),
        else_=ibis.literal(0.0),
    )
    frontier = seeds.select(
        seed="node", seed_grade="grade", node="node", hops=ibis.literal(0).cast("int64"),
        path=ibis.literal(""), points=points.cast("float64"),
    )  # fmt: skip
    names = [links_name]
    results: list[ir.Table] = []
    for hop in range(1, hops + 1):
        step = frontier.join(links, frontier.node == links.a).filter(links.b != frontier.seed)
        step = step.select(
            seed=frontier.seed,
            seed_grade=frontier.seed_grade,
            node=links.b,
            hops=ibis.literal(hop).cast("int64"),
            path=ibis.cases(
                (frontier.path == "", links.kind), else_=frontier.path + ">" + links.kind
            ),
            points=(frontier.points * links.factor * (DECAY if hop > 1 else 1.0)).cast("float64"),
        )
        best = step.group_by("seed", "seed_grade", "node", "hops").agg(
            points=step.points.max(), path=step.path.argmax(step.points)
        )
        name = f"{tag}_h{hop}"
        engine.replace_tables({name: best})
        names.append(name)
        frontier = engine.table(name)
        results.append(frontier)
    union = results[0]
    for part in results[1:]:
        union = union.union(part, distinct=False)
    seeds_only = seeds.select(node="node")
    union = union.anti_join(seeds_only, union.node == seeds_only.node)
    shortest = union.group_by("seed", "node").agg(hops=union.hops.min())
    kept = union.join(shortest, (union.seed == shortest.seed) & (union.node == shortest.node)
                      & (union.hops == shortest.hops))  # fmt: skip
    result = kept.select(
        target=union.node,
        seed=union.seed,
        seed_grade=union.seed_grade,
        hops=union.hops,
        path=union.path,
        points=union.points.round(4),
    )
    engine.replace_tables({out: result})
    for name in names:
        engine.drop_table(name)
    return out


def network_points(engine: Engine, contributions: str) -> ir.Table:
    """Per target: the capped sum of its contributions and how many seeds reached it."""
    c = engine.table(contributions)
    total = c.group_by("target").agg(raw=c.points.sum(), seeds=c.seed.nunique())
    return total.select("target", "seeds", points=ibis.least(total.raw, ibis.literal(CAP)).round(4))


__all__ = [
    "CAP",
    "DECAY",
    "KIND_FACTOR",
    "SEED_POINTS",
    "enterprise_links",
    "network_points",
    "propagate",
]
