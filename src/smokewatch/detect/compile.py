"""Compiling rule parts that are not the body: band conditions and reason templates.

Band conditions are SQL boolean expressions over the body's metrics. They are parsed with
sqlglot in the canonical dialect, checked against the declared metrics and parameters, and
assembled into one ``CASE`` expression that the engine evaluates next to the body — so bands
are computed where the data is, on every engine alike.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
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


class _ReasonFormatter(string.Formatter):
    """Formats reason fields per language.

    Lists are joined per language, ``None`` shows as —/n/a even when the template gives a
    number format, and unknown fields stay visible as ``{name}``.
    """

    def __init__(self, lang: str) -> None:
        self.lang = "zh" if lang.startswith("zh") else "en"

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key not in kwargs:
            return _Missing(key)
        return super().get_value(key, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, _Missing):
            return "{" + value.key + "}"
        if value is None:
            return _NONE[self.lang]
        if isinstance(value, list | tuple):
            return _LIST_SEP[self.lang].join(self.format_field(v, "") for v in value)
        if isinstance(value, datetime | date):
            return value.isoformat()
        try:
            formatted: str = super().format_field(value, format_spec)
        except (TypeError, ValueError):
            return str(value)
        return formatted


class _Missing:
    def __init__(self, key: str) -> None:
        self.key = key


def render_reason(template: str, values: Mapping[str, Any], lang: str) -> str:
    """Render a reason template for one finding.

    Lists are joined with 、 (zh) or ", " (en); ``None`` renders as — / n/a; format specs
    such as ``{capital:,.0f}`` apply to numbers; a field without a value stays visible.

    Examples:
        >>> render_reason("名称含“{words}”", {"words": ["理财", "金融"]}, "zh")
        '名称含“理财、金融”'
        >>> render_reason("实缴{paid:,.0f}万元", {"paid": None}, "zh")
        '实缴—万元'
    """
    rendered: str = _ReasonFormatter(lang).vformat(template, (), dict(values))
    return rendered


def json_ready(value: Any) -> Any:
    """Plain JSON values for metrics: Decimal → int/float, dates → ISO, sorted lists."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        items = [json_ready(v) for v in value]
        if all(isinstance(v, str) for v in items):
            return sorted(items)
        return items
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
    "band_condition",
    "banded_query",
    "condition_columns",
    "condition_parameters",
    "json_ready",
    "language_neutral",
    "render_reason",
    "template_fields",
    "transpiles",
]
