"""Rejects as an Arrow table."""

from __future__ import annotations

from smokewatch.ingest.rejects import REJECTS_SCHEMA, RowReject, rejects_table


def test_rejects_are_ordered_by_row_then_column() -> None:
    table = rejects_table(
        [
            RowReject(5, "status", "unknown enterprise_status value '待核实'", "{}"),
            RowReject(3, None, "row has 3 fields, the header has 6", "{}"),
            RowReject(5, "established_on", "not a date: '昨天'", "{}"),
        ]
    )
    assert table.schema.equals(REJECTS_SCHEMA)
    assert [(r["row_number"], r["column"]) for r in table.to_pylist()] == [
        (3, None),
        (5, "established_on"),
        (5, "status"),
    ]


def test_no_rejects_is_an_empty_table_of_the_same_schema() -> None:
    assert rejects_table([]).equals(REJECTS_SCHEMA.empty_table())
