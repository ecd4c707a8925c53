"""The audit log: append an entry in the same transaction as the change it records; verify it.

Every state change (cases, users, tokens, alerts, watch lists) and every view of unmasked PII
calls :func:`record` inside the unit of work that makes the change, so the entry exists if and
only if the change does. Entries are numbered without gaps and hash-chained
(:mod:`smokewatch.cases.audit`); :func:`verify` re-computes the chain (``smokewatch audit
verify``). On PostgreSQL a transaction-scoped advisory lock serialises appends; SQLite has a
single writer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.cases.access import Actor
from smokewatch.cases.audit import GENESIS, AuditRecord, ChainCheck, seal, verify_chain
from smokewatch.errors import Forbidden
from smokewatch.store.db import Store
from smokewatch.store.orm_cases import AuditEntry

_LOCK_KEY = 0x5357_4155  # "SWAU"
_PAGE = 5_000


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry to the audit log (in the caller's transaction)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("select pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    last = session.execute(
        sa.select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, previous = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
    when = (at or datetime.now(UTC)).astimezone(UTC)
    plain = json.loads(json.dumps(dict(detail or {}), default=str))  # sealed exactly as stored
    entry = AuditRecord(seq, when, actor, action, object_type, object_id, plain)
    row = AuditEntry(
        seq=seq,
        at=when,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=plain,
        prev_hash=previous,
        hash=seal(previous, entry),
    )
    session.add(row)
    session.flush()
    return row


def record_many(session: Session, entries: Sequence[Mapping[str, Any]]) -> list[AuditEntry]:
    """Append several entries in one go (in the caller's transaction), in the given order.

    Each mapping holds :func:`record`'s keyword arguments; the chain and the rows are exactly
    what as many :func:`record` calls would write, with one look-up of the chain's end.
    """
    if not entries:
        return []
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("select pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    last = session.execute(
        sa.select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, previous = (int(last[0]), str(last[1])) if last else (0, GENESIS)
    rows: list[AuditEntry] = []
    for item in entries:
        seq += 1
        when = (item.get("at") or datetime.now(UTC)).astimezone(UTC)
        plain = json.loads(json.dumps(dict(item.get("detail") or {}), default=str))
        fields = (item["actor"], item["action"], item["object_type"], item["object_id"])
        sealed = seal(previous, AuditRecord(seq, when, *fields, plain))
        rows.append(
            AuditEntry(
                seq=seq,
                at=when,
                actor=fields[0],
                action=fields[1],
                object_type=fields[2],
                object_id=fields[3],
                detail=plain,
                prev_hash=previous,
                hash=sealed,
            )
        )
        previous = sealed
    session.add_all(rows)
    session.flush()
    return rows


def _entries(session: Session) -> Iterator[tuple[AuditRecord, str, str]]:
    after = 0
    while True:
        rows = session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.seq > after)
            .order_by(AuditEntry.seq)
            .limit(_PAGE)
        ).all()
        if not rows:
            return
        for row in rows:
            yield (
                AuditRecord(
                    int(row.seq),
                    row.at,
                    row.actor,
                    row.action,
                    row.object_type,
                    row.object_id,
                    row.detail,
                ),
                row.prev_hash,
                row.hash,
            )
        after = int(rows[-1].seq)


def verify(store: Store) -> ChainCheck:
    """Re-compute the whole chain and report the first entry that does not match."""
    with store.read_session() as session:
        return verify_chain(_entries(session))


def verify_for(store: Store, actor: Actor) -> ChainCheck:
    """:func:`verify`, for administrators only.

    Raises:
        Forbidden: the actor is not an admin.
    """
    if not actor.is_admin:
        raise Forbidden("only administrators verify the audit log")
    return verify(store)


def history(store: Store, object_type: str, object_id: str) -> list[dict[str, Any]]:
    """The audit entries about one object, oldest first."""
    with store.read_session() as session:
        rows = session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
            .order_by(AuditEntry.seq)
        )
        return [
            {
                "seq": r.seq,
                "at": r.at,
                "actor": r.actor,
                "action": r.action,
                "detail": r.detail,
                "hash": r.hash,
            }
            for r in rows
        ]


__all__ = ["history", "record", "record_many", "verify", "verify_for"]
