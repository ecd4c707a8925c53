"""Features: named, documented functions over tables, computed by the engine.

A :class:`FeatureSet` is the ordered list of features one model reads. Each feature is a
small function whose docstring explains, for an analyst, what the number means; the UI, the
API and ``smokewatch model show`` display it. Three kinds of functions exist:

- **row features** (``@features.row``) return an ibis column expression over the model's
  *base view*, which has one row per subject;
- **aggregate features** (``@features.aggregate(view)``) return an ibis reduction over a child
  view that has several rows per subject (tax records, annual reports, news); every aggregate
  over the same view becomes one ``GROUP BY`` and one left join;
- **encoded features** (:meth:`FeatureSet.encoded`) are out-of-fold target encodings of a
  category feature; training computes them from the labels (never from the row's own label)
  and the artefact stores the mapping used at prediction time.

:func:`compute_features` turns a feature set into one ibis expression, runs it on the engine
(DuckDB or Spark) and returns Arrow keyed by the subject's key columns, in key order.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.errors import ConfigError, InvalidInput

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.base import Engine

Expression = Callable[["ir.Table"], Any]
"""A feature body: takes the base or child view, returns an ibis column or reduction."""

DTYPES = {"float64": pa.float64(), "int64": pa.int64()}
"""Feature values are numbers: quantities are ``float64``, counts, flags and codes ``int64``."""


class FeatureKind(StrEnum):
    """How a feature's value reads, which decides how an explanation words it."""

    NUMBER = "number"
    """A quantity (capital, ratio, year); shown with its unit."""
    COUNT = "count"
    """How many rows of something a subject has; 0 when it has none."""
    FLAG = "flag"
    """Yes (1) or no (0)."""
    CATEGORY = "category"
    """A code (industry, enterprise type, district); shown with its label when known."""
    ENCODED = "encoded"
    """The labelled rate of risk among other subjects of the same category (out of fold)."""


@dataclass(frozen=True, slots=True)
class Feature:
    """One model input, with what an analyst needs to read it."""

    name: str
    label_zh: str
    label_en: str
    description: str
    kind: FeatureKind
    dtype: str
    inputs: tuple[str, ...]
    """Input files or tables the feature reads (for the model card and audits)."""
    source: str | None = None
    """Child view an aggregate feature reduces; ``None`` for row and encoded features."""
    expression: Expression | None = field(default=None, repr=False, compare=False)
    default: float | None = None
    """Value for a subject without rows in ``source`` (e.g. 0 tax records)."""
    unit_zh: str = ""
    unit_en: str = ""
    percent: bool = False
    """Show the value as a percentage (ratios and rates)."""
    values: Mapping[int, tuple[str, str]] = field(default_factory=dict)
    """Labels of category codes, ``{code: (zh, en)}``."""
    encodes: str | None = None
    """For an encoded feature: the category feature it encodes."""

    def spec(self) -> dict[str, Any]:
        """What the artefact's manifest records about this feature."""
        spec: dict[str, Any] = {
            "name": self.name,
            "dtype": self.dtype,
            "kind": str(self.kind),
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "description": self.description,
            "inputs": list(self.inputs),
        }
        if self.source:
            spec["source"] = self.source
        if self.encodes:
            spec["encodes"] = self.encodes
        return spec


def _doc(fn: Callable[..., Any]) -> str:
    doc = inspect.getdoc(fn)
    if not doc:
        raise ConfigError(f"feature {fn.__name__} has no docstring; analysts read it")
    return doc


def _dtype(kind: FeatureKind, dtype: str | None) -> str:
    chosen = dtype or ("float64" if kind in {FeatureKind.NUMBER, FeatureKind.ENCODED} else "int64")
    if chosen not in DTYPES:
        raise ConfigError(f"unsupported feature dtype {chosen!r}; use one of {sorted(DTYPES)}")
    return chosen


class FeatureSet:
    """The ordered features of one model, registered by decorators.

    Examples:
        >>> fs = FeatureSet("demo", keys=("id",), base="subject")
        >>> @fs.row(zh="注册资本", en="registered capital", inputs=("subject.csv",))
        ... def registered_capital(t):
        ...     '''Registered capital in 万元.'''
        ...     return t.capital
        >>> fs.names
        ['registered_capital']
    """

    def __init__(self, name: str, *, keys: Sequence[str], base: str) -> None:
        self.name = name
        self.keys = tuple(keys)
        self.base = base
        self._features: dict[str, Feature] = {}

    # -- registration --------------------------------------------------------------------

    def _add(self, feature: Feature) -> Feature:
        if feature.name in self._features or feature.name in self.keys:
            raise ConfigError(f"feature {feature.name!r} is defined twice in {self.name}")
        if feature.encodes is not None:
            source = self._features.get(feature.encodes)
            if source is None or source.kind is not FeatureKind.CATEGORY:
                raise ConfigError(
                    f"{feature.name} encodes {feature.encodes!r}, which is not a category "
                    "feature defined before it"
                )
        self._features[feature.name] = feature
        return feature

    def row(
        self,
        *,
        zh: str,
        en: str,
        inputs: Sequence[str],
        kind: FeatureKind = FeatureKind.NUMBER,
        dtype: str | None = None,
        unit: tuple[str, str] = ("", ""),
        percent: bool = False,
        values: Mapping[int, tuple[str, str]] | None = None,
    ) -> Callable[[Expression], Expression]:
        """Register a feature computed from the base view (one row per subject)."""

        def register(fn: Expression) -> Expression:
            self._add(
                Feature(
                    name=fn.__name__,
                    label_zh=zh,
                    label_en=en,
                    description=_doc(fn),
                    kind=kind,
                    dtype=_dtype(kind, dtype),
                    inputs=tuple(inputs),
                    expression=fn,
                    unit_zh=unit[0],
                    unit_en=unit[1],
                    percent=percent,
                    values=dict(values or {}),
                )
            )
            return fn

        return register

    def aggregate(
        self,
        source: str,
        *,
        zh: str,
        en: str,
        inputs: Sequence[str],
        kind: FeatureKind = FeatureKind.NUMBER,
        dtype: str | None = None,
        default: float | None = None,
        unit: tuple[str, str] = ("", ""),
        percent: bool = False,
    ) -> Callable[[Expression], Expression]:
        """Register a reduction over the child view ``source`` (grouped by the keys).

        Counts default to 0 for subjects without rows; other aggregates stay empty (null).
        """

        def register(fn: Expression) -> Expression:
            self._add(
                Feature(
                    name=fn.__name__,
                    label_zh=zh,
                    label_en=en,
                    description=_doc(fn),
                    kind=kind,
                    dtype=_dtype(kind, dtype),
                    inputs=tuple(inputs),
                    source=source,
                    expression=fn,
                    default=0 if default is None and kind is FeatureKind.COUNT else default,
                    unit_zh=unit[0],
                    unit_en=unit[1],
                    percent=percent,
                )
            )
            return fn

        return register

    def include(self, other: FeatureSet) -> None:
        """Append every feature of ``other`` (a group defined in another module), in order.

        Raises:
            ConfigError: the groups do not share keys and base view, or a name repeats.
        """
        if other.keys != self.keys or other.base != self.base:
            raise ConfigError(f"{other.name} has other keys or base view than {self.name}")
        for feature in other.features:
            self._add(feature)

    def encoded(self, name: str, *, of: str, zh: str, en: str, description: str) -> Feature:
        """Register an out-of-fold target encoding of the category feature ``of``."""
        source = self._features.get(of)
        return self._add(
            Feature(
                name=name,
                label_zh=zh,
                label_en=en,
                description=description,
                kind=FeatureKind.ENCODED,
                dtype="float64",
                inputs=source.inputs if source else (),
                percent=True,
                encodes=of,
            )
        )

    # -- reading -------------------------------------------------------------------------

    @property
    def features(self) -> tuple[Feature, ...]:
        """Every feature, in model column order."""
        return tuple(self._features.values())

    @property
    def names(self) -> list[str]:
        """Feature names in model column order (the manifest's ``features.names``)."""
        return list(self._features)

    @property
    def dtypes(self) -> list[str]:
        """Feature dtypes in model column order."""
        return [f.dtype for f in self._features.values()]

    def get(self, name: str) -> Feature:
        """The feature called ``name``."""
        try:
            return self._features[name]
        except KeyError:
            raise InvalidInput(f"{self.name} has no feature {name!r}") from None

    @property
    def computed(self) -> tuple[Feature, ...]:
        """Features the engine computes (everything but encodings)."""
        return tuple(f for f in self._features.values() if f.kind is not FeatureKind.ENCODED)

    @property
    def encodings(self) -> tuple[Feature, ...]:
        """Encoded features, computed from labels during training."""
        return tuple(f for f in self._features.values() if f.kind is FeatureKind.ENCODED)

    def manifest(self) -> dict[str, Any]:
        """The ``features`` section of a manifest: ordered names, dtypes and specs."""
        return {
            "set": self.name,
            "keys": list(self.keys),
            "names": self.names,
            "dtypes": self.dtypes,
            "specs": [f.spec() for f in self.features],
        }


def feature_expression(features: FeatureSet, views: Mapping[str, ir.Table]) -> ir.Table:
    """One ibis expression with the keys and every computed feature, one row per subject.

    Raises:
        InvalidInput: a view the feature set needs is missing.
    """
    missing = {features.base, *(f.source for f in features.computed if f.source)} - set(views)
    if missing:
        raise InvalidInput(f"{features.name} needs the views {', '.join(sorted(missing))}")
    base = views[features.base]
    keys = list(features.keys)
    row = {
        f.name: f.expression(base).cast(f.dtype)
        for f in features.computed
        if f.source is None and f.expression is not None
    }
    expr = base.select(*keys, **row)
    by_source: dict[str, list[Feature]] = {}
    for feature in features.computed:
        if feature.source is not None:
            by_source.setdefault(feature.source, []).append(feature)
    for index, (source, group) in enumerate(by_source.items()):
        child = views[source]
        renamed = {k: f"__k{index}_{k}" for k in keys}
        agg = child.group_by(keys).aggregate(
            **{f.name: f.expression(child) for f in group if f.expression is not None}
        )
        agg = agg.rename({new: old for old, new in renamed.items()})
        joined = expr.left_join(agg, [expr[k] == agg[renamed[k]] for k in keys])
        expr = joined.select(
            *[joined[c] for c in expr.columns],
            *[_filled(joined[f.name], f) for f in group],
        )
    names = [f.name for f in features.computed]
    return expr.select(*keys, *names)


def _filled(column: Any, feature: Feature) -> Any:
    value = column if feature.default is None else column.fill_null(feature.default)
    return value.cast(feature.dtype).name(feature.name)


def compute_features(
    engine: Engine,
    features: FeatureSet,
    views: Mapping[str, ir.Table],
    *,
    step: str | None = None,
) -> pa.Table:
    """Compute every engine feature; Arrow with the key columns then the features, key order.

    Columns are cast to the declared dtypes whatever the engine returns.
    """
    expr = feature_expression(features, views).order_by(list(features.keys))
    table = engine.to_arrow(expr, step=step or f"features {features.name}")
    return _conform(table, features)


ROUND_DECIMALS = 6
"""Float features are rounded to this many decimals: engines sum floats in different orders,
and a last-bit difference could otherwise move a tree split between DuckDB and Spark."""


def _conform(table: pa.Table, features: FeatureSet) -> pa.Table:
    columns: dict[str, Any] = {}
    for feature in features.computed:
        column = table.column(feature.name).cast(DTYPES[feature.dtype])
        if feature.dtype == "float64":
            column = pc.round(column, ROUND_DECIMALS)
        columns[feature.name] = column
    keys = {k: table.column(k) for k in features.keys}
    return pa.table({**keys, **columns})


def feature_matrix(table: pa.Table, features: FeatureSet) -> np.ndarray:
    """The model matrix (``float64``, nulls as NaN), one column per feature in model order.

    Encoded features are NaN here; training and prediction fill them.
    """
    rows = table.num_rows
    matrix = np.full((rows, len(features.names)), np.nan, dtype=np.float64)
    for index, feature in enumerate(features.features):
        if feature.kind is FeatureKind.ENCODED:
            continue
        column = table.column(feature.name).cast(pa.float64())
        matrix[:, index] = column.to_numpy(zero_copy_only=False)
    return matrix


__all__ = [
    "DTYPES",
    "ROUND_DECIMALS",
    "Expression",
    "Feature",
    "FeatureKind",
    "FeatureSet",
    "compute_features",
    "feature_expression",
    "feature_matrix",
]
