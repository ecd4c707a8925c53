"""Typed tables: declared once in ``model/tables/*.yml``, rendered as Arrow schemas.

Every engine stores and exchanges the same columns. Entity tables (``provenance: true``) also
carry provenance columns that ingest fills in: which source and run delivered the row, its row
number in the file, a hash of its content, and when it was first and last seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

import pyarrow as pa

from smokewatch.errors import ConfigError, Location, Problem
from smokewatch.model._yaml import load_yaml_resource, package_dir

DECIMAL_TYPE = pa.decimal128(20, 2)
"""Money is stored as decimal(20, 2): exact, and wide enough for 10^18 yuan."""


class ColumnType(StrEnum):
    """The column types a typed table may use."""

    STRING = "string"
    INT64 = "int64"
    FLOAT64 = "float64"
    DECIMAL = "decimal"
    DATE = "date"
    TIMESTAMP = "timestamp"
    BOOL = "bool"
    LIST_STRING = "list_string"
    JSON = "json"

    def arrow(self) -> pa.DataType:
        """The Arrow type of this column type (JSON travels as a string)."""
        return _ARROW_TYPES[self]


_ARROW_TYPES: Mapping[ColumnType, pa.DataType] = {
    ColumnType.STRING: pa.string(),
    ColumnType.INT64: pa.int64(),
    ColumnType.FLOAT64: pa.float64(),
    ColumnType.DECIMAL: DECIMAL_TYPE,
    ColumnType.DATE: pa.date32(),
    ColumnType.TIMESTAMP: pa.timestamp("us", tz="UTC"),
    ColumnType.BOOL: pa.bool_(),
    ColumnType.LIST_STRING: pa.list_(pa.string()),
    ColumnType.JSON: pa.string(),
}


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a typed table."""

    name: str
    type: ColumnType
    nullable: bool = True
    doc: str = ""
    label_zh: str = ""
    label_en: str = ""
    vocab: str | None = None
    pii: bool = False
    signed: bool = False
    """``decimal`` columns only: negative amounts are data (a loss), not errors. Amounts are
    unsigned by default, so a stray minus sign in a balance is rejected with its reason."""


PROVENANCE_COLUMNS: tuple[Column, ...] = (
    Column("source", ColumnType.STRING, False, "Source id that delivered the row."),
    Column("run_id", ColumnType.STRING, False, "Ingest run that last wrote the row."),
    Column("source_row", ColumnType.INT64, True, "Row number in the source file (header = 1)."),
    Column("record_hash", ColumnType.STRING, False, "sha256 of the row's typed content."),
    Column("first_seen", ColumnType.TIMESTAMP, False, "When this row was first loaded."),
    Column("last_seen", ColumnType.TIMESTAMP, False, "When this row was last delivered."),
)


@dataclass(frozen=True, slots=True)
class TableSchema:
    """A typed table: its columns, key and labels."""

    name: str
    title_zh: str
    title_en: str
    doc: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    provenance: bool = False
    _index: Mapping[str, Column] = field(default_factory=dict, compare=False, repr=False)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """Domain columns followed by provenance columns (when the table has them)."""
        return self.columns + (PROVENANCE_COLUMNS if self.provenance else ())

    @property
    def column_names(self) -> tuple[str, ...]:
        """Names of all columns, in storage order."""
        return tuple(c.name for c in self.all_columns)

    def column(self, name: str) -> Column:
        """Look up a column by name."""
        for col in self.all_columns:
            if col.name == name:
                return col
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    def arrow_schema(self) -> pa.Schema:
        """The Arrow schema every engine uses for this table."""
        return pa.schema(
            [pa.field(c.name, c.type.arrow(), nullable=c.nullable) for c in self.all_columns]
        )


def _parse_table(raw: Any, origin: str) -> TableSchema:
    problems: list[Problem] = []
    loc = Location(origin)
    if not isinstance(raw, dict):
        raise ConfigError([Problem("a table file must be a mapping", loc)])
    columns: list[Column] = []
    for item in raw.get("columns", []):
        try:
            label = item.get("label", {})
            columns.append(
                Column(
                    name=item["name"],
                    type=ColumnType(item["type"]),
                    nullable=bool(item.get("nullable", True)),
                    doc=item.get("doc", ""),
                    label_zh=label.get("zh", ""),
                    label_en=label.get("en", ""),
                    vocab=item.get("vocab"),
                    pii=bool(item.get("pii", False)),
                    signed=bool(item.get("signed", False)),
                )
            )
        except (KeyError, ValueError) as exc:
            problems.append(Problem(f"column {item!r}: {exc}", loc))
    problems.extend(
        Problem(f"column {c.name!r}: signed applies only to decimal columns", loc)
        for c in columns
        if c.signed and c.type is not ColumnType.DECIMAL
    )
    names = [c.name for c in columns]
    key = tuple(raw.get("key", []))
    problems.extend(
        Problem(f"key column {k!r} is not a column", loc) for k in key if k not in names
    )
    if problems:
        raise ConfigError(problems)
    title = raw.get("title", {})
    return TableSchema(
        name=raw["name"],
        title_zh=title.get("zh", ""),
        title_en=title.get("en", ""),
        doc=str(raw.get("doc", "")).strip(),
        key=key,
        columns=tuple(columns),
        provenance=bool(raw.get("provenance", False)),
    )


@cache
def load_tables() -> Mapping[str, TableSchema]:
    """All typed tables shipped with smokewatch, by name."""
    folder = package_dir("smokewatch.model", "tables")
    tables: dict[str, TableSchema] = {}
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        if node.name.endswith(".yml"):
            table = _parse_table(load_yaml_resource(node), str(node))
            tables[table.name] = table
    return tables


def get_table(name: str) -> TableSchema:
    """One typed table by name; raises ``KeyError`` naming the known tables."""
    tables = load_tables()
    if name not in tables:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(sorted(tables))}")
    return tables[name]


__all__ = [
    "DECIMAL_TYPE",
    "PROVENANCE_COLUMNS",
    "Column",
    "ColumnType",
    "TableSchema",
    "get_table",
    "load_tables",
]
