"""Expectations that follow from what all planters planted together: licences and documents.

SW-R-0005 (a valid financial licence), SW-R-0105 (complaints concentrated) and SW-R-0106
(promotion spread) judge an enterprise by rows of other tables — the licence register and the
documents attributed to it (by USCC, or by its exact name when the document has no USCC).
Planters state those rows, but which of them reach an enterprise follows from every planter's
rows together: the text planters write ads and complaints about enterprises other planters
created. :func:`complete_cases` runs after the last planter and gives every planted enterprise
its expectation for each of the three rules, counted from the planted rows the way the rules
count them with their default parameters (the constants below). A planter that designs a case
for one of these rules states the expectation it means (``PlantContext.plant(expect=…)``); when
the rows say otherwise the city is refused — a planter bug, caught before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from smokewatch.demo.planting import (
    ATTRIBUTED_RULE_IDS,
    DOCUMENT_TABLE,
    LICENCE_RULE_ID,
    Expectation,
    Plantation,
    PlantedCase,
)
from smokewatch.demo.records import LicenceRecord
from smokewatch.errors import InvalidInput
from smokewatch.model.vocab import get_vocabulary

COMPLAINT_RULE_ID, SPREAD_RULE_ID = ATTRIBUTED_RULE_IDS

COMPLAINT_WINDOW_DAYS = 365
"""SW-R-0105 ``lookback_days``: complaints published this many days before the as-of date count."""
MIN_COMPLAINTS = 2
"""SW-R-0105 ``min_complaints`` (band ``several``)."""
MANY_COMPLAINTS = 5
"""SW-R-0105 ``many_complaints`` (band ``many``)."""

SPREAD_WINDOW_DAYS = 180
"""SW-R-0106 ``lookback_days``."""
RECENT_DAYS = 90
"""SW-R-0106's recent window: the last 90 days, against the 90 before."""
MIN_PROMOTIONS = 2
"""SW-R-0106 reports nothing about an enterprise with fewer promotions in the window."""
MIN_OUTLETS = 3
"""SW-R-0106 ``min_outlets``: this many distinct outlets is a wide spread."""
MIN_CITIES = 2
"""SW-R-0106 ``min_cities``: this many prefecture-level cities is a wide spread."""
MIN_RECENT = 3
"""SW-R-0106 ``min_recent``: growth needs this many promotions in the last 90 days."""

PROMOTION_KINDS = frozenset({"ad", "web_page", "app_page", "post", "sms"})
"""Document kinds SW-R-0106 counts as promotions."""


@dataclass(frozen=True, slots=True)
class Attributed:
    """A planted document as the enterprise rules read it (its export row, resolved)."""

    kind: str
    published_on: date
    outlet: str | None
    adcode: str | None
    subject_name: str | None
    subject_uscc: str | None

    def about(self, uscc: str | None, name: str) -> bool:
        """Attributed to the enterprise: by USCC, or by exact name when it has no USCC."""
        if self.subject_uscc is not None:
            return self.subject_uscc == uscc
        return self.subject_name == name

    def age(self, as_of: date) -> int:
        """Days between publication and the as-of date."""
        return (as_of - self.published_on).days


@dataclass(frozen=True, slots=True)
class ComplaintFacts:
    """Complaints attributed to an enterprise in SW-R-0105's window."""

    complaints: int = 0
    recent: int = 0

    def expectation(self) -> Expectation:
        """What SW-R-0105 must do.

        Examples:
            >>> ComplaintFacts(complaints=5).expectation().band
            'many'
            >>> ComplaintFacts(complaints=1).expectation().fires
            False
        """
        if self.complaints >= MANY_COMPLAINTS:
            return Expectation(COMPLAINT_RULE_ID, True, "many")
        if self.complaints >= MIN_COMPLAINTS:
            return Expectation(COMPLAINT_RULE_ID, True, "several")
        return Expectation(COMPLAINT_RULE_ID, False)


@dataclass(frozen=True, slots=True)
class SpreadFacts:
    """Promotions attributed to an enterprise in SW-R-0106's window."""

    promotions: int = 0
    outlets: int = 0
    cities: int = 0
    recent: int = 0
    before: int = 0

    def expectation(self) -> Expectation:
        """What SW-R-0106 must do.

        Examples:
            >>> SpreadFacts(promotions=4, outlets=4, recent=4).expectation().band
            'wide_and_growing'
            >>> SpreadFacts(promotions=4, outlets=2, recent=2, before=2).expectation().fires
            False
        """
        wide = self.outlets >= MIN_OUTLETS or self.cities >= MIN_CITIES
        growing = self.recent >= MIN_RECENT and self.recent >= 2 * self.before
        band = None
        if self.promotions >= MIN_PROMOTIONS:
            band = (
                "wide_and_growing"
                if wide and growing
                else "wide"
                if wide
                else "growing"
                if growing
                else None
            )
        return Expectation(SPREAD_RULE_ID, band is not None, band)


def read_documents(rows: Iterable[Mapping[str, str | None]]) -> list[Attributed]:
    """Planted document export rows (Chinese keys) as the enterprise rules read them."""
    kinds = get_vocabulary("document_kind")
    found = []
    for row in rows:
        kind = kinds.resolve(row["类型"] or "")
        if kind is None:
            raise InvalidInput(f"document {row['编号']}: unknown kind {row['类型']!r}")
        found.append(
            Attributed(
                kind=kind,
                published_on=date.fromisoformat(row["发布日期"] or ""),
                outlet=row["发布渠道"],
                adcode=row["区划代码"],
                subject_name=row["相关主体"],
                subject_uscc=row["主体信用代码"],
            )
        )
    return found


def complaint_facts(documents: Sequence[Attributed], as_of: date) -> ComplaintFacts:
    """SW-R-0105's counts over the documents attributed to one enterprise."""
    ages = [
        d.age(as_of)
        for d in documents
        if d.kind == "complaint" and 0 <= d.age(as_of) <= COMPLAINT_WINDOW_DAYS
    ]
    return ComplaintFacts(len(ages), sum(1 for a in ages if a <= RECENT_DAYS))


def spread_facts(documents: Sequence[Attributed], as_of: date) -> SpreadFacts:
    """SW-R-0106's counts over the documents attributed to one enterprise."""
    found = [
        d
        for d in documents
        if d.kind in PROMOTION_KINDS and 0 <= d.age(as_of) <= SPREAD_WINDOW_DAYS
    ]
    return SpreadFacts(
        promotions=len(found),
        outlets=len({d.outlet for d in found if d.outlet is not None}),
        cities=len({d.adcode[:4] for d in found if d.adcode is not None}),
        recent=sum(1 for d in found if d.age(as_of) <= RECENT_DAYS),
        before=sum(1 for d in found if d.age(as_of) > RECENT_DAYS),
    )


def licence_expectation(
    licences: Sequence[LicenceRecord], uscc: str | None, name: str, as_of: date
) -> Expectation:
    """SW-R-0005 fires when a licence of the holder is active and in force on ``as_of``."""
    held = [
        lic
        for lic in licences
        if (lic.holder_uscc == uscc if lic.holder_uscc is not None else lic.holder_name == name)
        and lic.status == "active"
        and lic.valid_from <= as_of
        and (lic.valid_to is None or as_of <= lic.valid_to)
    ]
    return Expectation(LICENCE_RULE_ID, bool(held), "licensed" if held else None)


def case_expectations(
    case: PlantedCase,
    documents: Sequence[Attributed],
    licences: Sequence[LicenceRecord],
    as_of: date,
) -> tuple[Expectation, ...]:
    """The three derived expectations of one enterprise case."""
    about = [d for d in documents if d.about(case.uscc, case.name)]
    return (
        licence_expectation(licences, case.uscc, case.name, as_of),
        complaint_facts(about, as_of).expectation(),
        spread_facts(about, as_of).expectation(),
    )


def complete_cases(plantation: Plantation, as_of: date) -> list[PlantedCase]:
    """Every case, enterprise cases completed with SW-R-0005, 0105 and 0106.

    Raises:
        InvalidInput: a case states an expectation for one of them that the planted licences
            and documents contradict.
    """
    documents = read_documents(plantation.rows.get(DOCUMENT_TABLE, ()))
    completed = []
    for case in plantation.cases:
        if case.subject_table != "enterprise":
            completed.append(case)
            continue
        derived = case_expectations(case, documents, plantation.licences, as_of)
        stated = {e.rule_id: e for e in case.expect}
        for expectation in derived:
            said = stated.get(expectation.rule_id)
            if said is not None and (
                said.fires != expectation.fires or said.band not in (None, expectation.band)
            ):
                raise InvalidInput(
                    f"planted case {case.pattern} {case.name} expects {said.to_json()}, "
                    f"but what was planted gives {expectation.to_json()}"
                )
        kept = tuple(e for e in case.expect if e.rule_id not in {d.rule_id for d in derived})
        completed.append(replace(case, expect=(*kept, *derived)))
    return completed


__all__ = [
    "COMPLAINT_RULE_ID",
    "COMPLAINT_WINDOW_DAYS",
    "MANY_COMPLAINTS",
    "MIN_CITIES",
    "MIN_COMPLAINTS",
    "MIN_OUTLETS",
    "MIN_PROMOTIONS",
    "MIN_RECENT",
    "PROMOTION_KINDS",
    "RECENT_DAYS",
    "SPREAD_RULE_ID",
    "SPREAD_WINDOW_DAYS",
    "Attributed",
    "ComplaintFacts",
    "SpreadFacts",
    "case_expectations",
    "complaint_facts",
    "complete_cases",
    "licence_expectation",
    "read_documents",
]
