"""Ordinary enterprises of the demo registry, drawn in vectorised blocks.

:class:`RegistryGenerator` turns the word pools into index tables once, then draws blocks of
rows with a handful of numpy draws and Arrow kernels per column: names are
``{region}{字号}{infix}{industry word}{suffix}`` assembled from interned parts, scopes are
drawn from per-industry variants, USCCs are computed for whole arrays. Ordinary rows never
carry a restricted financial word in their names, so in the demo city every rule hit comes
from a planted case; the benchmark can ask for a share of finance-flavoured rows instead.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.demo.places import (
    BoolArray,
    CityMap,
    FloatArray,
    IntArray,
    choose,
    dates,
    day_number,
    join,
    make_addresses,
    make_person_names,
    make_phones,
    numbers,
    probabilities,
    strings,
    take,
)
from smokewatch.demo.pools import OrgKind, Pools
from smokewatch.demo.records import FORMER_NAME_SEPARATOR, registry_schema
from smokewatch.demo.scopes import NEW, OLD, STANDARD_WORDING_SINCE, ScopeBook
from smokewatch.demo.uscc import make_usccs
from smokewatch.errors import InvalidInput

STATUS_WEIGHTS: Mapping[str, float] = {
    "存续": 78,
    "在业": 4,
    "存续（在营、开业、在册）": 1,
    "在营（开业）企业": 1,  # not a vocabulary synonym: the source.yml maps it with a lookup
    "吊销，未注销": 5,
    "注销": 9,
    "迁出": 1,
    "清算": 0.5,
    "停业": 0.5,
}
"""登记状态 wording of ordinary rows and its relative frequency."""

STATUS_LOOKUPS: Mapping[str, str] = {"在营（开业）企业": "active"}
"""Status wording the enterprise_status vocabulary lacks; the registry source.yml maps it."""

USCC_REFORM = date(2015, 10, 1)
"""Enterprises registered since then get ``MA`` organisation codes."""

_COMPANY_REGIONS = {"芜湖": 32, "芜湖市": 14, "安徽": 18, "安徽省": 6, "bracket": 10, "county": 8}
_PARTNERSHIP_REGIONS = {"芜湖": 50, "芜湖市": 20, "安徽": 30}
_PARENT_REGIONS = ("合肥", "安徽", "上海", "南京", "杭州", "江苏", "浙江", "马鞍山", "宣城", "铜陵")
_STAFF_BANDS: Mapping[str, tuple[int, int]] = {
    "none": (-1, -1),
    "0": (0, 0),
    "1-3": (1, 3),
    "4-10": (4, 10),
    "11-50": (11, 50),
    "51-300": (51, 300),
}
_PAID_IN = ("none", "zero", "full")
_AGE_DAYS = {"individual_business": 1600.0, "cooperative": 3000.0}
_COOPERATIVE_LAW = date(2007, 7, 1)
_MAX_REDRAWS = 50


class _Interner:
    """Strings to stable small integers, rendered once as an Arrow array."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        return self._index.setdefault(text, len(self._index))

    def array(self) -> pa.StringArray:
        return strings(list(self._index))


@dataclass(frozen=True, slots=True)
class _Choice:
    """Values with probabilities."""

    values: IntArray
    p: FloatArray

    @classmethod
    def of(cls, weights: Mapping[int, float]) -> _Choice:
        return cls(np.array(list(weights), dtype=np.int64), probabilities(list(weights.values())))

    def draw(self, rng: np.random.Generator, n: int) -> IntArray:
        return np.asarray(self.values[choose(rng, n, self.p)], dtype=np.int64)


@dataclass(frozen=True, slots=True)
class _KindTable:
    """Index tables of one organisational kind."""

    kind: OrgKind
    entries: _Choice
    suffixes: _Choice
    types: _Choice
    capital: _Choice | None
    paid_in: FloatArray
    staff: _Choice


@dataclass(frozen=True, slots=True)
class _Names:
    """Interned name parts of each row of a block."""

    prefix: IntArray
    zihao: IntArray
    infix: IntArray
    word: IntArray
    suffix: IntArray


@dataclass(frozen=True, slots=True)
class _Changes:
    """Which rows changed name or scope, and when (day numbers)."""

    name: BoolArray
    twice: BoolArray
    name_day: IntArray
    scope: BoolArray
    scope_day: IntArray


class RegistryGenerator:
    """Draws blocks of ordinary registry rows for one seed and evaluation date."""

    def __init__(self, pools: Pools, *, seed: int, as_of: date) -> None:
        self.pools = pools
        self.seed = seed
        self.as_of = as_of
        self.city = CityMap.build(pools)
        self._parts = _Interner()
        self._types = _Interner()
        industries = pools.industries
        self._entry_word: list[int] = []
        self._entry_industry: list[int] = []
        self._kinds = tuple(self._kind_table(kind) for kind in pools.kinds)
        self._kind_p = probabilities([k.weight for k in pools.kinds])
        self._limited = next(i for i, k in enumerate(pools.kinds) if k.id == "limited_company")
        self._finance = np.array(
            [self._entry(p.word, len(industries) + j) for j, p in enumerate(pools.finance_profiles)]
        )
        self._hollow_ok = np.array([p.restricted_name for p in pools.finance_profiles])
        self._build_region_tables()
        self._codes = strings(
            [i.code for i in industries] + [p.code for p in pools.finance_profiles]
        )
        self._scopes = ScopeBook.build(
            np.random.default_rng([seed, 0x5C0BE]),
            industries,
            pools.clauses,
            tuple(p.scope for p in pools.finance_profiles),
        )
        self._trade_names = strings(pools.trade_names)
        self._type_names = self._types.array()
        self._type_foreign = np.array(["外商" in t for t in self._type_names.to_pylist()])
        self._status = strings(list(STATUS_WEIGHTS))
        self._status_p = probabilities(list(STATUS_WEIGHTS.values()))
        self._restricted = "|".join(re.escape(w) for w in pools.restricted_words)
        # Every part is interned by now: render the lookup arrays once.
        self._part_array = self._parts.array()
        self._entry_words = np.asarray(self._entry_word, dtype=np.int64)
        self._entry_industries = np.asarray(self._entry_industry, dtype=np.int64)

    # ------------------------------------------------------------------ tables

    def _build_region_tables(self) -> None:
        """Interned prefixes and suffixes that depend on the region or the county."""
        counties = self.pools.counties
        self._region = {name: self._parts(name) for name in (*_COMPANY_REGIONS, "（芜湖）", "")}
        self._county_company = np.array([self._parts(_county_prefix(c.name)) for c in counties])
        self._county_shop = np.array(
            [
                [self._parts(_county_prefix(c.name)), self._parts(_shop_prefix(c.name))]
                for c in counties
            ]
        )
        self._parent = np.array([self._parts(r) for r in _PARENT_REGIONS])
        self._branch = np.array(
            [
                [self._parts(f"{s}芜湖分公司")]
                + [self._parts(f"{s}{c.name}分公司") for c in counties]
                for s in self._branch_suffixes()
            ]
        )

    def _entry(self, word: str, industry: int) -> int:
        self._entry_word.append(self._parts(word))
        self._entry_industry.append(industry)
        return len(self._entry_word) - 1

    def _branch_suffixes(self) -> list[str]:
        branch = next(k for k in self.pools.kinds if k.pattern == "branch")
        return list(branch.suffixes)

    def _kind_entries(self, kind: OrgKind) -> dict[int, float]:
        industries = self.pools.industries
        if kind.pattern == "partnership":
            home = next(i for i, ind in enumerate(industries) if ind.id == kind.industry)
            return {self._entry(w, home): 1.0 for w in kind.words}
        entries: dict[int, float] = {}
        for i, industry in enumerate(industries):
            if kind.pattern == "shop":
                entries.update({self._entry(w, i): 1.0 for w in industry.shops})
            elif kind.pattern == "coop":
                entries.update({self._entry(w, i): 1.0 for w in industry.coops})
            else:
                share = industry.weight / len(industry.words)
                entries.update({self._entry(w, i): share for w in industry.words})
        return entries

    def _kind_table(self, kind: OrgKind) -> _KindTable:
        suffixes = (
            dict(enumerate(kind.suffixes.values()))
            if kind.pattern == "branch"
            else {self._parts(s): w for s, w in kind.suffixes.items()}
        )
        return _KindTable(
            kind=kind,
            entries=_Choice.of(self._kind_entries(kind)),
            suffixes=_Choice.of(suffixes),
            types=_Choice.of({self._types(t): w for t, w in kind.types.items()}),
            capital=_Choice.of(dict(kind.capital_wan)) if kind.capital_wan else None,
            paid_in=probabilities([kind.paid_in.get(key, 0.0) for key in _PAID_IN]),
            staff=_Choice.of({i: kind.staff.get(b, 0.0) for i, b in enumerate(_STAFF_BANDS)}),
        )

    # ------------------------------------------------------------------ names

    def _draw_names(
        self, rng: np.random.Generator, kind: IntArray, county: IntArray, finance: BoolArray
    ) -> _Names:
        n = kind.shape[0]
        names = _Names(*(np.zeros(n, dtype=np.int64) for _ in range(5)))
        names.zihao[:] = rng.integers(0, len(self.pools.trade_names), n)
        names.infix[:] = self._region[""]
        for k, table in enumerate(self._kinds):
            rows = np.flatnonzero(kind == k)
            if rows.size:
                self._draw_kind_names(rng, table, rows, county[rows], names)
        fin = np.flatnonzero(finance)
        names.word[fin] = self._finance[rng.integers(0, self._finance.shape[0], fin.size)]
        return names

    def _draw_kind_names(
        self,
        rng: np.random.Generator,
        table: _KindTable,
        rows: IntArray,
        county: IntArray,
        names: _Names,
    ) -> None:
        m = rows.size
        pattern = table.kind.pattern
        names.word[rows] = table.entries.draw(rng, m)
        suffix = table.suffixes.draw(rng, m)
        if pattern == "branch":
            local = np.where(rng.random(m) < 0.6, 0, county + 1)
            names.prefix[rows] = self._parent[rng.integers(0, self._parent.shape[0], m)]
            names.suffix[rows] = self._branch[suffix, local]
            return
        names.suffix[rows] = suffix
        if pattern == "shop":
            names.prefix[rows] = self._county_shop[county, rng.integers(0, 2, m)]
        elif pattern == "coop":
            names.prefix[rows] = self._county_company[county]
        else:
            regions = _PARTNERSHIP_REGIONS if pattern == "partnership" else _COMPANY_REGIONS
            keys = list(regions)
            style = choose(rng, m, probabilities(list(regions.values())))
            prefix = np.array([self._region[key] for key in keys], dtype=np.int64)[style]
            by_county = style == keys.index("county") if "county" in keys else np.zeros(m, bool)
            bracket = style == keys.index("bracket") if "bracket" in keys else np.zeros(m, bool)
            prefix[by_county] = self._county_company[county[by_county]]
            prefix[bracket] = self._region[""]
            names.prefix[rows] = prefix
            names.infix[rows[bracket]] = self._region["（芜湖）"]

    def _compose(self, names: _Names, zihao: IntArray) -> pa.Array:
        parts = self._part_array
        word = self._entry_words[names.word]
        return join(
            take(parts, names.prefix),
            take(self._trade_names, zihao),
            take(parts, names.infix),
            take(parts, word),
            take(parts, names.suffix),
        )

    def _clean_names(
        self,
        rng: np.random.Generator,
        names: _Names,
        finance: BoolArray,
        reserved: Collection[str],
        *,
        unique: bool,
    ) -> pa.Array:
        """Compose names, redrawing 字号 where a name hits a restricted word or a duplicate."""
        reserved_array = pa.array(sorted(reserved), type=pa.string())
        for _ in range(_MAX_REDRAWS):
            composed = self._compose(names, names.zihao)
            bad = np.asarray(pc.match_substring_regex(composed, self._restricted)) & ~finance
            bad |= np.asarray(pc.is_in(composed, value_set=reserved_array))
            if unique:
                bad |= _later_duplicates(composed)
            if not bad.any():
                return composed
            redo = np.flatnonzero(bad)
            names.zihao[redo] = rng.integers(0, len(self.pools.trade_names), redo.size)
        raise InvalidInput("could not draw unique enterprise names; use fewer rows")

    def _former_names(
        self, rng: np.random.Generator, names: _Names, changed: BoolArray, twice: BoolArray
    ) -> pa.Array:
        size = len(self.pools.trade_names)
        recent = (names.zihao + rng.integers(1, size, names.zihao.shape[0])) % size
        older = (recent + rng.integers(1, size, names.zihao.shape[0])) % size
        recent_name, older_name = self._compose(names, recent), self._compose(names, older)
        clean = ~(
            np.asarray(pc.match_substring_regex(recent_name, self._restricted))
            | np.asarray(pc.match_substring_regex(older_name, self._restricted))
        )
        both = join(older_name, FORMER_NAME_SEPARATOR, recent_name)
        former = pc.if_else(pa.array(twice & clean), both, recent_name)
        return pc.if_else(pa.array(changed & clean), former, pa.scalar(None, pa.string()))

    # ------------------------------------------------------------------ block

    def block(
        self,
        rng: np.random.Generator,
        n: int,
        *,
        start_index: int,
        finance_share: float = 0.0,
        unique_names: bool = False,
        reserved_names: Collection[str] = (),
    ) -> pa.Table:
        """``n`` registry rows (Chinese headers, text values).

        Args:
            rng: the block's random generator.
            n: number of rows.
            start_index: global index of the first row; indexes seed the unique USCCs.
            finance_share: share of rows drawn from the finance profiles (names or scopes
                with restricted wording, and decoys); 0 keeps every row ordinary.
            unique_names: redraw trade names until no two rows share a name.
            reserved_names: names the block must not use (e.g. planted enterprises).
        """
        finance = rng.random(n) < finance_share
        kind = choose(rng, n, self._kind_p)
        kind[finance] = self._limited
        coop = np.array([t.kind.pattern == "coop" for t in self._kinds])[kind]
        county = choose(rng, n, self.city.county_weights)
        county[coop] = choose(rng, int(coop.sum()), self.city.rural_weights)
        township = self.city.draw_townships(rng, county)
        names = self._draw_names(rng, kind, county, finance)
        established = self._established(rng, kind)
        changes = self._changes(rng, established)
        industry = self._entry_industries[names.word]
        scope_day = np.where(changes.scope, changes.scope_day, established)
        style = np.where(scope_day >= day_number(STANDARD_WORDING_SINCE), NEW, OLD)
        type_index = self._type_index(rng, kind)
        hollow = self._hollow(rng, finance, names.word)
        columns = {
            "统一社会信用代码": self._usccs(rng, kind, county, established, start_index),
            "企业名称": self._clean_names(rng, names, finance, reserved_names, unique=unique_names),
            "曾用名": self._former_names(rng, names, changes.name, changes.twice),
            "名称变更日期": _optional_dates(changes.name_day, changes.name),
            "法定代表人": make_person_names(rng, self.pools, n),
            **self._capitals(rng, kind, self._type_foreign[type_index], hollow),
            "成立日期": dates(established),
            "登记状态": take(self._status, choose(rng, n, self._status_p)),
            "企业类型": take(self._type_names, type_index),
            "行业代码": take(self._codes, industry),
            "经营范围": take(self._scopes.texts, self._scopes.draw(rng, industry, style)),
            "经营范围变更日期": _optional_dates(changes.scope_day, changes.scope),
            "住所": make_addresses(rng, self.pools, self.city, county, township),
            "所属区划": pc.if_else(
                pa.array(rng.random(n) < 2 / 3),
                take(strings(self.city.county_codes), county),
                pa.scalar(None, pa.string()),
            ),
            "联系电话": make_phones(rng, self.pools, n),
            "参保人数": self._staff(rng, kind, hollow),
        }
        return pa.table(columns, schema=registry_schema())

    def _established(self, rng: np.random.Generator, kind: IntArray) -> IntArray:
        mean = np.array([_AGE_DAYS.get(t.kind.id, 2600.0) for t in self._kinds])[kind]
        age = np.clip(rng.gamma(1.5, mean / 1.5), 20, 11_000).astype(np.int64)
        days = day_number(self.as_of) - age
        coop = np.array([t.kind.pattern == "coop" for t in self._kinds])[kind]
        days[coop] = np.maximum(days[coop], day_number(_COOPERATIVE_LAW))
        return np.asarray(days, dtype=np.int64)

    def _changes(self, rng: np.random.Generator, established: IntArray) -> _Changes:
        n = established.shape[0]
        span = np.maximum(day_number(self.as_of - timedelta(days=1)) - established, 1)
        return _Changes(
            name=_flags(rng, n, 0.05),
            twice=_flags(rng, n, 0.2),
            name_day=established + 1 + (rng.random(n) * span).astype(np.int64),
            scope=_flags(rng, n, 0.08),
            scope_day=established + 1 + (rng.random(n) * span).astype(np.int64),
        )

    def _usccs(
        self,
        rng: np.random.Generator,
        kind: IntArray,
        county: IntArray,
        established: IntArray,
        start_index: int,
    ) -> pa.Array:
        n = kind.shape[0]
        types = np.array([ord(t.kind.uscc_type) for t in self._kinds], dtype=np.uint8)[kind]
        modern = (established >= day_number(USCC_REFORM)) | (rng.random(n) < 0.15)
        modern |= types != ord("1")
        return make_usccs(
            np.arange(start_index, start_index + n, dtype=np.int64),
            county_codes=self.city.uscc_county_bytes(county, established),
            org_types=types,
            modern=modern,
            seed=self.seed,
        )

    def _type_index(self, rng: np.random.Generator, kind: IntArray) -> IntArray:
        index = np.zeros(kind.shape[0], dtype=np.int64)
        for k, table in enumerate(self._kinds):
            rows = np.flatnonzero(kind == k)
            index[rows] = table.types.draw(rng, rows.size)
        return index

    def _capitals(
        self, rng: np.random.Generator, kind: IntArray, foreign: BoolArray, hollow: BoolArray
    ) -> dict[str, pa.Array]:
        n = kind.shape[0]
        capital = np.full(n, -1, dtype=np.int64)
        paid = np.zeros(n, dtype=np.int64)
        for k, table in enumerate(self._kinds):
            rows = np.flatnonzero(kind == k)
            if table.capital is not None and rows.size:
                capital[rows] = table.capital.draw(rng, rows.size)
                paid[rows] = choose(rng, rows.size, table.paid_in)
        capital[hollow] = rng.choice([10_000, 20_000, 30_000, 50_000], int(hollow.sum()))
        paid[hollow] = 1
        unit = np.where(foreign, "万美元", np.where(rng.random(n) < 0.85, "万元人民币", "万人民币"))
        unit_array = pa.array(unit, type=pa.string())
        registered = join(numbers(np.maximum(capital, 0)), unit_array)
        paid_text = pc.if_else(pa.array(paid == 1), join("0", unit_array), registered)
        null = pa.scalar(None, pa.string())
        return {
            "注册资本": pc.if_else(pa.array(capital >= 0), registered, null),
            "实缴资本": pc.if_else(pa.array((capital >= 0) & (paid > 0)), paid_text, null),
        }

    def _hollow(self, rng: np.random.Generator, finance: BoolArray, word: IntArray) -> BoolArray:
        """Finance rows with a restricted name that get hollow capital (≥1亿, nothing paid)."""
        profile = np.clip(word - self._finance[0], 0, self._finance.shape[0] - 1)
        eligible = finance & self._hollow_ok[profile]
        return np.asarray(eligible & (rng.random(word.shape[0]) < 0.25), dtype=np.bool_)

    def _staff(self, rng: np.random.Generator, kind: IntArray, hollow: BoolArray) -> pa.Array:
        bands = np.array(list(_STAFF_BANDS.values()), dtype=np.int64)
        band = np.zeros(kind.shape[0], dtype=np.int64)
        for k, table in enumerate(self._kinds):
            rows = np.flatnonzero(kind == k)
            band[rows] = table.staff.draw(rng, rows.size)
        low, high = bands[band, 0], bands[band, 1]
        staff = low + np.floor(rng.random(kind.shape[0]) * (high - low + 1)).astype(np.int64)
        staff[hollow] = rng.integers(0, 3, int(hollow.sum()))
        low[hollow] = 0
        return pc.if_else(pa.array(low >= 0), numbers(staff), pa.scalar(None, pa.string()))


def _county_prefix(county: str) -> str:
    """Name prefix of companies in a county: 南陵县, 无为市, 芜湖市镜湖区; 芜湖 for zones."""
    if county.endswith("开发区"):
        return "芜湖"
    return county if county.endswith(("县", "市")) else f"芜湖市{county}"


def _shop_prefix(county: str) -> str:
    """Shorter prefix for individual businesses: 镜湖区, 南陵县; 芜湖市 for zones."""
    return "芜湖市" if county.endswith("开发区") else county


def _flags(rng: np.random.Generator, n: int, share: float) -> BoolArray:
    """``n`` independent flags, each true with probability ``share``."""
    return np.asarray(rng.random(n) < share, dtype=np.bool_)


def _optional_dates(days: IntArray, present: BoolArray) -> pa.Array:
    return pc.if_else(pa.array(present), dates(days), pa.scalar(None, pa.string()))


def _later_duplicates(values: pa.Array) -> BoolArray:
    """True for every row whose value already occurred in an earlier row."""
    array = np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)
    _, first = np.unique(array, return_index=True)
    duplicate = np.ones(array.shape[0], dtype=np.bool_)
    duplicate[first] = False
    return duplicate


__all__ = ["STATUS_LOOKUPS", "STATUS_WEIGHTS", "USCC_REFORM", "RegistryGenerator"]
