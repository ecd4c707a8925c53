"""Matching the untrustworthy-borrower list against what the workspace watches.

The stored subject keys are keyed hashes of identity numbers, so matching never needs a clear
number: for every identity the analytic tables hold, the same key is computed and looked up.

* ``enterprise.uscc`` and ``local_org.uscc`` — a listed enterprise in the registry, or one that
  is itself a licensed local financial organisation;
* ``loan.borrower_hash`` — the sha256 of the borrower's ID number or USCC as the lender's book
  carries it (:func:`~smokewatch.model.types.identity.exchange_hash`): a listed person or
  enterprise borrowing again from a licensed lender.

Each distinct identity is hashed once. The report has one row per (listing, matched record),
persons' names masked; the run is recorded in the audit log with its counts.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.cases.access import Actor
from smokewatch.engine import Engine
from smokewatch.errors import InvalidInput
from smokewatch.model.types.identity import exchange_hash, key_fingerprint, subject_key
from smokewatch.services import audit
from smokewatch.services.blacklist import (
    READERS,
    audit_ids,
    check_key,
    entry_dict,
    require_role,
    visible_entries,
)
from smokewatch.store.db import Store
from smokewatch.store.orm_blacklist import BlacklistEntry

SOURCES: Final[Mapping[str, tuple[str, tuple[str, ...]]]] = {
    "enterprise": ("uscc", ("id", "uscc", "name", "adcode", "status")),
    "local_org": ("uscc", ("id", "uscc", "name", "adcode", "kind", "status")),
    "loan": (
        "borrower_hash",
        (
            "id",
            "borrower_hash",
            "lender_uscc",
            "lender_name",
            "contract_number",
            "principal",
            "contract_date",
            "status",
        ),
    ),
}
"""Table → (identity column, columns read)."""


@dataclass(frozen=True, slots=True)
class Match:
    """A listed borrower found in a table of the workspace."""

    entry_id: str
    subject_type: str
    name: str
    """Listed name (a person's masked)."""
    reporter: str
    amount_evaded: Decimal
    table: str
    record_id: str
    record: Mapping[str, Any]
    """The matched row's columns (no identity number or hash)."""


@dataclass(frozen=True, slots=True)
class MatchReport:
    """What a match run looked at and found."""

    entries: int
    """Listings matched against."""
    scanned: Mapping[str, int]
    """Rows with an identity read per table (tables absent from the workspace are left out)."""
    matches: tuple[Match, ...] = field(default_factory=tuple)

    @property
    def entries_matched(self) -> int:
        """Listings found at least once."""
        return len({m.entry_id for m in self.matches})

    def by_table(self) -> dict[str, int]:
        """Matches per table."""
        counts: dict[str, int] = {}
        for m in self.matches:
            counts[m.table] = counts.get(m.table, 0) + 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "entries": self.entries,
            "entries_matched": self.entries_matched,
            "scanned": dict(self.scanned),
            "by_table": self.by_table(),
            "matches": [asdict(m) for m in self.matches],
        }


def _identities(engine: Engine, table: str) -> pa.Table | None:
    if not engine.has_table(table):
        return None
    column, columns = SOURCES[table]
    t = engine.table(table)
    present = [c for c in columns if c in t.columns]
    if column not in present:
        return None
    return engine.to_arrow(t.filter(t[column].notnull()).select(*present), step="blacklist")


def _matching_values(
    values: pa.Array, secret: bytes, keys: Mapping[str, object], *, hashed: bool
) -> dict[str, str]:
    """Identity value → subject key, for the distinct values whose key is listed."""
    found: dict[str, str] = {}
    for value in pc.unique(values).to_pylist():
        if not value:
            continue
        text = str(value).strip()
        exchange = text.lower() if hashed else exchange_hash(text.upper())
        if hashed and len(exchange) != 64:
            continue
        key = subject_key(secret, exchange)
        if key in keys:
            found[str(value)] = key
    return found


def match_entities(
    store: Store,
    engine: Engine,
    actor: Actor,
    *,
    secret: bytes,
    include_removed: bool = False,
) -> MatchReport:
    """Find the listed borrowers among the enterprises, licensed organisations and loan books.

    Raises:
        Forbidden: the actor may not read the list.
        ConfigError: the stored list was hashed with another key.
    """
    require_role(actor, READERS, "match")
    with store.read_session() as session:
        check_key(session, key_fingerprint(secret))
        entries = visible_entries(session, actor, status=None if include_removed else "listed")
        by_key: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            by_key.setdefault(entry.subject_key, []).append(_listing(entry))
    matches: list[Match] = []
    scanned: dict[str, int] = {}
    for table, (column, _) in SOURCES.items():
        rows = _identities(engine, table)
        if rows is None:
            continue
        scanned[table] = rows.num_rows
        if not by_key:
            continue
        hits = _matching_values(rows.column(column), secret, by_key, hashed=table == "loan")
        if hits:
            matches.extend(_matches(table, column, rows, hits, by_key))
    matches.sort(key=lambda m: (m.entry_id, m.table, m.record_id))
    report = MatchReport(len(entries), scanned, tuple(matches))
    with store.unit_of_work() as session:
        audit.record(
            session,
            actor=actor.user_id,
            action="blacklist.match",
            object_type="blacklist",
            object_id="match",
            detail={
                "entries": report.entries,
                "entries_matched": report.entries_matched,
                "scanned": scanned,
                "by_table": report.by_table(),
                **audit_ids(sorted({m.entry_id for m in matches})),
            },
        )
    return report


def _listing(entry: BlacklistEntry) -> dict[str, Any]:
    data = entry_dict(entry, unmasked=False)
    return {k: data[k] for k in ("id", "subject_type", "name", "reporter", "amount_evaded")}


def _matches(
    table: str,
    column: str,
    rows: pa.Table,
    hits: Mapping[str, str],
    by_key: Mapping[str, list[dict[str, Any]]],
) -> Iterable[Match]:
    chosen = rows.filter(pc.is_in(rows.column(column), value_set=pa.array(list(hits))))
    for record in chosen.to_pylist():
        key = hits[str(record.pop(column))]
        for listing in by_key[key]:
            if table != "loan" and listing["subject_type"] != "enterprise":
                continue
            yield Match(
                entry_id=listing["id"],
                subject_type=listing["subject_type"],
                name=listing["name"],
                reporter=listing["reporter"],
                amount_evaded=listing["amount_evaded"],
                table=table,
                record_id=str(record["id"]),
                record=record,
            )


MATCH_COLUMNS: Final = (
    "entry_id",
    "subject_type",
    "name",
    "reporter",
    "amount_evaded",
    "table",
    "record_id",
    "record",
)


def write_matches(report: MatchReport, path: Path) -> None:
    """One CSV row per match (UTF-8 with BOM), written atomically.

    Raises:
        InvalidInput: the folder does not exist.
    """
    if not path.parent.is_dir():
        raise InvalidInput(f"the output folder does not exist: {path.parent}")
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(MATCH_COLUMNS)
            for m in report.matches:
                record = "; ".join(f"{k}={v}" for k, v in m.record.items() if k != "id")
                writer.writerow(
                    [
                        m.entry_id,
                        m.subject_type,
                        m.name,
                        m.reporter,
                        m.amount_evaded,
                        m.table,
                        m.record_id,
                        record,
                    ]
                )
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


__all__ = ["MATCH_COLUMNS", "SOURCES", "Match", "MatchReport", "match_entities", "write_matches"]
