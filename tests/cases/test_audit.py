"""The audit chain: intact when untouched, and every kind of tampering is found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smokewatch.cases.audit import GENESIS, AuditRecord, seal, verify_chain

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def _chain(n: int) -> list[tuple[AuditRecord, str, str]]:
    entries = []
    previous = GENESIS
    for seq in range(1, n + 1):
        record = AuditRecord(
            seq, T0 + timedelta(minutes=seq), "u", "case.verify", "case", f"c{seq}", {"k": seq}
        )
        digest = seal(previous, record)
        entries.append((record, previous, digest))
        previous = digest
    return entries


def test_an_untouched_chain_is_intact() -> None:
    check = verify_chain(_chain(5))
    assert (check.entries, check.intact, check.broken_at) == (5, True, None)


def test_a_changed_detail_is_found_at_its_entry() -> None:
    entries = _chain(5)
    record, previous, digest = entries[2]
    forged = AuditRecord(
        record.seq,
        record.at,
        record.actor,
        record.action,
        record.object_type,
        record.object_id,
        {"k": 99},
    )
    entries[2] = (forged, previous, digest)
    check = verify_chain(entries)
    assert (check.intact, check.broken_at) == (False, 3)
    assert "content" in (check.problem or "")


def test_a_removed_or_reordered_entry_is_found() -> None:
    entries = _chain(5)
    assert verify_chain(entries[:2] + entries[3:]).broken_at == 4
    swapped = [entries[0], entries[2], entries[1], *entries[3:]]
    assert verify_chain(swapped).intact is False


def test_a_rehashed_forgery_still_breaks_the_next_link() -> None:
    entries = _chain(3)
    record, previous, _ = entries[1]
    forged = AuditRecord(
        record.seq,
        record.at,
        "intruder",
        record.action,
        record.object_type,
        record.object_id,
        record.detail,
    )
    entries[1] = (forged, previous, seal(previous, forged))
    check = verify_chain(entries)
    assert (check.intact, check.broken_at) == (False, 3)
