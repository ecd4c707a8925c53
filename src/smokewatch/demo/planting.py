"""Planting cases into the demo city: planters, their context, and the ground truth they write.

A :class:`Planter` adds its own enterprises, licences or rows of other tables through a
:class:`PlantContext`, and records one :class:`PlantedCase` per planted subject with the
rules expected to fire (or not) on it. Built-in planters and later ones register the same
way: pass them to :func:`smokewatch.demo.city.generate_city`. Each planter draws from its own
random stream (seeded by the city seed and the planter's name), so adding a planter never
changes what the others plant.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

import numpy as np

from smokewatch.demo.places import CityMap, make_addresses, make_person_names, make_phones
from smokewatch.demo.pools import Pools
from smokewatch.demo.records import EnterpriseRecord, LicenceRecord
from smokewatch.demo.registry import USCC_REFORM
from smokewatch.demo.uscc import make_uscc
from smokewatch.errors import InvalidInput

RULE_IDS: tuple[str, ...] = ("SW-R-0001", "SW-R-0002", "SW-R-0003", "SW-R-0004")
"""Rules of the first detector pack, in the order planted expectations list them."""

PLANTED_INDEX_BASE = 90_000_000
"""Planted enterprises take global USCC indexes from here, far above any ordinary row."""

HOLLOW_CAPITAL_WAN = 10_000
"""SW-R-0003's threshold: registered capital of at least 1亿元 (10,000 万元)."""

PIVOT_WINDOW_DAYS = 180
"""SW-R-0004's window: a change within this many days before the as-of date is recent."""


@dataclass(frozen=True, slots=True)
class Expectation:
    """Whether one rule is expected to fire on a planted subject."""

    rule_id: str
    fires: bool


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """What a planted enterprise carries, stated by its planter, as the first pack reads it.

    The expectations follow from these facts alone, so a reviewer can check a planter by
    reading its facts rather than re-deriving them from text.
    """

    name_word: bool = False
    """The current name contains a restricted financial word."""
    name_licensed: bool = False
    """An active licence on the as-of date authorises that word."""
    scope_activity: bool = False
    """The business scope lists a restricted financial activity (outside clauses/exclusions)."""
    scope_licensed: bool = False
    """An active licence covers that activity."""
    hollow_capital: bool = False
    """Registered capital ≥ 1亿元 with paid-in 0 or < 1 %, or insured staff ≤ 3."""
    recent_pivot: bool = False
    """Name or scope turned financial within 180 days before the as-of date."""

    def expectations(self) -> tuple[Expectation, ...]:
        """One expectation per rule of :data:`RULE_IDS`.

        Examples:
            >>> [e.fires for e in RuleFacts(name_word=True).expectations()]
            [True, False, False, False]
        """
        fires = (
            self.name_word and not self.name_licensed,
            self.scope_activity and not self.scope_licensed,
            self.name_word and self.hollow_capital,
            self.recent_pivot,
        )
        return tuple(Expectation(r, f) for r, f in zip(RULE_IDS, fires, strict=True))


@dataclass(frozen=True, slots=True)
class PlantedCase:
    """One planted subject and what the detectors are expected to do with it."""

    pattern: str
    uscc: str
    name: str
    expect: tuple[Expectation, ...]
    note: str

    def to_json(self) -> dict[str, Any]:
        """The object written as one line of ``demo/planted.jsonl``."""
        return {
            "pattern": self.pattern,
            "uscc": self.uscc,
            "name": self.name,
            "expect": [{"rule_id": e.rule_id, "fires": e.fires} for e in self.expect],
            "note": self.note,
        }

    def fires(self, rule_id: str) -> bool | None:
        """The expectation for one rule, or ``None`` when the case says nothing about it."""
        return next((e.fires for e in self.expect if e.rule_id == rule_id), None)


class Planter(Protocol):
    """Adds planted material to the city."""

    @property
    def name(self) -> str:
        """Stable name of the planter; it seeds the planter's random stream."""
        ...

    def plant(self, ctx: PlantContext) -> None:
        """Add entities and rows through ``ctx`` and record their ground truth."""
        ...


@dataclass(frozen=True, slots=True)
class FunctionPlanter:
    """A planter made from a function (how the built-in planters are declared)."""

    name: str
    function: Callable[[PlantContext], None]

    def plant(self, ctx: PlantContext) -> None:
        """Call the function."""
        self.function(ctx)


@dataclass(slots=True)
class Plantation:
    """Everything planters added, in planting order (the mutable collector of one city)."""

    enterprises: list[EnterpriseRecord] = field(default_factory=list)
    licences: list[LicenceRecord] = field(default_factory=list)
    rows: dict[str, list[Mapping[str, str | None]]] = field(default_factory=dict)
    cases: list[PlantedCase] = field(default_factory=list)
    used_trade_names: set[str] = field(default_factory=set)
    next_index: int = PLANTED_INDEX_BASE

    @property
    def names(self) -> frozenset[str]:
        """Current and former names of every planted enterprise."""
        return frozenset(name for e in self.enterprises for name in (e.name, *e.former_names))


class PlantContext:
    """What a planter may use: its RNG, the pools, the as-of date, and the sinks."""

    def __init__(
        self,
        *,
        planter: str,
        seed: int,
        as_of: date,
        pools: Pools,
        city: CityMap,
        plantation: Plantation,
    ) -> None:
        self.planter = planter
        self.rng = np.random.default_rng([seed, zlib.crc32(planter.encode("utf-8"))])
        self.seed = seed
        self.as_of = as_of
        self.pools = pools
        self._city = city
        self._plantation = plantation

    # ---------------------------------------------------------------- drawing

    def days_ago(self, days: int) -> date:
        """The date ``days`` before the as-of date."""
        return self.as_of - timedelta(days=days)

    def trade_name(self) -> str:
        """A 字号 not used by any other planted enterprise."""
        used = self._plantation.used_trade_names
        names = self.pools.trade_names
        for _ in range(1000):
            candidate = names[int(self.rng.integers(0, len(names)))]
            if candidate not in used:
                used.add(candidate)
                return candidate
        raise InvalidInput("the trade-name pool is exhausted")

    def company_name(self, word: str, *, suffix: str = "有限公司", region: str = "芜湖") -> str:
        """``{region}{字号}{word}{suffix}``, e.g. 芜湖鑫源财富管理有限公司."""
        return f"{region}{self.trade_name()}{word}{suffix}"

    def person_name(self) -> str:
        """A person name drawn like the registry's legal representatives."""
        return str(make_person_names(self.rng, self.pools, 1)[0].as_py())

    def _place(self) -> tuple[int, str]:
        county = np.array([self.rng.choice(len(self.pools.counties), p=self._city.county_weights)])
        township = self._city.draw_townships(self.rng, county)
        address = make_addresses(self.rng, self.pools, self._city, county, township)
        return int(county[0]), str(address[0].as_py())

    # ---------------------------------------------------------------- building

    def enterprise(
        self,
        *,
        name: str,
        business_scope: str,
        established_on: date | None = None,
        org_type: str = "1",
        **fields: Any,
    ) -> EnterpriseRecord:
        """A realistic enterprise record with a fresh, valid USCC (not yet added).

        ``fields`` override any :class:`EnterpriseRecord` attribute (capital in 万元).
        """
        county, address = self._place()
        established = established_on or self.days_ago(int(self.rng.integers(400, 3000)))
        index = self._plantation.next_index
        self._plantation.next_index += 1
        county_record = self.pools.counties[county]
        county_code = county_record.code
        uscc_county = county_code
        until = county_record.former_until
        if county_record.former_code and until and established < until:
            uscc_county = county_record.former_code
        defaults: dict[str, Any] = {
            "uscc": make_uscc(
                index,
                county_code=uscc_county,
                org_type=org_type,
                modern=established >= USCC_REFORM,
                seed=self.seed,
            ),
            "name": name,
            "legal_representative": self.person_name(),
            "established_on": established,
            "registered_address": address,
            "business_scope": business_scope,
            "registered_capital_wan": int(self.rng.choice([100, 500, 1000, 2000, 3000])),
            "adcode": county_code if self.rng.random() < 2 / 3 else None,
            "phone": make_phones(self.rng, self.pools, 1)[0].as_py(),
            "staff_count": int(self.rng.integers(4, 30)),
        }
        return EnterpriseRecord(**{**defaults, **fields})

    def licence(
        self,
        holder: EnterpriseRecord,
        kind: str,
        *,
        status: str = "active",
        valid_from: date | None = None,
        valid_to: date | None = None,
    ) -> LicenceRecord:
        """Add a licence held by ``holder`` (``kind`` and ``status`` are vocabulary ids)."""
        style = self.pools.licence_styles[kind]
        number = "".join(str(self.rng.integers(0, 10)) if ch == "#" else ch for ch in style.number)
        record = LicenceRecord(
            holder_name=holder.name,
            holder_uscc=holder.uscc,
            kind=kind,
            number=number,
            issuer=style.issuer,
            valid_from=valid_from or max(holder.established_on, self.days_ago(2000)),
            valid_to=valid_to,
            status=status,
            wording=style.wording,
            status_wording=self.pools.licence_statuses[status],
        )
        self._plantation.licences.append(record)
        return record

    # ---------------------------------------------------------------- recording

    def add_enterprise(self, record: EnterpriseRecord) -> EnterpriseRecord:
        """Add an enterprise to the registry."""
        self._plantation.enterprises.append(record)
        return record

    def add_row(self, table: str, row: Mapping[str, str | None]) -> None:
        """Add a row to another export table (for planters of later sources)."""
        self._plantation.rows.setdefault(table, []).append(dict(row))

    def record(self, case: PlantedCase) -> None:
        """Record the ground truth of one planted subject."""
        self._plantation.cases.append(case)

    def plant(
        self, pattern: str, record: EnterpriseRecord, facts: RuleFacts, note: str
    ) -> EnterpriseRecord:
        """Add ``record`` and record its case with the expectations that follow from ``facts``."""
        self.add_enterprise(record)
        self.record(PlantedCase(pattern, record.uscc, record.name, facts.expectations(), note))
        return record


__all__ = [
    "HOLLOW_CAPITAL_WAN",
    "PIVOT_WINDOW_DAYS",
    "PLANTED_INDEX_BASE",
    "RULE_IDS",
    "Expectation",
    "FunctionPlanter",
    "PlantContext",
    "Plantation",
    "PlantedCase",
    "Planter",
    "RuleFacts",
]
