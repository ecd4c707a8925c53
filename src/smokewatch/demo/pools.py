"""Word pools of the demo city, read from the YAML files in ``demo/data``.

The pools are our own synthetic material: trade names (字号), industries with GB/T 4754 codes
and standard business-scope items, organisational forms, streets and villages, person names,
financial wording for planted cases, and how the licence register writes each licence kind.
Counties and townships come from the shipped division data (:mod:`smokewatch.model.divisions`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, TypeVar

from smokewatch.errors import ConfigError, Location, Problem
from smokewatch.model._yaml import load_yaml_resource, package_dir
from smokewatch.model.divisions import Level, load_divisions
from smokewatch.text.address import short_form

_PACKAGE = "smokewatch.demo"
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Industry:
    """One industry: its GB/T 4754 code, name words and business-scope items."""

    id: str
    code: str
    weight: float
    words: tuple[str, ...]
    shops: tuple[str, ...]
    coops: tuple[str, ...]
    general: tuple[str, ...]
    adjacent: tuple[str, ...]
    licensed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrgKind:
    """An organisational kind (limited company, branch, individual business, cooperative …)."""

    id: str
    weight: float
    uscc_type: str
    pattern: str
    suffixes: Mapping[str, float]
    types: Mapping[str, float]
    capital_wan: Mapping[int, float]
    paid_in: Mapping[str, float]
    staff: Mapping[str, float]
    words: tuple[str, ...] = ()
    industry: str | None = None


@dataclass(frozen=True, slots=True)
class Township:
    """A township-level division used in addresses."""

    code: str
    name: str

    @property
    def is_town(self) -> bool:
        """True for 镇 (addresses use villages), false for 街道 and development zones."""
        return self.name.endswith("镇")


@dataclass(frozen=True, slots=True)
class County:
    """A county-level division of the demo city, with its townships and USCC history."""

    code: str
    name: str
    weight: float
    townships: tuple[Township, ...]
    former_code: str | None = None
    former_until: date | None = None

    @property
    def has_towns(self) -> bool:
        """True when the county has at least one 镇 (where cooperatives live)."""
        return any(t.is_town for t in self.townships)


@dataclass(frozen=True, slots=True)
class FinanceProfile:
    """A finance-flavoured name word and scope for the benchmark registry."""

    word: str
    code: str
    scope: str
    restricted_name: bool
    restricted_scope: bool


@dataclass(frozen=True, slots=True)
class Clauses:
    """Standard clauses of business scopes."""

    general_tail: str
    licensed_tail: str
    old_tail: str
    prohibition: str
    exclusion: str


@dataclass(frozen=True, slots=True)
class LicenceStyle:
    """How the licence register writes one licence kind."""

    kind: str
    wording: str
    issuer: str
    number: str


@dataclass(frozen=True, slots=True)
class Pools:
    """Everything the generator draws from."""

    trade_names: tuple[str, ...]
    surnames: tuple[str, ...]
    surname_weights: tuple[float, ...]
    given_chars: tuple[str, ...]
    industries: tuple[Industry, ...]
    kinds: tuple[OrgKind, ...]
    counties: tuple[County, ...]
    province_name: str
    city_code: str
    city_name: str
    area_code: str
    streets: tuple[str, ...]
    estates: tuple[str, ...]
    towers: tuple[str, ...]
    parks: tuple[str, ...]
    villages: tuple[str, ...]
    restricted_binding: tuple[str, ...]
    restricted_2016: tuple[str, ...]
    restricted_other: tuple[str, ...]
    restricted_activities: tuple[str, ...]
    clauses: Clauses
    finance_profiles: tuple[FinanceProfile, ...]
    licence_styles: Mapping[str, LicenceStyle]
    licence_statuses: Mapping[str, str]

    @property
    def restricted_words(self) -> tuple[str, ...]:
        """Every restricted name word (binding, 2016 list, other)."""
        return self.restricted_binding + self.restricted_2016 + self.restricted_other

    def industry(self, industry_id: str) -> Industry:
        """One industry by id."""
        for industry in self.industries:
            if industry.id == industry_id:
                return industry
        raise KeyError(f"unknown demo industry {industry_id!r}")


def _load(name: str) -> tuple[Mapping[str, Any], str]:
    node = package_dir(_PACKAGE, "data") / name
    raw = load_yaml_resource(node)
    if not isinstance(raw, dict):
        raise ConfigError([Problem("a demo pool file must be a mapping", Location(str(node)))])
    return raw, str(node)


def _strs(values: Sequence[Any] | None) -> tuple[str, ...]:
    return tuple(str(v) for v in values or ())


def _weights(values: Mapping[Any, Any]) -> dict[str, float]:
    return {str(k): float(v) for k, v in values.items()}


def _place_names() -> frozenset[str]:
    """Names of the divisions above the township level, full and short (芜湖市, 芜湖)."""
    places: set[str] = set()
    for division in load_divisions():
        if division.level is not Level.TOWNSHIP:
            places.add(division.name)
            short = short_form(division.name, division.level)
            if short is not None:
                places.add(short)
    return frozenset(places)


def _trade_names(raw: Mapping[str, Any], banned: Sequence[str]) -> tuple[str, ...]:
    """The listed trade names and the first × second combinations, as the registry allows them.

    A 字号 may not be the name of a county-level or higher division unless the words mean
    something else too (企业名称登记管理规定): the listed names are chosen for that other
    meaning (东方, 振兴), but a combination that happens to spell a place (安 + 阳 = 安阳) is
    left out. So are names holding a restricted word.
    """
    names = list(dict.fromkeys(_strs(raw["trade_names"])))
    seen = set(names) | _place_names()
    for first in _strs(raw["trade_name_first"]):
        for second in _strs(raw["trade_name_second"]):
            combo = first + second
            if first != second and combo not in seen:
                seen.add(combo)
                names.append(combo)
    return tuple(n for n in names if not any(word in n for word in banned))


def _industries(raw: Mapping[str, Any]) -> tuple[Industry, ...]:
    return tuple(
        Industry(
            id=str(item["id"]),
            code=str(item["code"]),
            weight=float(item["weight"]),
            words=_strs(item.get("words")),
            shops=_strs(item.get("shops")),
            coops=_strs(item.get("coops")),
            general=_strs(item.get("general")),
            adjacent=_strs(item.get("adjacent")),
            licensed=_strs(item.get("licensed")),
        )
        for item in raw["industries"]
    )


def _kinds(raw: Mapping[str, Any]) -> tuple[OrgKind, ...]:
    return tuple(
        OrgKind(
            id=str(item["id"]),
            weight=float(item["weight"]),
            uscc_type=str(item["uscc_type"]),
            pattern=str(item["pattern"]),
            suffixes=_weights(item.get("suffixes") or {"": 1}),
            types=_weights(item["types"]),
            capital_wan={int(k): float(v) for k, v in (item.get("capital_wan") or {}).items()},
            paid_in=_weights(item.get("paid_in") or {"none": 1}),
            staff=_weights(item["staff"]),
            words=_strs(item.get("words")),
            industry=item.get("industry"),
        )
        for item in raw["kinds"]
    )


def _counties(raw: Mapping[str, Any]) -> tuple[County, ...]:
    divisions = load_divisions()
    skip = _strs(raw.get("skip_township_prefixes"))
    former = raw.get("former_codes") or {}
    counties: list[County] = []
    for code, weight in raw["county_weights"].items():
        county = divisions[str(code)]
        townships = tuple(
            Township(d.code, d.name)
            for d in divisions.children(county.code)
            if d.level is Level.TOWNSHIP and d.is_current and not d.name.startswith(skip)
        )
        old = former.get(str(code)) or {}
        counties.append(
            County(
                code=county.code,
                name=county.name,
                weight=float(weight),
                townships=townships,
                former_code=str(old["code"]) if old else None,
                former_until=old["until"] if old else None,
            )
        )
    return tuple(counties)


def _finance(raw: Mapping[str, Any]) -> dict[str, Any]:
    words = raw["restricted_words"]
    return {
        "restricted_binding": _strs(words["binding"]),
        "restricted_2016": _strs(words["list_2016"]),
        "restricted_other": _strs(words["other"]),
        "restricted_activities": _strs(raw["restricted_activities"]),
        "clauses": Clauses(**{k: str(v) for k, v in raw["clauses"].items()}),
        "finance_profiles": tuple(
            FinanceProfile(
                word=str(p["word"]),
                code=str(p["code"]),
                scope=str(p["scope"]),
                restricted_name=bool(p["restricted_name"]),
                restricted_scope=bool(p["restricted_scope"]),
            )
            for p in raw["finance_profiles"]
        ),
    }


def _names(raw: Mapping[str, Any], banned: Sequence[str]) -> dict[str, Any]:
    surnames = {str(k): float(v) for k, v in raw["surnames"].items()}
    return {
        "trade_names": _trade_names(raw, banned),
        "surnames": tuple(surnames),
        "surname_weights": tuple(surnames.values()),
        "given_chars": tuple(dict.fromkeys(_strs(raw["given_chars"]))),
    }


def _places(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "counties": _counties(raw),
        "province_name": str(raw["province_name"]),
        "city_code": str(raw["city"]),
        "city_name": str(raw["city_name"]),
        "area_code": str(raw["phone_area_code"]),
        **{key: _strs(raw[key]) for key in ("streets", "estates", "towers", "parks", "villages")},
    }


def _licences(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "licence_styles": {
            str(k): LicenceStyle(str(k), str(v["wording"]), str(v["issuer"]), str(v["number"]))
            for k, v in raw["kinds"].items()
        },
        "licence_statuses": {str(k): str(v) for k, v in raw["statuses"].items()},
    }


def _parse(name: str, parse: Callable[[Mapping[str, Any]], _T]) -> _T:
    raw, origin = _load(name)
    try:
        return parse(raw)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError([Problem(f"bad demo pool data: {exc!r}", Location(origin))]) from exc


@cache
def load_pools() -> Pools:
    """Load the demo pools (cached after the first call).

    Raises:
        ConfigError: a pool file is missing a key or has a value of the wrong shape.
    """
    finance = _parse("finance.yml", _finance)
    banned = (
        finance["restricted_binding"] + finance["restricted_2016"] + finance["restricted_other"]
    )
    return Pools(
        **_parse("names.yml", lambda raw: _names(raw, banned)),
        **_parse("places.yml", _places),
        industries=_parse("industries.yml", _industries),
        kinds=_parse("forms.yml", _kinds),
        **_parse("licences.yml", _licences),
        **finance,
    )


__all__ = [
    "Clauses",
    "County",
    "FinanceProfile",
    "Industry",
    "LicenceStyle",
    "OrgKind",
    "Pools",
    "Township",
    "load_pools",
]
