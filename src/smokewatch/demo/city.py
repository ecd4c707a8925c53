"""The demo city: enterprises, planted cases, a licence register, documents and some bad rows.

:func:`generate_city` runs the planters (which also write the city's text documents), completes
every planted enterprise's expectations for the rules that read its licences and documents
(:mod:`smokewatch.demo.attribution`), fills the registry up to the requested size with
ordinary enterprises (unique names, none carrying a restricted word), shuffles the rows, then
corrupts a configurable share of ordinary rows so that ingest has rejects to show. Everything
is a function of the seed: same arguments, same tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa

from smokewatch.demo.attribution import complete_cases
from smokewatch.demo.finance_sources import finance_sources
from smokewatch.demo.planters import builtin_planters
from smokewatch.demo.planting import (
    DOCUMENT_TABLE,
    Plantation,
    PlantContext,
    PlantedCase,
    Planter,
)
from smokewatch.demo.pools import load_pools
from smokewatch.demo.records import (
    document_schema,
    licence_schema,
    registry_schema,
    rows_to_table,
)
from smokewatch.demo.registry import RegistryGenerator
from smokewatch.errors import InvalidInput
from smokewatch.model.types import ValueTypeError, clean_date, clean_uscc
from smokewatch.model.types.uscc import ALPHABET

DEFAULT_SEED = 20261121
DEFAULT_AS_OF = date(2026, 11, 1)
DEFAULT_BAD_ROW_RATE = 0.002
"""Share of registry rows that are deliberately bad (0.2 %: 40 of 20,000)."""

BAD_ROW_KINDS: tuple[str, ...] = (
    "bad_check_char",
    "bad_date",
    "unknown_status",
    "duplicate_uscc",
)
"""Kinds of deliberately bad registry rows, in the order the count is split among them."""

UNKNOWN_STATUSES: tuple[str, ...] = ("待核实", "状态不明", "未知")
"""登记状态 wordings no vocabulary synonym or lookup maps (rows carrying them are rejected)."""

_BAD_DATES = ("2021-02-30", "2019-13-05", "2023年2月29日", "2018-04-31", "20200230")


@dataclass(frozen=True, slots=True)
class BadRow:
    """A deliberately bad registry row and why ingest should reject it."""

    kind: str
    row: int
    """Line number in the registry file (the header is line 1)."""
    uscc: str
    name: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        """The object written as one line of ``demo/rejects.jsonl``."""
        return {
            "kind": self.kind,
            "row": self.row,
            "uscc": self.uscc,
            "name": self.name,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class City:
    """A generated demo city."""

    enterprises: pa.Table
    """Registry export (Chinese headers, text values), shuffled, bad rows included."""
    licences: pa.Table
    """Licence register export (Chinese headers, text values)."""
    cases: tuple[PlantedCase, ...]
    bad_rows: tuple[BadRow, ...]
    extra_tables: Mapping[str, pa.Table]
    """Rows planters added to other tables: the document export under ``document``."""
    seed: int
    as_of: date

    @property
    def documents(self) -> pa.Table:
        """The document export (Chinese keys, text values); empty when nothing was planted."""
        found = self.extra_tables.get(DOCUMENT_TABLE)
        return found if found is not None else document_schema().empty_table()


def _export_schema(table: str) -> pa.Schema | None:
    """The text schema of an export planters add rows to (headers in file order)."""
    if table == DOCUMENT_TABLE:
        return document_schema()
    found = next((s for s in finance_sources() if s.table == table), None)
    return None if found is None else pa.schema([(h, pa.string()) for h in found.headers])


def bad_row_counts(rows: int, rate: float) -> dict[str, int]:
    """How many bad rows of each kind ``rows`` rows get at ``rate``.

    Examples:
        >>> bad_row_counts(20_000, 0.002)
        {'bad_check_char': 10, 'bad_date': 10, 'unknown_status': 10, 'duplicate_uscc': 10}
    """
    if not 0.0 <= rate <= 0.1:
        raise InvalidInput(f"bad_row_rate must lie in [0, 0.1], got {rate}")
    total = round(rows * rate)
    share, rest = divmod(total, len(BAD_ROW_KINDS))
    return {kind: share + (1 if i < rest else 0) for i, kind in enumerate(BAD_ROW_KINDS)}


def _reason(check: Any, value: str) -> str:
    try:
        check(value)
    except ValueTypeError as exc:
        return str(exc)
    raise AssertionError(f"{value!r} was meant to be invalid")  # pragma: no cover


def corrupt_rows(
    table: pa.Table, rng: np.random.Generator, counts: Mapping[str, int], eligible: np.ndarray
) -> tuple[pa.Table, tuple[BadRow, ...]]:
    """Make ``counts`` rows bad, chosen among the ``eligible`` positions (a boolean mask).

    A duplicated USCC copies the code of a *later* row: with snapshot semantics the later
    row supersedes the earlier one, so the bad copy is the row ingest rejects and the
    genuine enterprise is the one that loads.
    """
    needed = sum(counts.values()) + counts.get("duplicate_uscc", 0)
    positions = np.flatnonzero(eligible)
    if needed > positions.size:
        raise InvalidInput(f"{needed} bad rows requested but only {positions.size} rows eligible")
    picked = iter(rng.choice(positions, needed, replace=False).tolist())
    uscc = table.column("统一社会信用代码").to_pylist()
    names = table.column("企业名称").to_pylist()
    established = table.column("成立日期").to_pylist()
    status = table.column("登记状态").to_pylist()
    bad: list[BadRow] = []
    for kind in BAD_ROW_KINDS:
        for _ in range(counts.get(kind, 0)):
            row = next(picked)
            if kind == "bad_check_char":
                wrong = ALPHABET[
                    (ALPHABET.index(uscc[row][17]) + 1 + int(rng.integers(0, 30))) % 31
                ]
                uscc[row] = uscc[row][:17] + wrong
                reason = _reason(clean_uscc, uscc[row])
            elif kind == "bad_date":
                established[row] = _BAD_DATES[int(rng.integers(0, len(_BAD_DATES)))]
                reason = _reason(clean_date, established[row])
            elif kind == "unknown_status":
                status[row] = UNKNOWN_STATUSES[int(rng.integers(0, len(UNKNOWN_STATUSES)))]
                reason = f"unknown status {status[row]!r}"
            else:
                row, original = sorted((row, next(picked)))
                uscc[row] = uscc[original]
                reason = f"duplicate USCC: same code as line {original + 2}, which supersedes it"
            bad.append(BadRow(kind, row + 2, uscc[row], names[row], reason))
    for header, values in (
        ("统一社会信用代码", uscc),
        ("成立日期", established),
        ("登记状态", status),
    ):
        index = table.schema.get_field_index(header)
        table = table.set_column(index, header, pa.array(values, type=pa.string()))
    return table, tuple(sorted(bad, key=lambda b: b.row))


def generate_city(
    *,
    enterprises: int = 20_000,
    seed: int = DEFAULT_SEED,
    as_of: date = DEFAULT_AS_OF,
    bad_row_rate: float = DEFAULT_BAD_ROW_RATE,
    planters: Sequence[Planter] | None = None,
) -> City:
    """Generate the demo city 芜湖市.

    Args:
        enterprises: rows of the registry file, planted and bad rows included.
        seed: the only source of randomness.
        as_of: evaluation date the planted cases are built around.
        bad_row_rate: share of deliberately bad registry rows (split evenly among
            :data:`BAD_ROW_KINDS`).
        planters: planters to run; default :func:`~smokewatch.demo.planters.builtin_planters`.

    Raises:
        InvalidInput: too few enterprises for the planted and bad rows.
    """
    pools = load_pools()
    generator = RegistryGenerator(pools, seed=seed, as_of=as_of)
    plantation = Plantation()
    for planter in builtin_planters() if planters is None else planters:
        ctx = PlantContext(
            planter=planter.name,
            seed=seed,
            as_of=as_of,
            pools=pools,
            city=generator.city,
            plantation=plantation,
            size=enterprises,
        )
        planter.plant(ctx)
    counts = bad_row_counts(enterprises, bad_row_rate)
    ordinary = enterprises - len(plantation.enterprises)
    if ordinary < 2 * sum(counts.values()) + 1:
        raise InvalidInput(
            f"{enterprises} enterprises cannot hold {len(plantation.enterprises)} planted "
            f"and {sum(counts.values())} bad rows"
        )
    rng = np.random.default_rng([seed, 0xC17])
    block = generator.block(
        rng, ordinary, start_index=0, unique_names=True, reserved_names=plantation.names
    )
    planted = rows_to_table([e.to_row() for e in plantation.enterprises], registry_schema())
    order = rng.permutation(enterprises)
    table = pa.concat_tables([block, planted]).take(pa.array(order))
    table, bad = corrupt_rows(table, rng, counts, order < ordinary)
    return City(
        enterprises=table,
        licences=rows_to_table([lic.to_row() for lic in plantation.licences], licence_schema()),
        cases=tuple(complete_cases(plantation, as_of)),
        bad_rows=bad,
        extra_tables={
            name: pa.Table.from_pylist([dict(r) for r in rows], schema=_export_schema(name))
            for name, rows in sorted(plantation.rows.items())
        },
        seed=seed,
        as_of=as_of,
    )


__all__ = [
    "BAD_ROW_KINDS",
    "DEFAULT_AS_OF",
    "DEFAULT_BAD_ROW_RATE",
    "DEFAULT_SEED",
    "UNKNOWN_STATUSES",
    "BadRow",
    "City",
    "bad_row_counts",
    "corrupt_rows",
    "generate_city",
]
