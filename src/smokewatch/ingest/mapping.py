"""Applying a source's column mapping: raw text batches → rows of the target table + rejects.

For each target column the mapper takes the raw text (width-folded, trimmed, empty → null),
applies the spec's lookups, parses it by the column's type (and vocabulary, and value type
for USCCs, phones and division codes; identity columns are stored as their exchange hash),
fills defaults, derives the division code from the address, computes the stable ``id`` from
the first complete key alternative and a hash of the typed row. A row with a value that fails
(and ``on_error: reject``), a missing required value or no usable key is rejected with one
entry per reason.

Duplicate ids within one file are resolved by the runner, which sees the whole file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.ingest.raw import RawBatch, normalise_name
from smokewatch.ingest.rejects import RowReject
from smokewatch.ingest.spec import SourceSpec
from smokewatch.ingest.values import (
    Parsed,
    ScalarParser,
    Semantic,
    as_text,
    check_phone,
    check_uscc,
    clean_text,
    column_kind,
    derives_adcode,
    fold_strip,
    parse_constant,
    parse_distinct,
    semantic_of,
    vocab_index,
)
from smokewatch.model.ids import make_id
from smokewatch.model.tables import DECIMAL_TYPE, Column, ColumnType
from smokewatch.model.types import Money
from smokewatch.model.types.identity import to_exchange_hash
from smokewatch.model.vocab import get_vocabulary
from smokewatch.text.address import AddressResolver

_NULL_TEXT = pa.scalar(None, pa.string())
_HASH_SEP = "\x1f"


@dataclass(frozen=True, slots=True)
class MappingContext:
    """What a run adds to every row: provenance, and how to place addresses."""

    source: str
    run_id: str
    now: datetime
    within_adcode: str | None = None
    resolver: AddressResolver | None = None


@dataclass(frozen=True, slots=True)
class MappedBatch:
    """The loadable rows of one raw batch (in the target schema) and its rejects."""

    rows: pa.RecordBatch
    rejects: tuple[RowReject, ...]
    nulls_coerced: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class _Plan:
    column: Column
    source: str | None
    on_error: str
    lookup: tuple[pa.Array, pa.Array] | None
    parser: ScalarParser
    default: Any
    currency_column: str | None


class _Failures:
    """Reasons per row; a row with any reason is rejected."""

    def __init__(self, size: int) -> None:
        self.rejected = np.zeros(size, dtype=bool)
        self.reasons: dict[int, list[tuple[str | None, str]]] = {}

    def add(self, row: int, column: str | None, reason: str) -> None:
        self.rejected[row] = True
        self.reasons.setdefault(row, []).append((column, reason))


class Mapper:
    """Compiled mapping of one source spec onto its target table."""

    def __init__(self, spec: SourceSpec, context: MappingContext) -> None:
        self._spec = spec
        self._context = context
        self._table = spec.target
        self._schema = self._table.arrow_schema()
        self._plans = [
            self._plan(c) for c in self._table.columns if column_kind(self._table, c.name) is None
        ]
        self._address = derives_adcode(self._table)

    @property
    def target_schema(self) -> pa.Schema:
        """The Arrow schema of the rows :meth:`map` returns (the target table's)."""
        return self._schema

    @property
    def source_columns(self) -> tuple[str, ...]:
        """The source columns the mapping reads (normalised names)."""
        return tuple(dict.fromkeys(p.source for p in self._plans if p.source is not None))

    def _plan(self, column: Column) -> _Plan:
        mapping = self._spec.columns.get(column.name)
        lookup = None
        if column.name in self._spec.lookups:
            pairs = [(fold_strip(k), v) for k, v in self._spec.lookups[column.name].items()]
            kept = [(k, v) for k, v in pairs if k is not None]
            lookup = (
                pa.array([k for k, _ in kept], pa.string()),
                pa.array([v for _, v in kept], pa.string()),
            )
        default = None
        if column.name in self._spec.defaults:
            default = parse_constant(self._table, column.name, self._spec.defaults[column.name])
            default = default.amount if isinstance(default, Money) else default
        vocab = vocab_index(get_vocabulary(column.vocab)) if column.vocab else None
        split = re.compile(mapping.split) if mapping and mapping.split else None
        parser = ScalarParser(
            column, unit=(mapping.unit or "") if mapping else "", split=split, vocab=vocab
        )
        return _Plan(
            column=column,
            source=normalise_name(mapping.column) if mapping else None,
            on_error=mapping.on_error if mapping else "reject",
            lookup=lookup,
            parser=parser,
            default=default,
            currency_column=mapping.currency_column if mapping else None,
        )

    # -- one batch -----------------------------------------------------------------------

    def map(self, raw: RawBatch) -> MappedBatch:
        """Map one raw batch; rows that fail are returned as rejects, the rest as rows."""
        size = raw.data.num_rows
        positions: dict[str, int] = {}
        for i, name in enumerate(raw.data.schema.names):
            positions.setdefault(name, i)
        failures = _Failures(size)
        coerced: dict[str, np.ndarray[Any, np.dtype[np.bool_]]] = {}
        typed: dict[str, pa.Array] = {}
        found_currency: dict[str, pa.Array] = {}
        for plan in self._plans:
            name = plan.column.name
            if plan.source is None:
                typed[name] = self._constant(plan, size)
                continue
            text = clean_text(as_text(raw.data.column(positions[plan.source])))
            if plan.lookup is not None:
                text = _apply_lookup(text, plan.lookup)
            values, errors, currency = _parse(plan, text)
            if errors and plan.on_error == "null":
                mask = np.zeros(size, dtype=bool)
                mask[list(errors)] = True
                coerced[name] = mask
                values = pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)
            else:
                for row, reason in errors.items():
                    failures.add(row, name, reason)
            if plan.default is not None:
                values = pc.fill_null(values, pa.scalar(plan.default, values.type))
            typed[name] = values
            if plan.currency_column is not None and currency is not None:
                found_currency[plan.currency_column] = currency
        for name, currency in found_currency.items():
            typed[name] = pc.coalesce(currency, typed[name])
        self._derive_adcode(typed, size)
        self._check_required(typed, failures)
        typed["id"] = self._ids(typed, failures)
        return self._finish(raw, typed, failures, coerced)

    def _constant(self, plan: _Plan, size: int) -> pa.Array:
        arrow_type = plan.column.type.arrow()
        if plan.default is None:
            return pa.nulls(size, arrow_type)
        return pa.repeat(pa.scalar(plan.default, arrow_type), size)

    def _derive_adcode(self, typed: dict[str, pa.Array], size: int) -> None:
        if self._address is None:
            return
        given = typed["adcode"]
        has_code = given.is_valid()
        source = pc.if_else(has_code, pa.scalar("given"), _NULL_TEXT)
        resolver = self._context.resolver
        need = pc.and_(pc.invert(has_code), typed[self._address].is_valid())
        if resolver is not None and pc.any(need).as_py():
            within = self._context.within_adcode

            parsed = parse_distinct(
                typed[self._address].filter(need), partial(resolver.code_of, within=within)
            )
            derived = parsed.take(pa.array(parsed.values, pa.string()))
            given = pc.replace_with_mask(given, need, derived)
            derived_source = pc.if_else(derived.is_valid(), pa.scalar("address"), _NULL_TEXT)
            source = pc.replace_with_mask(source, need, derived_source)
        typed["adcode"] = given
        typed["adcode_source"] = source if size else pa.nulls(0, pa.string())

    def _check_required(self, typed: Mapping[str, pa.Array], failures: _Failures) -> None:
        for plan in self._plans:
            name = plan.column.name
            if plan.column.nullable:
                continue
            missing = np.flatnonzero(~np.asarray(typed[name].is_valid()))
            for row in missing.tolist():
                if not any(column == name for column, _ in failures.reasons.get(row, ())):
                    failures.add(row, name, "missing required value")

    def _ids(self, typed: Mapping[str, pa.Array], failures: _Failures) -> pa.Array:
        size = len(failures.rejected)
        chosen = np.full(size, -1, dtype=np.int64)
        for i, alternative in enumerate(self._spec.key):
            complete = np.ones(size, dtype=bool)
            for name in alternative:
                complete &= np.asarray(typed[name].is_valid())
            chosen[(chosen == -1) & complete] = i
        ids = pa.nulls(size, pa.string())
        for i, alternative in enumerate(self._spec.key):
            rows = np.flatnonzero(chosen == i)
            if rows.size == 0:
                continue
            taken = pa.array(rows)
            parts = [as_text(typed[n]).take(taken).to_pylist() for n in alternative]
            made = map(partial(make_id, self._spec.id_prefix, "+".join(alternative)), *parts)
            ids = pc.replace_with_mask(
                ids, pa.array(chosen == i), pa.array(list(made), pa.string())
            )
        described = " | ".join("+".join(alt) for alt in self._spec.key)
        for row in np.flatnonzero(chosen == -1).tolist():
            if not failures.rejected[row]:
                failures.add(
                    row, None, f"no key: every key alternative has an empty column ({described})"
                )
        return ids

    def _finish(
        self,
        raw: RawBatch,
        typed: Mapping[str, pa.Array],
        failures: _Failures,
        coerced: Mapping[str, np.ndarray[Any, np.dtype[np.bool_]]],
    ) -> MappedBatch:
        keep = ~failures.rejected
        keep_array = pa.array(keep)
        domain = [
            typed[c.name].cast(c.type.arrow()).filter(keep_array) for c in self._table.columns
        ]
        loaded = int(keep.sum())
        columns = domain
        if self._table.provenance:
            columns = domain + self._provenance(domain, raw.row_numbers.filter(keep_array), loaded)
        rows = pa.RecordBatch.from_arrays(columns, schema=self._schema)
        numbers = raw.row_numbers.to_pylist()
        rejects = list(raw.rejects)
        for row, reasons in sorted(failures.reasons.items()):
            raw_row = raw.raw_of(row)
            rejects.extend(
                RowReject(numbers[row], column, reason, raw_row) for column, reason in reasons
            )
        nulls = {name: int((mask & keep).sum()) for name, mask in coerced.items()}
        return MappedBatch(rows, tuple(rejects), {k: v for k, v in nulls.items() if v})

    def _provenance(
        self, domain: Sequence[pa.Array], numbers: pa.Array, size: int
    ) -> list[pa.Array]:
        context = self._context
        stamp = pa.scalar(context.now, pa.timestamp("us", tz="UTC"))
        return [
            pa.repeat(pa.scalar(context.source, pa.string()), size),
            pa.repeat(pa.scalar(context.run_id, pa.string()), size),
            numbers.cast(pa.int64()),
            record_hashes(domain),
            pa.repeat(stamp, size),
            pa.repeat(stamp, size),
        ]


def record_hashes(domain: Sequence[pa.Array]) -> pa.Array:
    """sha256 per row over the typed domain values (null kept distinct from empty)."""
    if not domain or len(domain[0]) == 0:
        return pa.array([], pa.string())
    parts = [_hash_text(a) for a in domain]
    joined = pc.binary_join_element_wise(
        *parts, _HASH_SEP, null_handling="replace", null_replacement="\x00"
    )
    return pa.array(
        [hashlib.sha256(s.encode("utf-8")).hexdigest() for s in joined.to_pylist()], pa.string()
    )


def _hash_text(array: pa.Array) -> pa.Array:
    if pa.types.is_list(array.type):
        return pc.binary_join(array, "\x1e")
    return as_text(array)


def _apply_lookup(text: pa.Array, lookup: tuple[pa.Array, pa.Array]) -> pa.Array:
    keys, values = lookup
    index = pc.index_in(text, value_set=keys)
    return pc.if_else(index.is_valid(), values.take(index), text)


def _parse(plan: _Plan, text: pa.Array) -> tuple[pa.Array, dict[int, str], pa.Array | None]:
    """Typed values, failed rows with reasons, and currencies found in amounts."""
    column = plan.column
    semantic = semantic_of(column.name)
    if column.identity:
        hashed = parse_distinct(text, to_exchange_hash)
        return hashed.take(pa.array(list(hashed.values), pa.string())), hashed.failed_rows(), None
    if column.type is ColumnType.STRING and column.vocab is None:
        if semantic is Semantic.USCC:
            canon, reasons = check_uscc(text)
            return canon, reasons, None
        if semantic is Semantic.PHONE:
            canon, reasons = check_phone(text)
            return canon, reasons, None
        if semantic is None:
            return text, {}, None
    parsed = parse_distinct(text, plan.parser)
    if column.type is ColumnType.DECIMAL:
        money: Sequence[Money | None] = parsed.values
        amounts = pa.array([m.amount if m else None for m in money], DECIMAL_TYPE)
        currencies = pa.array([(m.currency or None) if m else None for m in money], pa.string())
        return parsed.take(amounts), parsed.failed_rows(), parsed.take(currencies)
    return _typed(parsed, column), parsed.failed_rows(), None


def _typed(parsed: Parsed, column: Column) -> pa.Array:
    return parsed.take(pa.array(list(parsed.values), column.type.arrow()))


__all__ = ["MappedBatch", "Mapper", "MappingContext", "record_hashes"]
