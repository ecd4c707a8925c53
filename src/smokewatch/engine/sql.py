"""Rule SQL: parsed once with sqlglot, parameters bound as typed literals, transpiled per engine.

Rule bodies are written in DuckDB's dialect (the canonical one) with ``:name`` placeholders.
Binding replaces each placeholder node in the syntax tree with a literal node built from the
typed parameter value, so a value can never change the structure of the query.

A CTE written ``name AS MATERIALIZED (...)`` is a *stage*: :func:`split_stages` turns it into
a query of its own whose result the runner materialises before the rest runs, on every
engine. Spark inlines every CTE at each reference, so a CTE read by many others (a cycle
search reads its links at every step) would otherwise be planned and computed again and
again.
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


@dataclass(frozen=True, slots=True)
class Stage:
    """A materialised CTE: ``query`` computes it; later queries read it as ``table``."""

    cte: str
    table: str
    query: exp.Expression


def staged_ctes(tree: exp.Expression) -> list[str]:
    """Names of the CTEs marked ``AS MATERIALIZED``, in order."""
    found = tree.args.get("with")
    if not isinstance(found, exp.With):
        return []
    return [c.alias_or_name for c in found.expressions if c.args.get("materialized")]


def _read_tables(tree: exp.Expression, tables: Mapping[str, str]) -> exp.Expression:
    """References to the CTEs in ``tables`` read the tables of those names instead."""

    def _replace(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and not node.args.get("db") and node.name in tables:
            alias = node.alias or node.name
            return exp.to_table(tables[node.name]).as_(alias)
        return node

    return tree.transform(_replace)


def split_stages(tree: exp.Expression, prefix: str) -> tuple[list[Stage], exp.Expression]:
    """Split the ``AS MATERIALIZED`` CTEs of a query into stages, in order, and the rest.

    Stage ``k`` is ``WITH <the plain CTEs before it> SELECT * FROM <it>`` and reads earlier
    stages as tables named ``<prefix>_<cte>``; the remaining query no longer defines the
    staged CTEs and reads them as those tables. Without stages the query is returned as is.
    Results are the same as running the whole query; only where the work happens differs.
    """
    names = staged_ctes(tree)
    if not names:
        return [], tree
    tables = {name: f"{prefix}_{name}" for name in names}
    with_ = tree.args["with"]
    ctes: list[exp.CTE] = list(with_.expressions)
    stages: list[Stage] = []
    plain: list[exp.CTE] = []
    for cte in ctes:
        name = cte.alias_or_name
        if name not in tables:
            plain.append(cte)
            continue
        body = exp.select("*").from_(exp.to_table(name))
        query = body.with_(name, as_=cte.this.copy())
        for earlier in reversed(plain):
            query.args["with"].expressions.insert(0, earlier.copy())
        done = {n: t for n, t in tables.items() if any(s.cte == n for s in stages)}
        stages.append(Stage(name, tables[name], _read_tables(query, done)))
    rest = tree.copy()
    rest_with = rest.args["with"]
    rest_with.set(
        "expressions", [c for c in rest_with.expressions if c.alias_or_name not in tables]
    )
    if not rest_with.expressions:
        rest.set("with", None)
    return stages, _read_tables(rest, tables)


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
    "Stage",
    "bind",
    "compile_sql",
    "literal",
    "parse",
    "placeholders",
    "referenced_tables",
    "split_stages",
    "staged_ctes",
]
