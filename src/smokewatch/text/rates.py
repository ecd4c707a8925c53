"""Benchmark interest rates by date, and how far a stated yearly return lies above them.

The benchmarks are data (``text/lexicons/benchmark_rates.yml``): the 1-year loan prime rate
(LPR, published monthly since 2019-08-20), the PBoC's 1-year benchmark deposit rate, and its
1-year benchmark lending rate (the reference before the LPR), each with its source and a note
on how it was checked. **The figures were transcribed from the public announcements and must
be checked against the official lists**; :attr:`Benchmarks.as_of` gives the date of the latest
change carried, so a finding can say "benchmark as of …".

:func:`deviation` compares a yearly rate (percent, as :mod:`smokewatch.text.returns` gives
it) with the benchmark in force on a day — the LPR from 2019-08-20, the benchmark lending rate
before — and with the judicial protection ceiling on private-lending interest in force then:

* from 2020-08-20, 4 × the 1-year LPR at the time the contract is made (《最高人民法院关于审理
  民间借贷案件适用法律若干问题的规定》第二十五条, quoted in the data file and checked
  against the official text by the tests);
* from 2015-09-01, a fixed 24 % a year (the 2015 version of the same rules; not checked);
* before, 4 × the bank lending rate (1991 opinions; not checked).

Bands are **smokewatch's judgement**, anchored on the one threshold that is law:

=======================  =====================================================
``market``               at most 1.5 × the benchmark
``elevated``             at most 2 × the benchmark
``high``                 above 2 ×, up to the legal ceiling (4 × LPR since 2020)
``above_legal_ceiling``  above the judicial protection ceiling
=======================  =====================================================

Examples:
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> benchmarks = load_benchmarks()
    >>> benchmarks.on("lpr_1y", date(2024, 11, 1)).value
    Decimal('3.10')
    >>> found = deviation(Decimal("24"), date(2024, 11, 1), benchmarks)
    >>> found.band.value, found.multiple, found.legal_ceiling
    ('above_legal_ceiling', Decimal('7.74'), Decimal('12.40'))
    >>> text = found.describe("zh")
    >>> text.startswith("年化24%，为评估日一年期LPR 3.10%（2024-10-21起）的7.74倍，")
    True
    >>> text.endswith("超过民间借贷司法保护上限（4倍LPR，12.40%）")
    True
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache
from itertools import pairwise
from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from smokewatch.errors import ConfigError, InvalidInput, Location, NotFound, Problem
from smokewatch.model._yaml import load_yaml_resource, package_dir
from smokewatch.text.lexicon import Label

_MULTIPLE_PLACES = Decimal("0.01")


class Band(StrEnum):
    """How far a yearly rate lies above the benchmark (see the module docstring)."""

    MARKET = "market"
    ELEVATED = "elevated"
    HIGH = "high"
    ABOVE_LEGAL_CEILING = "above_legal_ceiling"


@dataclass(frozen=True, slots=True)
class BenchmarkValue:
    """The value of a benchmark series in force on some day."""

    series: str
    value: Decimal
    """Percent per year (3.10 means 3.10 %)."""
    effective_from: date
    """The day this value took effect."""
    source: str


@dataclass(frozen=True, slots=True)
class BenchmarkSeries:
    """One benchmark rate through time: its changes, in date order, with source and check note."""

    id: str
    title: Label
    short: Label
    source: str
    checked: str
    """How the figures were checked (or that they were not): read before relying on them."""
    entries: tuple[tuple[date, Decimal], ...]

    def on(self, day: date) -> BenchmarkValue:
        """The value in force on ``day`` (the latest change on or before it).

        Raises:
            InvalidInput: ``day`` is before the first entry.
        """
        at = bisect_right(self.entries, day, key=lambda e: e[0])
        if at == 0:
            first = self.entries[0][0].isoformat()
            raise InvalidInput(f"{self.id}: no value before {first} (asked for {day})")
        effective, value = self.entries[at - 1]
        return BenchmarkValue(self.id, value, effective, self.source)

    @property
    def latest(self) -> BenchmarkValue:
        """The latest change carried."""
        effective, value = self.entries[-1]
        return BenchmarkValue(self.id, value, effective, self.source)


@dataclass(frozen=True, slots=True)
class CeilingRule:
    """A judicial protection ceiling on private-lending interest, from a date on.

    The ceiling is either ``multiple`` × the value of ``series`` on the day, or ``rate``.
    """

    id: str
    effective_from: date
    label: Label
    title: str
    issuer: str
    year: int
    article: str
    status: Literal["binding", "secondary"]
    """``binding``: quoted verbatim from the official text (the tests check the quote);
    ``secondary``: from memory or a secondary text, to be checked."""
    multiple: Decimal | None = None
    series: str | None = None
    rate: Decimal | None = None
    document_number: str | None = None
    quote: str | None = None
    note: str = ""

    def citation(self) -> str:
        """A short citation: 《title》（document number or year）article."""
        issue = f"（{self.document_number}）" if self.document_number else f"（{self.year}）"
        return f"《{self.title}》{issue}{self.article}"


@dataclass(frozen=True, slots=True)
class Benchmarks:
    """Every benchmark series, the comparison schedule, the band thresholds, the ceilings."""

    series: Mapping[str, BenchmarkSeries]
    comparison: tuple[tuple[date, str], ...]
    """From which day each series is the one a return is compared with."""
    deposit_series: str
    market: Decimal
    """Upper bound of the ``market`` band, as a multiple of the comparison rate."""
    elevated: Decimal
    """Upper bound of the ``elevated`` band, as a multiple of the comparison rate."""
    ceiling_rules: tuple[CeilingRule, ...]
    """In date order."""
    origin: str

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Python steps run in worker processes and receive their arguments pickled; the
        # read-only view of the series does not pickle, its contents do.
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["series"] = dict(self.series)
        return (_restore_benchmarks, (values,))

    def get(self, series: str) -> BenchmarkSeries:
        """One series by id; raises :class:`~smokewatch.errors.NotFound`."""
        if series not in self.series:
            known = ", ".join(sorted(self.series))
            raise NotFound(f"unknown benchmark series {series!r}; known: {known}")
        return self.series[series]

    def on(self, series: str, day: date) -> BenchmarkValue:
        """The value of ``series`` in force on ``day``.

        Raises:
            NotFound: no such series.
            InvalidInput: ``day`` is before the series' first entry.
        """
        return self.get(series).on(day)

    def latest(self, series: str) -> BenchmarkValue:
        """The latest change of ``series`` carried in the data."""
        return self.get(series).latest

    @property
    def as_of(self) -> date:
        """The date of the latest change carried in any series: "benchmarks as of …"."""
        return max(s.entries[-1][0] for s in self.series.values())

    def comparison_series(self, day: date) -> str:
        """The id of the series a yearly rate is compared with on ``day``.

        Raises:
            InvalidInput: ``day`` is before the first comparison entry.
        """
        at = bisect_right(self.comparison, day, key=lambda e: e[0])
        if at == 0:
            raise InvalidInput(f"no benchmark before {self.comparison[0][0]} (asked for {day})")
        return self.comparison[at - 1][1]

    def ceiling_rule(self, day: date) -> CeilingRule:
        """The private-lending ceiling rule that applied on ``day``.

        Raises:
            InvalidInput: ``day`` is before the first rule carried.
        """
        at = bisect_right(self.ceiling_rules, day, key=lambda r: r.effective_from)
        if at == 0:
            first = self.ceiling_rules[0].effective_from
            raise InvalidInput(f"no lending ceiling carried before {first} (asked for {day})")
        return self.ceiling_rules[at - 1]

    def legal_ceiling(self, day: date) -> tuple[Decimal, CeilingRule]:
        """The private-lending ceiling in percent per year on ``day``, with its rule."""
        rule = self.ceiling_rule(day)
        if rule.rate is not None:
            return rule.rate, rule
        if rule.multiple is None or rule.series is None:  # excluded by parse_benchmarks
            raise ConfigError(f"ceiling rule {rule.id!r} has neither a rate nor a multiple")
        return rule.multiple * self.on(rule.series, day).value, rule


@dataclass(frozen=True, slots=True)
class Deviation:
    """How a yearly rate compares with the benchmark and the legal ceiling on a day."""

    annual_rate: Decimal
    """The rate compared, percent per year."""
    day: date
    """The assessment day (the date of the text, or of the contract)."""
    benchmark: BenchmarkValue
    """The comparison rate in force: the 1-year LPR, or before 2019-08-20 the lending rate."""
    multiple: Decimal
    """``annual_rate`` / benchmark, rounded to 2 decimals (bands use the exact ratio)."""
    band: Band
    legal_ceiling: Decimal
    """The judicial protection ceiling in percent per year (4 × LPR since 2020-08-20)."""
    above_legal_ceiling: bool
    deposit: BenchmarkValue
    """The 1-year benchmark deposit rate in force."""
    deposit_multiple: Decimal
    """``annual_rate`` / deposit rate, rounded to 2 decimals."""
    ceiling_rule: CeilingRule
    series_label: Label
    """The short name of the comparison series (一年期LPR / 1-year LPR)."""

    def describe(self, lang: str = "zh") -> str:
        """One sentence for a finding, in Chinese (``zh``) or English.

        The Chinese form reads 年化24%，为评估日一年期LPR 3.10%（2024-10-21起）的7.74倍，
        超过民间借贷司法保护上限（4倍LPR，12.40%）.
        """
        rate = _percent(self.annual_rate)
        bench = f"{self.benchmark.value:.2f}%"
        since = self.benchmark.effective_from.isoformat()
        ceiling = f"{self.ceiling_rule.label.get(lang)}，{self.legal_ceiling:.2f}%"
        if lang.startswith("zh"):
            verdict = "超过" if self.above_legal_ceiling else "未超过"
            return (
                f"年化{rate}，为评估日{self.series_label.zh} {bench}（{since}起）的"
                f"{self.multiple}倍，{verdict}民间借贷司法保护上限（{ceiling}）"
            )
        verdict = "above" if self.above_legal_ceiling else "within"
        ceiling = f"{self.ceiling_rule.label.en}, {self.legal_ceiling:.2f}%"
        return (
            f"{rate} a year, {self.multiple} times the {self.series_label.en} of {bench} "
            f"(in force from {since}) on the assessment date; {verdict} the judicial protection "
            f"ceiling for private lending ({ceiling})"
        )


def _percent(rate: Decimal) -> str:
    """12.0000 → 12%, 18.5000 → 18.5%."""
    text = f"{rate:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def _ratio(rate: Decimal, base: Decimal) -> Decimal:
    return (rate / base).quantize(_MULTIPLE_PLACES, rounding=ROUND_HALF_UP)


def deviation(annual_rate: Decimal, day: date, benchmarks: Benchmarks) -> Deviation:
    """Compare a yearly rate (percent) with the benchmarks in force on ``day``.

    Raises:
        InvalidInput: a negative or non-finite rate, or a day before the data begins.

    Examples:
        >>> from datetime import date
        >>> from decimal import Decimal
        >>> deviation(Decimal("4"), date(2025, 6, 30), load_benchmarks()).band.value
        'market'
    """
    if not annual_rate.is_finite() or annual_rate < 0:
        raise InvalidInput(f"a yearly rate must be finite and non-negative, not {annual_rate}")
    series = benchmarks.get(benchmarks.comparison_series(day))
    benchmark = series.on(day)
    deposit = benchmarks.on(benchmarks.deposit_series, day)
    ceiling, rule = benchmarks.legal_ceiling(day)
    if annual_rate > ceiling:
        band = Band.ABOVE_LEGAL_CEILING
    elif annual_rate > benchmarks.elevated * benchmark.value:
        band = Band.HIGH
    elif annual_rate > benchmarks.market * benchmark.value:
        band = Band.ELEVATED
    else:
        band = Band.MARKET
    return Deviation(
        annual_rate=annual_rate,
        day=day,
        benchmark=benchmark,
        multiple=_ratio(annual_rate, benchmark.value),
        band=band,
        legal_ceiling=ceiling,
        above_legal_ceiling=annual_rate > ceiling,
        deposit=deposit,
        deposit_multiple=_ratio(annual_rate, deposit.value),
        ceiling_rule=rule,
        series_label=series.short,
    )


# ---------------------------------------------------------------- YAML specs (the boundary)


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _LabelSpec(_Spec):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _EntrySpec(_Spec):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    effective_from: date = Field(alias="from")
    value: Decimal = Field(gt=0, lt=100)


class _SeriesSpec(_Spec):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: _LabelSpec
    short: _LabelSpec
    source: str = Field(min_length=1)
    checked: str = Field(min_length=1)
    entries: list[_EntrySpec] = Field(min_length=1)


class _ComparisonSpec(_Spec):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    effective_from: date = Field(alias="from")
    series: str


class _BandsSpec(_Spec):
    market: Decimal = Field(gt=0)
    elevated: Decimal = Field(gt=0)


class _CeilingSpec(_Spec):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    effective_from: date
    label: _LabelSpec
    title: str = Field(min_length=1)
    issuer: str = Field(min_length=1)
    year: int = Field(ge=1949, le=2100)
    article: str = Field(min_length=1)
    status: Literal["binding", "secondary"]
    multiple: Decimal | None = Field(default=None, gt=0)
    series: str | None = None
    rate: Decimal | None = Field(default=None, gt=0)
    document_number: str | None = None
    quote: str | None = None
    note: str = ""


class _BenchmarksSpec(_Spec):
    kind: Literal["benchmark_rates"]
    name: str
    series: list[_SeriesSpec] = Field(min_length=1)
    comparison: list[_ComparisonSpec] = Field(min_length=1)
    deposit_series: str
    bands: _BandsSpec
    ceiling_rules: list[_CeilingSpec] = Field(min_length=1)


def _ascending(dates: list[date]) -> bool:
    return all(a < b for a, b in pairwise(dates))


def _cross_check(spec: _BenchmarksSpec, origin: str) -> list[Problem]:
    """Checks pydantic cannot express: order, references, rule shapes."""
    loc = Location(origin)
    problems: list[Problem] = []
    ids = [s.id for s in spec.series]
    if len(set(ids)) != len(ids):
        problems.append(Problem("duplicate series ids", loc))
    problems.extend(
        Problem(f"series {s.id!r}: entries must be in strictly increasing date order", loc)
        for s in spec.series
        if not _ascending([e.effective_from for e in s.entries])
    )
    references = [c.series for c in spec.comparison] + [spec.deposit_series]
    references += [r.series for r in spec.ceiling_rules if r.series is not None]
    problems.extend(Problem(f"unknown series {r!r}", loc) for r in references if r not in ids)
    if not _ascending([c.effective_from for c in spec.comparison]):
        problems.append(Problem("comparison: dates must be strictly increasing", loc))
    if spec.bands.market >= spec.bands.elevated:
        problems.append(Problem("bands: market must be below elevated", loc))
    ordered = sorted(spec.ceiling_rules, key=lambda r: r.effective_from)
    if not _ascending([r.effective_from for r in ordered]):
        problems.append(Problem("ceiling_rules: two rules start on the same day", loc))
    for rule in spec.ceiling_rules:
        where = f"ceiling rule {rule.id!r}"
        if (rule.rate is None) == (rule.multiple is None or rule.series is None):
            problems.append(Problem(f"{where}: give either rate, or multiple and series", loc))
        if rule.status == "binding" and not rule.quote:
            problems.append(Problem(f"{where}: a binding rule needs a verbatim quote", loc))
    return problems


def _restore_benchmarks(values: dict[str, Any]) -> Benchmarks:
    return Benchmarks(**{**values, "series": MappingProxyType(values["series"])})


def parse_benchmarks(raw: Any, origin: str) -> Benchmarks:
    """Validate a parsed ``benchmark_rates`` YAML document and build :class:`Benchmarks`.

    Raises:
        ConfigError: with every problem found (schema, date order, unknown series, a ceiling
            rule with neither or both of a rate and a multiple, a binding rule without quote).
    """
    try:
        spec = _BenchmarksSpec.model_validate(raw)
    except ValidationError as exc:
        loc = Location(origin)
        raise ConfigError(
            [
                Problem(f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}", loc)
                for err in exc.errors()
            ]
        ) from exc
    problems = _cross_check(spec, origin)
    if problems:
        raise ConfigError(problems)
    series = {
        s.id: BenchmarkSeries(
            id=s.id,
            title=Label(s.title.zh, s.title.en),
            short=Label(s.short.zh, s.short.en),
            source=" ".join(s.source.split()),
            checked=" ".join(s.checked.split()),
            entries=tuple((e.effective_from, e.value) for e in s.entries),
        )
        for s in spec.series
    }
    rules = tuple(
        CeilingRule(
            id=r.id,
            effective_from=r.effective_from,
            label=Label(r.label.zh, r.label.en),
            title=r.title,
            issuer=r.issuer,
            year=r.year,
            article=r.article,
            status=r.status,
            multiple=r.multiple,
            series=r.series,
            rate=r.rate,
            document_number=r.document_number,
            quote=r.quote.strip() if r.quote else None,
            note=" ".join(r.note.split()),
        )
        for r in sorted(spec.ceiling_rules, key=lambda r: r.effective_from)
    )
    return Benchmarks(
        series=MappingProxyType(series),  # shared by every caller of load_benchmarks: read-only
        comparison=tuple((c.effective_from, c.series) for c in spec.comparison),
        deposit_series=spec.deposit_series,
        market=spec.bands.market,
        elevated=spec.bands.elevated,
        ceiling_rules=rules,
        origin=origin,
    )


@cache
def load_benchmarks() -> Benchmarks:
    """The packaged benchmarks (``text/lexicons/benchmark_rates.yml``), parsed once per process.

    Raises:
        ConfigError: the packaged file is invalid.
    """
    node = package_dir("smokewatch.text", "lexicons") / "benchmark_rates.yml"
    return parse_benchmarks(load_yaml_resource(node), str(node))


__all__ = [
    "Band",
    "BenchmarkSeries",
    "BenchmarkValue",
    "Benchmarks",
    "CeilingRule",
    "Deviation",
    "deviation",
    "load_benchmarks",
    "parse_benchmarks",
]
