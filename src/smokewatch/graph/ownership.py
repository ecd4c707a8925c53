"""Ownership penetration (股权穿透): ultimate beneficial owners with cumulative shares.

:func:`penetrate` walks the ``owns`` edges upwards from an enterprise. The holdings above it
are fetched level by level from the engine (one query per level, at most ``max_depth``), then
every path from a top holder down to the enterprise is followed in Python: a path's share is
the product of its shares, and a holder's cumulative share is the sum over its paths.

* **Cycles** (A holds B, B holds A) are cut where a path would meet a node already on it; the
  cycle is reported and the share flowing into it is counted once, as ``cycle_share``, not
  infinitely — owners' shares, ``unknown_share`` and ``cycle_share`` add up to 1.
* A **top holder** is one nobody is recorded to hold: a natural person, or an organisation
  whose holders are unknown (reported as such: penetration stops there).
* **Beneficial owners** are natural persons whose cumulative share reaches ``threshold``
  (25 %: 《受益所有人信息管理办法》(2024) 第六条 counts 25 % of equity, directly or indirectly).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from smokewatch.engine.base import Engine

THRESHOLD = 0.25
MAX_DEPTH = 10


@dataclass(frozen=True, slots=True)
class Holding:
    """One ``owns`` edge: ``holder`` holds ``share`` of ``held``."""

    holder: str
    held: str
    share: float
    label: str


@dataclass(frozen=True, slots=True)
class Owner:
    """A top holder of the enterprise with its cumulative share and the paths behind it."""

    node: str
    name: str
    kind: str
    """``person`` or ``organisation`` (an organisation with no recorded holders)."""
    share: float
    paths: tuple[tuple[tuple[str, float], ...], ...]
    """Each path from the owner down: (node, share of the next node held by it)."""
    beneficial: bool


@dataclass
class Penetration:
    """The result of :func:`penetrate`."""

    target: str
    owners: list[Owner]
    cycles: list[tuple[str, ...]] = field(default_factory=list)
    unknown_share: float = 0.0
    """Share of the target not traced to a top holder (recorded holdings under 100 %)."""
    cycle_share: float = 0.0
    """Share that flows into a cross-holding cycle (counted once, at the cut)."""
    truncated: bool = False
    """True when ``max_depth`` stopped the walk."""


Holders = Callable[[list[str]], Iterable[Holding]]
"""Given enterprises (node ids), the ``owns`` edges into them."""


def engine_holders(engine: Engine, edges: str = "graph_edge") -> Holders:
    """The holdings above some enterprises, read from the engine's edge table."""
    table = engine.table(edges)
    owns = table.filter(table.kind == "owns")

    def holders(held: list[str]) -> list[Holding]:
        rows = engine.to_arrow(
            owns.filter(owns.dst.isin(held)).select("src", "dst", "weight", "label"),
            step="ownership",
        ).to_pylist()
        return [
            Holding(r["src"], r["dst"], float(r["weight"] or 0.0), r["label"] or "") for r in rows
        ]

    return holders


def _holdings_above(
    holders: Holders, target: str, max_depth: int
) -> tuple[dict[str, list[Holding]], bool]:
    above: dict[str, list[Holding]] = {}
    frontier, seen = {target}, {target}
    depth = 0
    while frontier and depth < max_depth:
        depth += 1
        found = holders(sorted(frontier))
        frontier = set()
        for holding in found:
            above.setdefault(holding.held, []).append(holding)
            if holding.holder not in seen:
                seen.add(holding.holder)
                frontier.add(holding.holder)
    return above, bool(frontier)


def penetrate(
    engine: Engine,
    target: str,
    *,
    edges: str = "graph_edge",
    threshold: float = THRESHOLD,
    max_depth: int = MAX_DEPTH,
) -> Penetration:
    """Ultimate owners of ``target`` (a node id such as ``e:…``); see the module docstring."""
    return penetrate_with(
        engine_holders(engine, edges), target, threshold=threshold, max_depth=max_depth
    )


def penetrate_with(
    holders: Holders, target: str, *, threshold: float = THRESHOLD, max_depth: int = MAX_DEPTH
) -> Penetration:
    """:func:`penetrate` over any source of holdings (the engine, or a published read model)."""
    above, truncated = _holdings_above(holders, target, max_depth)
    result = Penetration(target, [], truncated=truncated)
    totals: dict[str, float] = {}
    paths: dict[str, list[tuple[tuple[str, float], ...]]] = {}
    names: dict[str, str] = {}

    def walk(
        node: str, share: float, path: tuple[tuple[str, float], ...], on_path: set[str]
    ) -> None:
        held_by = above.get(node, [])
        if not held_by and node != target:
            totals[node] = totals.get(node, 0.0) + share
            paths.setdefault(node, []).append(path)
            return
        traced = 0.0
        for holding in held_by:
            traced += holding.share
            names.setdefault(holding.holder, holding.label)
            step = ((holding.holder, holding.share), *path)
            if holding.holder in on_path:
                cycle = (holding.holder, node, *[n for n, _ in path])
                cycle = (
                    cycle[: cycle.index(holding.holder, 1) + 1]
                    if holding.holder in cycle[1:]
                    else cycle
                )
                if cycle not in result.cycles:
                    result.cycles.append(cycle)
                result.cycle_share += share * holding.share
                continue
            walk(holding.holder, share * holding.share, step, on_path | {holding.holder})
        if held_by:
            result.unknown_share += share * max(0.0, 1.0 - traced)

    walk(target, 1.0, (), {target})
    for node, share in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])):
        kind = "person" if node.startswith("p:") else "organisation"
        result.owners.append(
            Owner(
                node=node,
                name=names.get(node, node),
                kind=kind,
                share=round(share, 6),
                paths=tuple(paths[node]),
                beneficial=kind == "person" and share >= threshold - 1e-9,
            )
        )
    result.unknown_share = round(result.unknown_share, 6)
    result.cycle_share = round(result.cycle_share, 6)
    return result


__all__ = [
    "MAX_DEPTH",
    "THRESHOLD",
    "Holders",
    "Holding",
    "Owner",
    "Penetration",
    "engine_holders",
    "penetrate",
    "penetrate_with",
]
