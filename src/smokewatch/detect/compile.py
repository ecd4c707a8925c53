"""Compiling rule parts that are not the body: band conditions and reason templates.

Band conditions are SQL boolean expressions over the body's metrics. They are parsed with
sqlglot in the canonical dialect, checked against the declared metrics and parameters, and
assembled into one ``CASE`` expression that the engine evaluates next to the body — so bands
are computed where the data is, on every engine alike.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError

from smokewatch.detect.spec import RuleSpec
from smokewatch.engine.sql import CANONICAL_DIALECT, parse, placeholders

BUILTIN_PARAMS = frozenset({"as_of"})
"""Parameters every rule may use without declaring them."""


def band_condition(when: str) -> exp.Expression:
    """Parse one band condition (a SQL boolean expression)."""
    tree = parse(f"SELECT 1 WHERE {when}")
    where = tree.find(exp.Where)
    if where is None:  # pragma: no cover - the SELECT above always has a WHERE
        raise ParseError(f"not a condition: {when!r}")
    condition: exp.Expression = where.this
    return condition


def condition_columns(condition: exp.Expression) -> set[str]:
    """Column names a band condition refers to."""
    return {c.name for c in condition.find_all(exp.Column)}


def condition_parameters(condition: exp.Expression) -> set[str]:
    """Parameters (``:name``) a band condition refers to."""
    return placeholders(condition)


def banded_query(spec: RuleSpec, body_view: str) -> exp.Expression:
    """``SELECT b.*, CASE WHEN … THEN 'code' … END AS band FROM body_view AS b``.

    Bands are tried in order; the first whose condition holds names the finding's band. Rows
    no band accepts are not findings.
    """
    case = exp.Case()
    for band in spec.bands:
        case = case.when(band_condition(band.when), exp.Literal.string(band.code))
    select = (
        exp.select(exp.Star(), exp.alias_(case, "band"))
        .from_(exp.to_table(body_view).as_("b"))
        .subquery("banded")
    )
    return exp.select("*").from_(select).where(exp.column("band").is_(exp.null()).not_())


def template_fields(template: str) -> set[str]:
    """Placeholder names used by a reason template (``{name}`` or ``{name:format}``)."""
    fields: set[str] = set()
    for _, field, _, _ in string.Formatter().parse(template):
        if field:
            fields.add(field.split(".")[0].split("[")[0])
    return fields


def language_neutral(fields: set[str]) -> set[str]:
    """Field names with a ``_zh``/``_en`` suffix folded, to compare the two languages."""
    return {f.removesuffix("_zh").removesuffix("_en") for f in fields}


_LIST_SEP = {"zh": "、", "en": ", "}
_NONE = {"zh": "—", "en": "n/a"}


@dataclass(frozen=True, slots=True)
class ReasonTemplate:
    """A reason template parsed once: literal text and ``{field:spec}`` placeholders.

    Rendering joins lists with 、 (zh) or ", " (en), shows ``None`` as —/n/a even when a
    number format is given, and leaves a field without a value visible as ``{name}``.
    """

    lang: str
    parts: tuple[tuple[str, str | None, str], ...]

    def render(self, values: Mapping[str, Any]) -> str:
        """The reason for one finding."""
        out: list[str] = []
        for literal, field_name, spec in self.parts:
            out.append(literal)
            if field_name is not None:
                if field_name in values:
                    out.append(_format(values[field_name], spec, self.lang))
                else:
                    out.append("{" + field_name + "}")
        return "".join(out)


def _format(value: Any, spec: str, lang: str) -> str:
    if value is None:
        return _NONE[lang]
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        if all(type(v) is str for v in value):
            return _LIST_SEP[lang].join(value)
        return _LIST_SEP[lang].join(_format(v, "", lang) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    try:
        return format(value, spec)
    except (TypeError, ValueError):
        return str(value)


@lru_cache(maxsize=1024)
def compile_reason(template: str, lang: str) -> ReasonTemplate:
    """Parse a reason template once (``zh`` or any ``zh-*``, else English)."""
    parts = tuple(
        (literal, field.split(".")[0].split("[")[0] if field is not None else None, spec or "")
        for literal, field, spec, _ in string.Formatter().parse(template)
    )
    return ReasonTemplate("zh" if lang.startswith("zh") else "en", parts)


def render_reason(template: str, values: Mapping[str, Any], lang: str) -> str:
    """Render a reason template for one finding.

    Examples:
        >>> render_reason("名称含“{words}”", {"words": ["理财", "金融"]}, "zh")
        '名称含“理财、金融”'
        >>> render_reason("实缴{paid:,.0f}万元", {"paid": None}, "zh")
        '实缴—万元'
        >>> render_reason("{missing}", {}, "en")
        '{missing}'
    """
    return compile_reason(template, lang).render(values)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def json_ready(value: Any) -> Any:
    """Plain JSON values for metrics: Decimal → int/float, dates → ISO, word lists sorted.

    Lists of strings are sorted so that every engine, whatever order its aggregates return,
    produces the same metrics.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        items = [v if type(v) in _SCALARS else json_ready(v) for v in value]
        if items and all(type(i) is str for i in items):
            return sorted(items)
        return items
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    return value


def transpiles(tree: exp.Expression, dialects: Sequence[str]) -> dict[str, str]:
    """Render ``tree`` in every dialect; returns dialect → error message for failures."""
    failures: dict[str, str] = {}
    for dialect in dialects:
        try:
            tree.sql(dialect=dialect, unsupported_level=ErrorLevel.RAISE)
        except Exception as exc:  # noqa: BLE001 - any sqlglot failure is a lint finding
            failures[dialect] = str(exc)
    return failures


__all__ = [
    "BUILTIN_PARAMS",
    "CANONICAL_DIALECT",
    "ReasonTemplate",
    "band_condition",
    "banded_query",
    "compile_reason",
    "condition_columns",
    "condition_parameters",
    "json_ready",
    "language_neutral",
    "render_reason",
    "template_fields",
    "transpiles",
]
