"""Regression fixtures: small input tables and the findings a rule must (or must not) produce.

``fixtures/positive/*.yml`` must produce exactly the listed findings; ``fixtures/negative/*.yml``
must produce none. Each file::

    description: 名称含“财富管理”，未持有任何牌照
    as_of: 2026-11-01            # optional; default 2026-01-01
    params: {}                   # optional parameter overrides
    tables:
      enterprise:
        - {id: e1, name: 芜湖恒信财富管理有限公司, status: active}
      licence: []
    expect:
      - {subject_id: e1, band: binding_word, reason_contains: {zh: 财富管理}}

Rows name only the columns they need; the others are null, and provenance columns get
harmless defaults.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, model_validator

from smokewatch.errors import InvalidInput
from smokewatch.model.tables import TableSchema

DEFAULT_AS_OF = date(2026, 1, 1)
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


class ExpectedFinding(BaseModel):
    """One finding a positive fixture must produce."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    subject_id: str
    band: str
    reason_contains: dict[Literal["zh", "en"], str] = Field(default_factory=dict)
    """Substrings the rendered reasons must contain."""
    metrics: dict[str, Any] = Field(default_factory=dict)
    """Metric values the finding must have (a subset of its metrics)."""


class Fixture(BaseModel):
    """The content of one fixture file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = Field(min_length=1)
    as_of: date = DEFAULT_AS_OF
    params: dict[str, Any] = Field(default_factory=dict)
    tables: dict[str, list[dict[str, Any]]]
    expect: list[ExpectedFinding] = Field(default_factory=list)


class LoadedFixture(BaseModel):
    """A fixture with its kind and file name."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["positive", "negative"]
    name: str
    origin: str
    fixture: Fixture

    @model_validator(mode="after")
    def _negative_expects_nothing(self) -> LoadedFixture:
        if self.kind == "negative" and self.fixture.expect:
            raise ValueError("a negative fixture must not list expected findings")
        if self.kind == "positive" and not self.fixture.expect:
            raise ValueError("a positive fixture must list the findings it expects")
        return self


def fixture_table(schema: TableSchema, rows: list[dict[str, Any]], source: str) -> pa.Table:
    """Arrow data in the exact typed schema, filling absent columns with nulls.

    Raises:
        InvalidInput: when a row names a column the table does not have.
    """
    names = set(schema.column_names)
    for i, row in enumerate(rows, start=1):
        unknown = set(row) - names
        if unknown:
            raise InvalidInput(
                f"{source}: row {i} of {schema.name} has unknown columns {sorted(unknown)}"
            )
    defaults: dict[str, Any] = {}
    if schema.provenance:
        defaults = {
            "source": "fixture",
            "run_id": "fixture",
            "record_hash": "fixture",
            "first_seen": _EPOCH,
            "last_seen": _EPOCH,
        }
    columns: dict[str, list[Any]] = {}
    for col in schema.all_columns:
        columns[col.name] = [row.get(col.name, defaults.get(col.name)) for row in rows]
    arrow_schema = schema.arrow_schema()
    try:
        return pa.table(
            {f.name: pa.array(columns[f.name], f.type) for f in arrow_schema},
            schema=arrow_schema,
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
        raise InvalidInput(f"{source}: table {schema.name}: {exc}") from exc


__all__ = ["DEFAULT_AS_OF", "ExpectedFinding", "Fixture", "LoadedFixture", "fixture_table"]
