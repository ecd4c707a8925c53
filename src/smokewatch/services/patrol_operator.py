"""The register a patrol resolves site operators against: ``enterprise`` and ``platform``.

See :mod:`smokewatch.patrol.operator` for the rules of resolution.

Every look-up is one small filtered engine query (a USCC, the digits of an ICP filing, a trade
name), cached for the run, so a patrol does not read the register whole. Every query is
ordered by ``id``: when several rows qualify, the first one wins on every engine (engines
return unordered rows in different orders).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from smokewatch.model.types.base import ValueTypeError
from smokewatch.patrol.operator import Registered
from smokewatch.resolve.keys import icp_key
from smokewatch.resolve.names import parse_org_name

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.base import Engine

ENTERPRISE = "enterprise"
PLATFORM = "platform"
CANDIDATES = 200
"""At most this many registered names are compared with one name."""


class EngineRegister:
    """:class:`smokewatch.patrol.operator.Register` over an engine's tables."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._enterprise = engine.has_table(ENTERPRISE)
        self._platform = engine.has_table(PLATFORM)
        self._cache: dict[tuple[str, str], Any] = {}

    def _rows(self, expr: ir.Table) -> list[dict[str, Any]]:
        return list(self._engine.to_arrow(expr, step="patrol operator").to_pylist())

    def _entities(self, rows: list[dict[str, Any]]) -> list[Registered]:
        return [Registered(str(r["id"]), str(r["name"]), r["uscc"]) for r in rows]

    def by_uscc(self, uscc: str) -> Registered | None:
        """The enterprise with this USCC."""
        key = ("uscc", uscc)
        if key not in self._cache:
            found: list[Registered] = []
            if self._enterprise:
                e = self._engine.table(ENTERPRISE)
                expr = e.filter(e.uscc == uscc).select("id", "name", "uscc").order_by("id")
                found = self._entities(self._rows(expr.limit(1)))
            self._cache[key] = found[0] if found else None
        result: Registered | None = self._cache[key]
        return result

    def icp_holder(self, icp: str) -> str | None:
        """The operating company (else the platform's name) filed under ``icp``."""
        key = ("icp", icp)
        digits = re.search(r"\d{6,10}", icp)
        if key not in self._cache:
            holder: str | None = None
            if self._platform and digits is not None:
                p = self._engine.table(PLATFORM)
                expr = p.filter(p.icp_filing.contains(digits.group(0))).order_by("id")
                for row in self._rows(expr.select("icp_filing", "company_name", "name")):
                    try:
                        same = icp_key(str(row["icp_filing"])).value == icp
                    except ValueTypeError:
                        continue
                    if same:
                        holder = row["company_name"] or row["name"]
                        break
            self._cache[key] = holder
        result: str | None = self._cache[key]
        return result

    def candidates(self, name: str) -> Sequence[Registered]:
        """Enterprises whose names hold ``name``'s trade name (or equal it)."""
        key = ("name", name)
        if key not in self._cache:
            found: list[Registered] = []
            trade = parse_org_name(name).trade_name
            if self._enterprise and name.strip():
                e = self._engine.table(ENTERPRISE)
                match = e.name == name.strip()
                if len(trade) >= 2:
                    match = match | e.name.contains(trade)
                expr = e.filter(match).select("id", "name", "uscc").order_by("id")
                found = self._entities(self._rows(expr.limit(CANDIDATES)))
            self._cache[key] = tuple(found)
        result: tuple[Registered, ...] = self._cache[key]
        return result


__all__ = ["EngineRegister"]
