"""Clusters of records with stable canonical ids, respecting analysts' judgements.

:func:`cluster` builds entities from scored pairs in this order:

1. **must-links**: records judged *the same* by an analyst, and records sharing a USCC, are
   joined first, whatever the model says;
2. **cannot-links**: no join may put two records judged *not the same* into one entity, nor two
   different USCCs (two valid USCCs are two registrations);
3. **model links**: pairs at or above the threshold are joined from the most probable down
   (ties by record ids, so the result does not depend on input order), skipping a join that
   would break a cannot-link — that pair is reported as held apart.

The latest judgement of a pair wins. **Stable ids**: an entity keeps the id of the previous run
whose former members it holds most of (ties to the smaller id), so new records join existing
entities without renumbering them; an entity with no predecessor gets ``make_id("ent", its
smallest record id)``; an id that loses all its members is retired and reported as merged into
the entity that took them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa

from smokewatch.model.ids import make_id

ASSIGNMENT_SCHEMA = pa.schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("entity_id", pa.string(), nullable=False),
        pa.field("entity_size", pa.int64(), nullable=False),
        pa.field("joined_by", pa.string(), nullable=False),
    ]
)
"""One row per record; ``joined_by`` is ``alone``, ``judgement``, ``uscc`` or ``model``."""


@dataclass(frozen=True, slots=True)
class Judgement:
    """An analyst's decision on a pair of records."""

    left_id: str
    right_id: str
    same: bool
    actor: str
    at: datetime
    note: str = ""

    @property
    def pair(self) -> tuple[str, str]:
        """The pair, smaller id first."""
        a, b = sorted((self.left_id, self.right_id))
        return a, b


@dataclass(frozen=True, slots=True)
class Link:
    """A scored pair (``left_id < right_id`` is not required)."""

    left_id: str
    right_id: str
    probability: float


@dataclass
class Clustering:
    """Entities of one run and what the run could not do."""

    assignments: pa.Table
    held_apart: list[tuple[str, str, str]] = field(default_factory=list)
    """(left, right, reason) of model links skipped for a cannot-link."""
    merged: dict[str, str] = field(default_factory=dict)
    """Retired entity id → the entity that took its members."""

    def entity_of(self) -> dict[str, str]:
        """Record id → entity id."""
        return dict(
            zip(
                self.assignments["record_id"].to_pylist(),
                self.assignments["entity_id"].to_pylist(),
                strict=True,
            )
        )


class _Sets:
    """Union-find with per-set USCCs and cannot-link partners."""

    def __init__(self, ids: Iterable[str], uscc: Mapping[str, str | None]) -> None:
        self.parent = {i: i for i in ids}
        self.members = {i: {i} for i in self.parent}
        self.usccs = {i: ({uscc[i]} if uscc.get(i) else set()) for i in self.parent}
        self.apart: dict[str, set[str]] = {}
        self.how = dict.fromkeys(self.parent, "alone")

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def blocked(self, a: str, b: str) -> str | None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        if self.usccs[ra] and self.usccs[rb] and self.usccs[ra] != self.usccs[rb]:
            return "different USCCs"
        if not self.apart:
            return None
        small, large = sorted((ra, rb), key=lambda r: len(self.members[r]))
        for member in self.members[small]:
            if any(self.find(p) == large for p in self.apart.get(member, ())):
                return "judged not the same"
        return None

    def join(self, a: str, b: str, how: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)
        self.usccs[ra] |= self.usccs.pop(rb)
        for record in (a, b):
            if self.how[record] == "alone":
                self.how[record] = how


def _latest(judgements: Iterable[Judgement]) -> dict[tuple[str, str], Judgement]:
    latest: dict[tuple[str, str], Judgement] = {}
    for j in sorted(judgements, key=lambda j: j.at):
        latest[j.pair] = j
    return latest


def cluster(
    record_ids: Iterable[str],
    links: Iterable[Link],
    *,
    threshold: float,
    uscc: Mapping[str, str | None] | None = None,
    judgements: Iterable[Judgement] = (),
    previous: Mapping[str, str] | None = None,
) -> Clustering:
    """Entities of ``record_ids`` (see the module docstring).

    ``previous`` maps record ids to the entity ids of the last run; ``uscc`` record ids to
    their validated USCC.
    """
    ids = sorted(set(record_ids))
    uscc = uscc or {}
    sets = _Sets(ids, uscc)
    known = set(ids)
    result = Clustering(ASSIGNMENT_SCHEMA.empty_table())
    decided = {p: j for p, j in _latest(judgements).items() if p[0] in known and p[1] in known}
    for (a, b), j in decided.items():
        if not j.same:
            sets.apart.setdefault(a, set()).add(b)
            sets.apart.setdefault(b, set()).add(a)
    for (a, b), j in sorted(decided.items()):
        if j.same:
            sets.join(a, b, "judgement")
    by_uscc: dict[str, str] = {}
    for record in ids:
        code = uscc.get(record)
        if code:
            first = by_uscc.setdefault(code, record)
            if first != record and sets.blocked(first, record) is None:
                sets.join(first, record, "uscc")
    ordered = sorted(
        (lk for lk in links if lk.probability >= threshold),
        key=lambda lk: (-lk.probability, *sorted((lk.left_id, lk.right_id))),
    )
    for link in ordered:
        if link.left_id not in known or link.right_id not in known:
            continue
        a, b = sorted((link.left_id, link.right_id))
        if (a, b) in decided:
            continue  # judged pairs were handled above
        reason = sets.blocked(link.left_id, link.right_id)
        if reason is None:
            sets.join(link.left_id, link.right_id, "model")
        elif sets.find(link.left_id) != sets.find(link.right_id):
            result.held_apart.append((link.left_id, link.right_id, reason))
    groups = [sorted(members) for members in sets.members.values()]
    names, result.merged = _stable_ids(groups, previous or {})
    rows = [
        {
            "record_id": record,
            "entity_id": names[i],
            "entity_size": len(group),
            "joined_by": sets.how[record],
        }
        for i, group in enumerate(groups)
        for record in group
    ]
    rows.sort(key=lambda r: str(r["record_id"]))
    result.assignments = pa.Table.from_pylist(rows, schema=ASSIGNMENT_SCHEMA)
    return result


def _stable_ids(
    groups: list[list[str]], previous: Mapping[str, str]
) -> tuple[list[str], dict[str, str]]:
    claims: list[tuple[int, str, str, int]] = []
    for i, group in enumerate(groups):
        counts: dict[str, int] = {}
        for record in group:
            if record in previous:
                counts[previous[record]] = counts.get(previous[record], 0) + 1
        claims.extend((-n, old, group[0], i) for old, n in counts.items())
    names: dict[int, str] = {}
    taken: set[str] = set()
    for _n, old, _first, i in sorted(claims):
        if i not in names and old not in taken:
            names[i], taken = old, taken | {old}
    retired = set(previous.values())
    for i, group in enumerate(groups):
        if i in names:
            continue
        candidate, n = make_id("ent", group[0]) or group[0], 1
        while candidate in taken or candidate in retired:
            candidate, n = make_id("ent", group[0], n) or group[0], n + 1
        names[i] = candidate
        taken.add(candidate)
    group_of = {record: i for i, group in enumerate(groups) for record in group}
    merged: dict[str, str] = {}
    for record, old in sorted(previous.items()):
        if old not in taken and record in group_of:
            merged.setdefault(old, names[group_of[record]])
    return [names[i] for i in range(len(groups))], merged


__all__ = ["ASSIGNMENT_SCHEMA", "Clustering", "Judgement", "Link", "cluster"]
