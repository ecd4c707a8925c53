"""Rule SQL: parsed once with sqlglot, parameters bound as typed literals, transpiled per engine.

Rule bodies are written in DuckDB's dialect (the canonical one) with ``:name`` placeholders.
Binding replaces each placeholder node in the syntax tree with a literal node built from the
typed parameter value, so a value can never change the structure of the query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from smokewatch.errors import InvalidInput

CANONICAL_DIALECT = "duckdb"

ParamValue = str | int | float | bool | Decimal | date | list[str] | list[int] | list[float] | None


@dataclass(frozen=True, slots=True)
class CompiledSql:
    """A bound query in one engine's dialect, ready to run."""

    sql: str
    dialect: str
    step: str


def parse(text: str) -> exp.Expression:
    """Parse canonical SQL; raises ``sqlglot`` ``ParseError`` with line/column on failure."""
    tree = sqlglot.parse_one(text, read=CANONICAL_DIALECT)
    if tree is None:  # pragma: no cover - sqlglot returns None only for empty input
        raise ParseError("empty SQL")
    return tree


def referenced_tables(tree: exp.Expression) -> set[str]:
    """Tables a query reads, excluding its own CTE names."""
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return {t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes}


def placeholders(tree: exp.Expression) -> set[str]:
    """Names of the ``:name`` placeholders in a query."""
    return {str(p.this) for p in tree.find_all(exp.Placeholder) if p.this}


def literal(value: ParamValue) -> exp.Expression:
    """A sqlglot literal node for a typed parameter value."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float | Decimal):
        return exp.Literal.number(str(value))
    if isinstance(value, datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), exp.DataType.Type.TIMESTAMP)
    if isinstance(value, date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.Type.DATE)
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, list):
        return exp.Array(expressions=[literal(v) for v in value])
    raise InvalidInput(f"cannot bind a parameter of type {type(value).__name__}")


def bind(tree: exp.Expression, params: Mapping[str, ParamValue]) -> exp.Expression:
    """Replace every ``:name`` placeholder with the literal of ``params[name]``."""
    missing = placeholders(tree) - set(params)
    if missing:
        raise InvalidInput(f"unbound SQL parameters: {', '.join(sorted(missing))}")

    def _replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and node.this:
            return literal(params[str(node.this)])
        return node

    return tree.copy().transform(_replace)


def compile_sql(
    tree: exp.Expression, params: Mapping[str, ParamValue], dialect: str, *, step: str
) -> CompiledSql:
    """Bind parameters and render the query in ``dialect``."""
    bound = bind(tree, params)
    return CompiledSql(bound.sql(dialect=dialect), dialect, step)


__all__ = [
    "CANONICAL_DIALECT",
    "CompiledSql",
    "ParamValue",
    "bind",
    "compile_sql",
    "literal",
    "parse",
    "placeholders",
    "referenced_tables",
]
