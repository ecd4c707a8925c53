"""The audit log's hash chain: each entry seals its content and the entry before it.

Every state change and every view of unmasked PII appends an :class:`AuditRecord`. Its hash is
``sha256(previous hash | canonical JSON of the record)``, the first entry chaining to
:data:`GENESIS`. Changing, removing or reordering any stored entry breaks every hash after it,
so :func:`verify_chain` finds the first broken entry. The store keeps the entries in an
append-only table; nothing updates or deletes them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

GENESIS: Final = "0" * 64
"""The hash the first entry chains to."""


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """What happened, as sealed in the chain."""

    seq: int
    """1-based position in the log (part of the seal: entries cannot be reordered)."""
    at: datetime
    actor: str
    action: str
    """``case.verify``, ``case.view_pii``, ``user.create``, ``alert.snooze`` …"""
    object_type: str
    object_id: str
    detail: Mapping[str, Any]


def canonical(record: AuditRecord) -> str:
    """The record as canonical JSON (sorted keys, no spaces, UTC ISO time)."""
    payload = {
        "seq": record.seq,
        "at": record.at.isoformat(),
        "actor": record.actor,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "detail": record.detail,
    }
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def seal(previous: str, record: AuditRecord) -> str:
    """The hash of ``record`` chained to ``previous``."""
    digest = hashlib.sha256()
    digest.update(previous.encode("ascii"))
    digest.update(b"|")
    digest.update(canonical(record).encode("utf-8"))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """The result of verifying a chain."""

    entries: int
    intact: bool
    broken_at: int | None = None
    """The ``seq`` of the first entry whose hash does not match (``None`` when intact)."""
    problem: str | None = None


def verify_chain(entries: Iterable[tuple[AuditRecord, str, str]]) -> ChainCheck:
    """Check ``(record, stored previous hash, stored hash)`` triples in ``seq`` order.

    Examples:
        >>> from datetime import UTC
        >>> at = datetime(2026, 1, 1, tzinfo=UTC)
        >>> r1 = AuditRecord(1, at, "u", "case.open", "case", "c1", {})
        >>> h1 = seal(GENESIS, r1)
        >>> verify_chain([(r1, GENESIS, h1)]).intact
        True
        >>> tampered = AuditRecord(1, r1.at, "u", "case.open", "case", "c2", {})
        >>> verify_chain([(tampered, GENESIS, h1)]).broken_at
        1
    """
    previous = GENESIS
    count = 0
    for count, (record, stored_previous, stored_hash) in enumerate(entries, start=1):
        if record.seq != count:
            return ChainCheck(count, False, record.seq, f"entry {count} has sequence {record.seq}")
        if stored_previous != previous:
            return ChainCheck(count, False, record.seq, "it does not chain to the entry before")
        expected = seal(previous, record)
        if expected != stored_hash:
            return ChainCheck(count, False, record.seq, "its content does not match its hash")
        previous = stored_hash
    return ChainCheck(count, True)


__all__ = ["GENESIS", "AuditRecord", "ChainCheck", "canonical", "seal", "verify_chain"]
