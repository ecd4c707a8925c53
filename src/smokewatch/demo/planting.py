"""Planting cases into the demo city: planters, their context, and the ground truth they write.

A :class:`Planter` adds its own enterprises, licences, documents or rows of other tables
through a :class:`PlantContext`, and records one :class:`PlantedCase` per planted subject with
the rules expected to fire (or not) on it. Enterprise cases state :class:`RuleFacts` (read by
SW-R-0001…0004), document cases :class:`DocumentFacts` (read by the text rules SW-R-0101…0104);
the expectations follow from the facts. Built-in planters and later ones register the same
way: pass them to :func:`smokewatch.demo.city.generate_city`. Each planter draws from its own
random stream (seeded by the city seed and the planter's name), so adding a planter never
changes what the others plant.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

import numpy as np

from smokewatch.demo.grades import GradeExpectation
from smokewatch.demo.places import CityMap, make_addresses, make_person_names, make_phones
from smokewatch.demo.pools import Pools
from smokewatch.demo.records import DocumentRecord, EnterpriseRecord, LicenceRecord
from smokewatch.demo.registry import USCC_REFORM
from smokewatch.demo.uscc import make_uscc
from smokewatch.errors import InvalidInput
from smokewatch.text.rates import Band, deviation, load_benchmarks

RULE_IDS: tuple[str, ...] = ("SW-R-0001", "SW-R-0002", "SW-R-0003", "SW-R-0004")
"""Rules of the first detector pack, in the order planted expectations list them."""

LICENCE_RULE_ID = "SW-R-0005"
"""The qualifier rule: a valid financial licence on the as-of date."""

ATTRIBUTED_RULE_IDS: tuple[str, ...] = ("SW-R-0105", "SW-R-0106")
"""Enterprise rules over the documents attributed to an enterprise: complaints, promotion spread."""

ENTERPRISE_RULE_IDS: tuple[str, ...] = (*RULE_IDS, LICENCE_RULE_ID, *ATTRIBUTED_RULE_IDS)
"""Every rule an enterprise case states an expectation for, in order (see
:mod:`smokewatch.demo.attribution` for the last three)."""

DOCUMENT_RULE_IDS: tuple[str, ...] = ("SW-R-0101", "SW-R-0102", "SW-R-0103", "SW-R-0104")
"""The text rules over the ``document`` table, in the order document expectations list them."""

DOCUMENT_TABLE = "document"
"""The typed table planted documents feed (and the key of their rows among the extra tables)."""

USCC_KEYED = frozenset({"enterprise", "local_org"})
"""Subject tables whose planted cases are keyed by USCC (the others by ``reference``)."""

DEFAULT_CITY_SIZE = 20_000
"""The registry size planters scale their volume against (the default demo city)."""

PLANTED_INDEX_BASE = 90_000_000
"""Planted enterprises take global USCC indexes from here, far above any ordinary row."""

HOLLOW_CAPITAL_WAN = 10_000
"""SW-R-0003's threshold: registered capital of at least 1亿元 (10,000 万元)."""

PIVOT_WINDOW_DAYS = 180
"""SW-R-0004's window: a change within this many days before the as-of date is recent."""


@dataclass(frozen=True, slots=True)
class Expectation:
    """Whether one rule is expected to fire on a planted subject (and in which band, if sure)."""

    rule_id: str
    fires: bool
    band: str | None = None
    """The band the finding must have; ``None`` when the planter does not state it."""

    def to_json(self) -> dict[str, Any]:
        """The expectation as written in ``demo/planted.jsonl`` (``band`` only when stated)."""
        obj: dict[str, Any] = {"rule_id": self.rule_id, "fires": self.fires}
        if self.band is not None:
            obj["band"] = self.band
        return obj


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


SCHEME_GROUPS = ("pyramid", "impersonation", "lending", "speculation", "pretext", "fraud")
"""The vocabulary groups of SW-R-0103 (its bands), as :attr:`DocumentFacts.schemes` names them."""

EVENT_KINDS: Mapping[str, str] = {
    "case": "case_or_collapse",
    "collapse": "case_or_collapse",
    "absconding": "case_or_collapse",
    "closure": "closure_or_complaints",
    "complaints": "closure_or_complaints",
}
"""Events a document may report (:attr:`DocumentFacts.events`) and the band of SW-R-0104 each
belongs to: investigations, charges and verdicts (``case``), investors unable to withdraw or a
platform collapsing (``collapse``) and operators gone (``absconding``) weigh more than a
closure or investors complaining."""


@dataclass(frozen=True, slots=True)
class RateBand:
    """The band of a promised rate (see :meth:`DocumentFacts.rate_band`)."""

    band: Band
    sure_of_band: bool
    sure_to_fire: bool


RATE_MARGIN = Decimal("0.05")
"""A promised rate this close (relative) to a band threshold of SW-R-0101 gets no stated band;
this close to the market threshold, no expectation for SW-R-0101 at all."""


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What a planted document says, stated by its planter, as the text rules read it.

    Only what the text *affirms* counts — or, for returns and events, what it reports as
    promised or as having happened. Words inside negations (本公司并未跑路, 不承诺保本),
    warnings (谨防“高回报”陷阱) and reports of someone else's lure (以高额回报为诱饵) are not
    facts of the document.
    """

    promised_rate: Decimal | None = None
    """The highest return the text states as promised to investors (made or reported), in
    percent per year, simple (月息2分 is 24); loan interest is not a return."""
    guarantee: bool = False
    """The text guarantees principal or returns (保本保息, 稳赚不赔, 本息有保障)."""
    return_promise: bool = False
    """The text promises high or regular returns in words (日日分红, 按月返息, 高额回报)."""
    schemes: frozenset[str] = frozenset()
    """Groups of scheme vocabulary the text uses (:data:`SCHEME_GROUPS`)."""
    events: frozenset[str] = frozenset()
    """Illegal-finance events the text reports as having happened (:data:`EVENT_KINDS`)."""

    def __post_init__(self) -> None:
        unknown = sorted((self.schemes - set(SCHEME_GROUPS)) | (self.events - set(EVENT_KINDS)))
        if unknown:
            raise InvalidInput(f"unknown document facts: {', '.join(unknown)}")

    def merge(self, other: DocumentFacts) -> DocumentFacts:
        """Both sets of facts (the higher promised rate)."""
        rates = [r for r in (self.promised_rate, other.promised_rate) if r is not None]
        return DocumentFacts(
            promised_rate=max(rates) if rates else None,
            guarantee=self.guarantee or other.guarantee,
            return_promise=self.return_promise or other.return_promise,
            schemes=self.schemes | other.schemes,
            events=self.events | other.events,
        )

    def rate_band(self, day: date) -> RateBand | None:
        """How far the promised rate lies above the market on ``day``; ``None`` without one.

        The thresholds are the judgement of ``text/lexicons/benchmark_rates.yml`` (1.5 × and
        2 × the one-year LPR) and the law (4 × LPR); a rate within :data:`RATE_MARGIN` of one
        of them is not sure of its band, and near the first not even sure to fire.
        """
        promised = self.promised_rate
        if promised is None:
            return None
        benchmarks = load_benchmarks()
        found = deviation(promised, day, benchmarks)
        rate = found.benchmark.value
        market = benchmarks.market * rate
        thresholds = (market, benchmarks.elevated * rate, found.legal_ceiling)

        def near(threshold: Decimal) -> bool:
            return abs(promised - threshold) <= RATE_MARGIN * threshold

        return RateBand(found.band, not any(near(t) for t in thresholds), not near(market))

    def expectations(self, day: date) -> tuple[Expectation, ...]:
        """The expectations for :data:`DOCUMENT_RULE_IDS` of a document published on ``day``.

        SW-R-0101 fires when the promised rate lies above the market band (more than 1.5 ×
        the one-year LPR in force on ``day``), SW-R-0102 on guarantees or return promises,
        SW-R-0103 on scheme vocabulary (its band is stated when the text uses one group only),
        SW-R-0104 on reported events. A rate near the market threshold leaves SW-R-0101
        unstated.

        Examples:
            >>> facts = DocumentFacts(promised_rate=Decimal("18"), guarantee=True)
            >>> for e in facts.expectations(date(2026, 6, 1)):
            ...     print(e.rule_id, e.fires, e.band)
            SW-R-0101 True above_legal_ceiling
            SW-R-0102 True guarantee
            SW-R-0103 False None
            SW-R-0104 False None
        """
        expected: list[Expectation] = []
        rate = self.rate_band(day)
        if rate is None:
            expected.append(Expectation("SW-R-0101", False))
        elif rate.sure_to_fire:
            fires = rate.band is not Band.MARKET
            band = rate.band.value if fires and rate.sure_of_band else None
            expected.append(Expectation("SW-R-0101", fires, band))
        lure = "guarantee" if self.guarantee else "return_promise" if self.return_promise else None
        expected.append(Expectation("SW-R-0102", lure is not None, lure))
        group = next(iter(self.schemes)) if len(self.schemes) == 1 else None
        expected.append(Expectation("SW-R-0103", bool(self.schemes), group))
        bands = {EVENT_KINDS[e] for e in self.events}
        event = "case_or_collapse" if "case_or_collapse" in bands else next(iter(bands), None)
        expected.append(Expectation("SW-R-0104", bool(self.events), event))
        return tuple(expected)


@dataclass(frozen=True, slots=True)
class PlantedCase:
    """One planted subject and what the detectors are expected to do with it.

    An enterprise case is keyed by its USCC; a document case (``subject_table="document"``) by
    the document's ``reference``, and its ``name`` is the document's title or opening words.
    """

    pattern: str
    uscc: str | None
    name: str
    expect: tuple[Expectation, ...]
    note: str
    subject_table: str = "enterprise"
    reference: str | None = None
    grade: GradeExpectation | None = None
    """The smoke-index grade the case is designed to reach (smoke cases only)."""
    about: str | None = None
    """Of a document case: the USCC of the registered enterprise the document identifies — by
    USCC or registered name in its export, or by the registered name in its text — so that its
    findings should reach that enterprise's smoke index (``None``: it identifies none)."""

    @property
    def key(self) -> str:
        """The natural key of the subject: the USCC of an enterprise, a document's reference."""
        key = self.uscc if self.subject_table in USCC_KEYED else self.reference
        if key is None:  # pragma: no cover - constructors always set it
            raise InvalidInput(f"planted case {self.pattern} {self.name} has no key")
        return key

    def to_json(self) -> dict[str, Any]:
        """The object written as one line of ``demo/planted.jsonl``.

        Enterprise cases keep the original shape (pattern, uscc, name, expect, note); document
        cases add ``subject_table``, ``reference`` and ``about`` (and carry no USCC); smoke
        cases add ``grade`` last.
        """
        obj: dict[str, Any] = {"pattern": self.pattern}
        if self.subject_table != "enterprise":
            obj |= {
                "subject_table": self.subject_table,
                "reference": self.reference,
                "about": self.about,
            }
        obj |= {
            "uscc": self.uscc,
            "name": self.name,
            "expect": [e.to_json() for e in self.expect],
            "note": self.note,
        }
        if self.grade is not None:
            obj["grade"] = self.grade.to_json()
        return obj

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
    used_references: set[str] = field(default_factory=set)
    next_index: int = PLANTED_INDEX_BASE

    @property
    def names(self) -> frozenset[str]:
        """Current and former names of every planted enterprise."""
        return frozenset(name for e in self.enterprises for name in (e.name, *e.former_names))


class PlantContext:
    """What a planter may use: its RNG, the pools, the as-of date, the city size, the sinks."""

    def __init__(
        self,
        *,
        planter: str,
        seed: int,
        as_of: date,
        pools: Pools,
        city: CityMap,
        plantation: Plantation,
        size: int = DEFAULT_CITY_SIZE,
    ) -> None:
        self.planter = planter
        self.rng = np.random.default_rng([seed, zlib.crc32(planter.encode("utf-8"))])
        self.seed = seed
        self.as_of = as_of
        self.pools = pools
        self.size = size
        """Rows of the registry being generated (planted and ordinary)."""
        self._city = city
        self._plantation = plantation

    def scaled(self, count: int) -> int:
        """``count`` (meant for the default 20,000-row city) scaled to this city, at least 1.

        Examples:
            >>> from types import SimpleNamespace
            >>> PlantContext.scaled(SimpleNamespace(size=3_000), 8)
            1
        """
        return max(1, round(count * self.size / DEFAULT_CITY_SIZE))

    def planted_enterprises(self, *patterns: str) -> tuple[EnterpriseRecord, ...]:
        """Enterprises other planters planted whose case pattern starts with one of ``patterns``.

        In planting order; a planter may write documents about them but must not change them.
        """
        wanted = {
            c.uscc
            for c in self._plantation.cases
            if c.subject_table == "enterprise" and c.pattern.startswith(patterns)
        }
        return tuple(e for e in self._plantation.enterprises if e.uscc in wanted)

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

    def reference(self, prefix: str, digits: int = 8) -> str:
        """A document reference ``{prefix}{digits}`` not used by any other planted document."""
        used = self._plantation.used_references
        for _ in range(1000):
            candidate = prefix + "".join(str(d) for d in self.rng.integers(0, 10, digits))
            if candidate not in used:
                used.add(candidate)
                return candidate
        raise InvalidInput(f"no free document reference with prefix {prefix!r}")

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

    def place(self) -> tuple[str, str]:
        """A county drawn by the registry's weights and an address in it: (adcode, address)."""
        county, address = self._place()
        return self.pools.counties[county].code, address

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
        self,
        pattern: str,
        record: EnterpriseRecord,
        facts: RuleFacts,
        note: str,
        *,
        expect: tuple[Expectation, ...] = (),
        grade: GradeExpectation | None = None,
    ) -> EnterpriseRecord:
        """Add ``record`` and record its case with the expectations that follow from ``facts``.

        ``expect`` states what a case designed for SW-R-0005, 0105 or 0106 means to show;
        :func:`smokewatch.demo.attribution.complete_cases` checks it against the licences and
        documents planted (and derives the expectation where none is stated). ``grade`` is the
        smoke-index grade a smoke case is designed to reach.
        """
        self.add_enterprise(record)
        expected = (*facts.expectations(), *expect)
        self.record(PlantedCase(pattern, record.uscc, record.name, expected, note, grade=grade))
        return record

    def plant_document(
        self,
        pattern: str,
        record: DocumentRecord,
        facts: DocumentFacts,
        note: str,
        *,
        about: str | None = None,
    ) -> DocumentRecord:
        """Add a document and record its case with the expectations that follow from ``facts``.

        The case is keyed by the document's reference, which must be unique in the city;
        ``about`` is the USCC of the enterprise the document identifies (:attr:`PlantedCase.about`).
        """
        if any(c.reference == record.reference for c in self._plantation.cases):
            raise InvalidInput(f"document reference {record.reference} is planted twice")
        self._plantation.used_references.add(record.reference)
        self.add_row(DOCUMENT_TABLE, record.to_row())
        expect = facts.expectations(record.published_on)
        case = PlantedCase(
            pattern, None, record.label, expect, note, DOCUMENT_TABLE, record.reference, about=about
        )
        self.record(case)
        return record


__all__ = [
    "ATTRIBUTED_RULE_IDS",
    "DEFAULT_CITY_SIZE",
    "DOCUMENT_RULE_IDS",
    "DOCUMENT_TABLE",
    "ENTERPRISE_RULE_IDS",
    "EVENT_KINDS",
    "HOLLOW_CAPITAL_WAN",
    "LICENCE_RULE_ID",
    "PIVOT_WINDOW_DAYS",
    "PLANTED_INDEX_BASE",
    "RATE_MARGIN",
    "RULE_IDS",
    "SCHEME_GROUPS",
    "USCC_KEYED",
    "DocumentFacts",
    "Expectation",
    "FunctionPlanter",
    "PlantContext",
    "Plantation",
    "PlantedCase",
    "Planter",
    "RateBand",
    "RuleFacts",
]
