"""Who runs a patrolled site: its operator resolved against the register, and how.

A page's text signals (the promises SW-R-0101…0104 find) are about the site's operator, so
the run resolves each site's operator from what the site itself says and what the officer
declared, through the resolve layer's deterministic keys first and name comparison last:

1. ``declared_uscc`` — the spec's ``subject_uscc`` is a registered enterprise (confidence 1);
2. ``page_uscc`` — exactly one registered USCC among those the site's pages show (0.98);
3. ``icp`` — an ICP filing the pages show is a registered platform's filing, and that
   platform's operating company is a registered enterprise (0.95 × the name comparison);
4. ``declared_name`` — the spec's ``subject_name`` is a registered name (confidence 1), or a
   short name that :func:`smokewatch.resolve.compare.compare_names` matches to one registered
   enterprise clearly better than to any other (confidence = its score);
5. ``page_name`` — the company and platform names on the pages (footer, contact page) read
   the same way; they must all point at one enterprise (confidence = 0.9 × the score).

A full legal name (with 有限公司 or another form) resolves only to the same registered name:
芜湖鑫源财富管理有限公司 is not 芜湖鑫源建材有限公司, however alike they read.

The first that finds one enterprise wins; a later step that points at *another* enterprise is
kept as a conflict in the resolution (an officer should look). When none resolves, the
resolution says why, and the pages keep the declared subject (or the one USCC a page shows).
The register is behind :class:`Register`, so this module does no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from smokewatch.patrol.evidence import ObjectStore
from smokewatch.patrol.spec import PatrolSpec, Site
from smokewatch.resolve.compare import THRESHOLD, compare_names
from smokewatch.resolve.names import parse_org_name

CONFIDENCE = {"declared_uscc": 1.0, "page_uscc": 0.98, "icp": 0.95, "page_name": 0.9}
"""Confidence of each method (names multiply it by their comparison score)."""

MARGIN = 0.05
"""A name match must beat the next enterprise's score by this much to stand out."""


@dataclass(frozen=True, slots=True)
class Registered:
    """An entity of the register (``enterprise`` row) a site may be run by."""

    id: str
    name: str
    uscc: str | None
    table: str = "enterprise"


class Register(Protocol):
    """Look-ups into the register; the service implements them over the engine's tables."""

    def by_uscc(self, uscc: str) -> Registered | None:
        """The enterprise with this USCC."""
        ...

    def icp_holder(self, icp: str) -> str | None:
        """The operating company's name of the platform filed under this ICP filing."""
        ...

    def candidates(self, name: str) -> Sequence[Registered]:
        """Registered enterprises whose names may be ``name`` (blocked by trade name)."""
        ...


@dataclass(frozen=True, slots=True)
class SiteFact:
    """A fact a site's page showed, with the page that fixes it."""

    kind: str
    value: str
    page_url: str
    seq: int | None


@dataclass(frozen=True, slots=True)
class Resolution:
    """A site's operator and how it was found (or why not)."""

    site: str
    entity: Registered | None
    method: str | None
    confidence: float
    basis: str | None
    """The value that decided: a USCC, an ICP filing, a name."""
    page_url: str | None
    """The page that showed it (None for what the spec declared)."""
    seq: int | None
    reason_en: str
    reason_zh: str
    conflicts: tuple[dict[str, Any], ...] = field(default=())

    @property
    def resolved(self) -> bool:
        """True when an enterprise of the register was found."""
        return self.entity is not None

    def as_evidence(self) -> dict[str, Any]:
        """The resolution as a JSON-able mapping (documents' and events' evidence)."""
        found = self.entity
        return {
            "resolved": self.resolved,
            "method": self.method,
            "confidence": self.confidence,
            "entity_id": found.id if found else None,
            "entity_table": found.table if found else None,
            "name": found.name if found else None,
            "uscc": found.uscc if found else None,
            "basis": self.basis,
            "page_url": self.page_url,
            "seq": self.seq,
            "reason_en": self.reason_en,
            "reason_zh": self.reason_zh,
            "conflicts": list(self.conflicts),
        }


def site_facts(
    spec: PatrolSpec, entries: Iterable[Mapping[str, Any]], objects: ObjectStore
) -> dict[str, list[SiteFact]]:
    """Per site name: the facts its pages showed in this run, in manifest order."""
    found: dict[str, list[SiteFact]] = {site.name: [] for site in spec.sites}
    for entry in entries:
        ref = (entry.get("artefacts") or {}).get("facts")
        site = str(entry.get("site"))
        if entry.get("kind") != "page" or ref is None or site not in found:
            continue
        url = str(entry.get("final_url") or entry["url"])
        seq = entry.get("seq")
        for fact in json.loads(objects.get(ref["sha256"])):
            found[site].append(SiteFact(str(fact["kind"]), str(fact["value"]), url, seq))
    return found


@dataclass(frozen=True, slots=True)
class _Hit:
    entity: Registered
    method: str
    confidence: float
    basis: str
    page_url: str | None
    seq: int | None


def _first_of(facts: Sequence[SiteFact], kind: str) -> dict[str, SiteFact]:
    seen: dict[str, SiteFact] = {}
    for fact in facts:
        if fact.kind == kind:
            seen.setdefault(fact.value, fact)
    return seen


def _best_name(register: Register, name: str) -> tuple[Registered, float] | None:
    """The registered enterprise ``name`` is, if one stands out (score 1 for the same name).

    A full legal name (one with an organisational form, 有限公司) must be the same name as a
    registered one, written alike or differently (the comparison's ``same_name``): a company
    shows its registered name, and a near name with that form is another company. A short
    name (a platform or brand) is compared, and must beat the next enterprise by ``MARGIN``.
    """
    parsed = parse_org_name(name)
    candidates = register.candidates(name)
    same = sorted(
        {c.id: c for c in candidates if parse_org_name(c.name).key == parsed.key}.values(),
        key=lambda c: c.id,
    )
    if parsed.trade_name and len(same) == 1:
        return same[0], 1.0
    if parsed.form is not None or not parsed.trade_name:
        return None
    scored = sorted(
        ((compare_names(name, c.name).score, c) for c in candidates),
        key=lambda pair: (-pair[0], pair[1].id),
    )
    if not scored or scored[0][0] < THRESHOLD:
        return None
    if len(scored) > 1 and scored[1][0] > scored[0][0] - MARGIN and scored[1][1] != scored[0][1]:
        return None  # two enterprises fit about as well: not decided by the name
    return scored[0][1], scored[0][0]


def _hits(site: Site, facts: Sequence[SiteFact], register: Register) -> list[_Hit]:
    """Every way the site points at a registered enterprise, in the order they are trusted."""
    hits: list[_Hit] = []
    if site.subject_uscc and (found := register.by_uscc(site.subject_uscc)) is not None:
        hits.append(_Hit(found, "declared_uscc", 1.0, site.subject_uscc, None, None))
    on_pages = {
        value: (found, fact)
        for value, fact in _first_of(facts, "uscc").items()
        if (found := register.by_uscc(value)) is not None
    }
    if len({found.id for found, _ in on_pages.values()}) == 1:
        value, (found, fact) = next(iter(on_pages.items()))
        hits.append(
            _Hit(found, "page_uscc", CONFIDENCE["page_uscc"], value, fact.page_url, fact.seq)
        )
    for value, fact in _first_of(facts, "icp").items():
        holder = register.icp_holder(value)
        named = _best_name(register, holder) if holder else None
        if named is not None:
            confidence = round(CONFIDENCE["icp"] * named[1], 4)
            hits.append(_Hit(named[0], "icp", confidence, value, fact.page_url, fact.seq))
    if site.subject_name and (named := _best_name(register, site.subject_name)) is not None:
        hits.append(_Hit(named[0], "declared_name", named[1], site.subject_name, None, None))
    by_entity: dict[str, list[_Hit]] = {}
    for kind in ("organisation", "platform"):
        for value, fact in _first_of(facts, kind).items():
            if (named := _best_name(register, value)) is not None:
                confidence = round(CONFIDENCE["page_name"] * named[1], 4)
                hit = _Hit(named[0], "page_name", confidence, value, fact.page_url, fact.seq)
                by_entity.setdefault(named[0].id, []).append(hit)
    if len(by_entity) == 1:  # several names on the pages that point at several firms decide nothing
        hits.append(max(next(iter(by_entity.values())), key=lambda h: h.confidence))
    return hits


_UNRESOLVED = (
    (
        "no USCC, ICP filing or company name on the site's pages, nor the operator the spec "
        "declares, identifies one enterprise of the register"
    ),
    "网站页面所示统一社会信用代码、ICP备案号、企业名称及巡查配置所填运营主体均未能唯一对应登记库中的企业",
)


def resolve_operator(site: Site, facts: Sequence[SiteFact], register: Register) -> Resolution:
    """Resolve ``site``'s operator from its pages' ``facts`` and its spec (see the module docs)."""
    hits = _hits(site, facts, register)
    if not hits:
        return Resolution(site.name, None, None, 0.0, None, None, None, *_UNRESOLVED)
    best = hits[0]
    conflicts = tuple(
        {"method": h.method, "basis": h.basis, "entity_id": h.entity.id, "name": h.entity.name}
        for h in hits[1:]
        if h.entity.id != best.entity.id
    )
    where = f" on {best.page_url}" if best.page_url else " in the patrol spec"
    reason_en = f"{best.method.replace('_', ' ')} {best.basis}{where} → {best.entity.name}"
    reason_zh = f"{_METHOD_ZH[best.method]}“{best.basis}”→ {best.entity.name}"
    return Resolution(
        site.name, best.entity, best.method, best.confidence, best.basis, best.page_url,
        best.seq, reason_en, reason_zh, conflicts,
    )  # fmt: skip


_METHOD_ZH = {
    "declared_uscc": "巡查配置所填统一社会信用代码",
    "page_uscc": "网页所示统一社会信用代码",
    "icp": "网页所示ICP备案号的备案主体",
    "declared_name": "巡查配置所填运营主体名称",
    "page_name": "网页所示企业名称",
}


def resolve_operators(
    spec: PatrolSpec, facts: Mapping[str, Sequence[SiteFact]], register: Register
) -> dict[str, Resolution]:
    """Per site name: its operator's resolution."""
    return {
        site.name: resolve_operator(site, facts.get(site.name, ()), register) for site in spec.sites
    }


__all__ = [
    "CONFIDENCE",
    "Register",
    "Registered",
    "Resolution",
    "SiteFact",
    "resolve_operator",
    "resolve_operators",
    "site_facts",
]
