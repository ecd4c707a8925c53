"""The rule file: metadata, legal references, typed parameters, one body, explained bands.

A rule lives in a folder ``rules/<rule id>/`` with ``rule.yml``, its body (``query.sql`` or a
Python function) and ``fixtures/{positive,negative}/*.yml``. This module defines the schema
of ``rule.yml`` (pydantic, strict: unknown keys are errors) and nothing else; loading, linting,
compiling and running live beside it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RULE_ID = re.compile(r"^[A-Z]{2,8}-R-\d{4}$")
METRIC_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Status(StrEnum):
    """Lifecycle of a rule version (Sigma ``status``)."""

    DRAFT = "draft"
    """Being written; never runs in production."""
    TESTING = "testing"
    """Runs in shadow: findings are marked ``shadow`` and reach no scorecard or alert."""
    ACTIVE = "active"
    """Live. The content of an active version is immutable; change means a new version."""
    DEPRECATED = "deprecated"
    """Kept for the record; no longer runs."""


class Severity(StrEnum):
    """How serious a finding of this rule is on its own."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Text(_Strict):
    """A text in Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """The text in ``zh`` or ``en``."""
        return self.zh if lang.startswith("zh") else self.en


class Reference(_Strict):
    """A legal basis or guidance document the rule relies on."""

    title: str = Field(min_length=1)
    """Title of the law, regulation or notice, e.g. 防范和处置非法集资条例."""
    article: str | None = None
    """Article or locator, e.g. 第九条."""
    issuer: str | None = None
    """Issuing body, e.g. 国务院."""
    year: int | None = None
    """Year of issue."""
    status: Literal["binding", "secondary", "guidance"] = "binding"
    """``binding`` for statutes in force; ``secondary`` when only secondary sources quote it."""
    url: str | None = None
    """Where to read it (documentation only; never fetched)."""
    note: str | None = None
    """What a reader should know about this citation, e.g. that the text is not among the
    regulatory texts shipped with the shared data and the article was not checked there."""

    def cite(self) -> str:
        """A short citation: 《title》article."""
        return f"《{self.title}》{self.article or ''}"


ParamType = Literal["int", "float", "decimal", "str", "bool", "date", "list[str]", "list[int]"]


class Parameter(_Strict):
    """A typed, bounded, documented rule parameter."""

    type: ParamType
    default: Any
    doc: str = Field(min_length=1)
    min: float | None = None
    max: float | None = None
    choices: list[Any] | None = None

    def coerce(self, value: Any) -> Any:
        """Convert ``value`` to this parameter's type and check its bounds.

        Raises:
            ValueError: when the value has the wrong type or is out of bounds.
        """
        converted = _coerce(self.type, value)
        numeric = converted if isinstance(converted, int | float | Decimal) else None
        if numeric is not None and not isinstance(converted, bool):
            if self.min is not None and numeric < self.min:
                raise ValueError(f"{converted} is below the minimum {self.min}")
            if self.max is not None and numeric > self.max:
                raise ValueError(f"{converted} is above the maximum {self.max}")
        if self.choices is not None and converted not in self.choices:
            raise ValueError(f"{converted!r} is not one of {self.choices}")
        return converted


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected true/false, got {value!r}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {value!r}")
    return value


def _as_float(value: Any) -> float:
    if not _is_number(value):
        raise ValueError(f"expected a number, got {value!r}")
    return float(value)


def _as_decimal(value: Any) -> Decimal:
    if not (_is_number(value) or isinstance(value, str | Decimal)):
        raise ValueError(f"expected a number, got {value!r}")
    return Decimal(str(value))


def _as_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r}")
    return value


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise ValueError(f"expected a date (YYYY-MM-DD), got {value!r}")


def _list_of(item: type) -> Any:
    def convert(value: Any) -> list[Any]:
        ok = isinstance(value, list) and all(
            isinstance(v, item) and not isinstance(v, bool) for v in value
        )
        if not ok:
            raise ValueError(f"expected a list of {item.__name__}, got {value!r}")
        return list(value)

    return convert


_COERCE: dict[str, Any] = {
    "bool": _as_bool,
    "int": _as_int,
    "float": _as_float,
    "decimal": _as_decimal,
    "str": _as_str,
    "date": _as_date,
    "list[str]": _list_of(str),
    "list[int]": _list_of(int),
}


def _coerce(kind: ParamType, value: Any) -> Any:
    return _COERCE[kind](value)


class Inputs(_Strict):
    """What the rule reads; the linter checks these exist and the body uses nothing else."""

    tables: list[str] = Field(min_length=1)
    """Typed tables (``model/tables``) the body reads."""
    lexicons: list[str] = Field(default_factory=list)
    """Lexicons (``text/lexicons`` or the workspace's ``lexicons/``), exposed as tables."""


class Logic(_Strict):
    """The rule body: exactly one of a SQL file or a Python function."""

    sql: str | None = None
    """A file beside ``rule.yml`` with portable SQL in DuckDB's dialect; ``:name`` binds a
    parameter (``:as_of`` is always available)."""
    python: str | None = None
    """``package.module:function`` or ``detector.py:function`` (a file beside ``rule.yml``)."""

    @model_validator(mode="after")
    def _exactly_one(self) -> Logic:
        if (self.sql is None) == (self.python is None):
            raise ValueError("logic needs exactly one of `sql` or `python`")
        return self


MetricType = Literal["int", "float", "decimal", "str", "bool", "date", "list[str]"]


class Metric(_Strict):
    """A named number (or value) the body outputs; reasons and bands may use it."""

    type: MetricType
    doc: str = Field(min_length=1)


class Band(_Strict):
    """A categorical outcome with a condition over the metrics and a reason template."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    """Stable band code, e.g. ``binding_word``."""
    when: str = Field(min_length=1)
    """SQL boolean expression over the metrics (and parameters as ``:name``)."""
    reason: Text
    """Templates rendered per finding; ``{metric}`` and ``{parameter}`` placeholders."""
    severity: Severity | None = None
    """Overrides the rule's severity for findings in this band."""


class RuleSpec(_Strict):
    """The content of ``rule.yml``."""

    id: str
    """Stable, immutable id, e.g. ``SW-R-0001``."""
    version: int = Field(ge=1)
    """Bumped whenever logic, parameters, bands or reasons change."""
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    """The finding, as an identifier: ``restricted_word_in_name_without_licence``."""
    title: Text
    status: Status
    severity: Severity
    subject: str
    """The typed table findings are about (``enterprise``, ``licence``, ...)."""
    typology: list[str] = Field(min_length=1)
    """Typology keys from the ``typology`` vocabulary."""
    references: list[Reference] = Field(default_factory=list)
    description: Text
    inputs: Inputs
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    logic: Logic
    metrics: dict[str, Metric] = Field(default_factory=dict)
    """Columns the body outputs besides ``subject_id``, ``subject_name`` and ``evidence``."""
    bands: list[Band] = Field(min_length=1)
    falsepositives: list[str] = Field(default_factory=list)
    """Known situations where the rule fires although nothing is wrong."""
    owner: str | None = None
    tags: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError("rule ids look like SW-R-0001 (prefix, R, four digits)")
        return value

    @field_validator("metrics")
    @classmethod
    def _metric_names(cls, value: dict[str, Metric]) -> dict[str, Metric]:
        reserved = {"subject_id", "subject_name", "evidence", "band"}
        for key in value:
            if not METRIC_NAME.match(key) or key in reserved:
                raise ValueError(f"metric name {key!r} is invalid or reserved")
        return value

    @model_validator(mode="after")
    def _unique_bands(self) -> RuleSpec:
        codes = [b.code for b in self.bands]
        if len(codes) != len(set(codes)):
            raise ValueError("band codes must be unique")
        return self

    @property
    def ref(self) -> str:
        """``id@version``, as findings record it."""
        return f"{self.id}@{self.version}"

    @property
    def runs_in_production(self) -> bool:
        """Active rules run live; testing rules run in shadow; draft/deprecated never run."""
        return self.status in {Status.ACTIVE, Status.TESTING}

    def bind_parameters(self, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """Defaults overlaid with ``overrides``, each coerced and bounds-checked.

        Raises:
            ValueError: naming the parameter, for unknown names or bad values.
        """
        overrides = overrides or {}
        unknown = set(overrides) - set(self.parameters)
        if unknown:
            raise ValueError(f"unknown parameters for {self.id}: {', '.join(sorted(unknown))}")
        bound: dict[str, Any] = {}
        for name, param in self.parameters.items():
            value = overrides.get(name, param.default)
            try:
                bound[name] = param.coerce(value)
            except ValueError as exc:
                raise ValueError(f"parameter {name!r} of {self.id}: {exc}") from exc
        return bound


__all__ = [
    "Band",
    "Inputs",
    "Logic",
    "Metric",
    "Parameter",
    "Reference",
    "RuleSpec",
    "Severity",
    "Status",
    "Text",
]
