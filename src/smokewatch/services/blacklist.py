"""The untrustworthy-borrower list (恶意逃废债名单): import, list, remove, match, export.

Lenders and organisations report borrowers — persons or enterprises — who evade their debts on
purpose; the lead department keeps the list, matches it against what it watches, and hands it to
the member agencies for joint discipline (联合惩戒). Every function acts as an
:class:`~smokewatch.cases.access.Actor`:

==========================  ===================================================================
action                      who
==========================  ===================================================================
import                      admin, lead, officer, reporter (rows inside their division)
list (masked), match        admin, lead, officer, viewer, police (entries inside their division)
list with names unmasked    admin, lead, police (PII roles) — every such view is audited
remove, export              admin, lead
==========================  ===================================================================

Identity numbers are stored only as keyed hashes (:mod:`smokewatch.model.types.identity`) under
the workspace key (:func:`workspace_key`); a list hashed with another key is refused rather than
silently never matching. Person names are masked for roles without the right to see PII and
always in exports (enterprise names are public registry data and stay readable). Each import,
removal, unmasked view, match and export appends to the audit log in the same transaction.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Session

from smokewatch.cases.access import Actor, Role, within
from smokewatch.errors import ConfigError, Conflict, Forbidden, InvalidInput, NotFound
from smokewatch.ingest.rejects import RowReject
from smokewatch.model.ids import content_hash
from smokewatch.model.types.identity import key_fingerprint, mask_person_name, subject_key
from smokewatch.services import audit
from smokewatch.services.blacklist_io import ListedRow, read_list, write_export
from smokewatch.store.db import Store
from smokewatch.store.orm_blacklist import BlacklistEntry

IMPORTERS: Final = frozenset({Role.ADMIN, Role.LEAD, Role.OFFICER, Role.REPORTER})
READERS: Final = frozenset({Role.ADMIN, Role.LEAD, Role.OFFICER, Role.VIEWER, Role.POLICE})
MANAGERS: Final = frozenset({Role.ADMIN, Role.LEAD})
KEY_ENV: Final = "SMOKEWATCH_PII_KEY"
KEY_FILE: Final = Path("secrets") / "pii.key"
MAX_AUDITED_IDS: Final = 1_000


def workspace_key(root: Path, environ: Mapping[str, str] | None = None) -> bytes:
    """The workspace's secret key for hashing identity numbers.

    ``SMOKEWATCH_PII_KEY`` (in ``environ``) wins — servers sharing one PostgreSQL store must
    share it; otherwise ``<workspace>/secrets/pii.key`` is read, and created (32 random bytes,
    hex, readable by the owner only) the first time. Losing the key makes the stored hashes
    unmatchable; keep it with the store's backups, never inside the store.
    """
    given = (environ or {}).get(KEY_ENV, "").strip()
    if given:
        return given.encode("utf-8")
    path = root / KEY_FILE
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip().encode("ascii")


def _now() -> datetime:
    return datetime.now(UTC)


def require_role(actor: Actor, roles: frozenset[Role], what: str) -> None:
    """Raise :class:`Forbidden` unless the actor holds one of ``roles`` (admins always do)."""
    if not actor.is_admin and not actor.roles & roles:
        raise Forbidden(f"your role may not {what} the untrustworthy-borrower list")


def _visible(actor: Actor, adcode: str) -> bool:
    return actor.is_admin or within(adcode, actor.adcode)


def check_key(session: Session, key_id: str) -> None:
    """Refuse to work with a key other than the one the stored list was hashed with."""
    other = session.execute(
        sa.select(BlacklistEntry.key_id).where(BlacklistEntry.key_id != key_id).limit(1)
    ).scalar_one_or_none()
    if other is not None:
        raise ConfigError(
            f"the list was hashed with another workspace key ({other}, this one is {key_id}); "
            f"restore that key (secrets/pii.key or {KEY_ENV})"
        )


def audit_ids(ids: Sequence[str]) -> dict[str, Any]:
    """Entry ids for an audit entry's detail (the first :data:`MAX_AUDITED_IDS`)."""
    return {"ids": list(ids[:MAX_AUDITED_IDS]), "ids_truncated": len(ids) > MAX_AUDITED_IDS}


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import read and changed."""

    file: str
    sha256: str
    encoding: str | None
    rows_read: int
    added: int
    updated: int
    unchanged: int
    kept_removed: int
    """Rows about entries removed earlier: removal is a decision, a re-import does not undo it."""
    rejects: tuple[RowReject, ...] = field(default_factory=tuple)

    @property
    def rows_rejected(self) -> int:
        """Rows with at least one reject."""
        return len({r.row_number for r in self.rejects})

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (rejects as dicts)."""
        data = asdict(self)
        data["rows_rejected"] = self.rows_rejected
        return data


def _entry_id(key_id: str, key: str, row: ListedRow) -> str:
    digest = content_hash(key_id, key, row.reporter, row.listed_on.isoformat())
    return f"BL-{digest[:20]}"


def _content(row: ListedRow, adcode: str) -> str:
    return content_hash(
        row.subject_type,
        row.id_kind,
        row.id_display,
        row.name,
        row.reporter,
        row.reporter_uscc,
        row.amount_evaded,
        row.evaded_on,
        row.listed_on,
        row.reason,
        row.evidence_ref,
        adcode,
    )


def import_list(
    store: Store,
    actor: Actor,
    path: Path,
    *,
    secret: bytes,
    encoding: str = "auto",
    default_adcode: str | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import a reported list (CSV/XLSX): add new listings, update changed ones, keep the rest.

    A row's listing is identified by the person or enterprise, the reporter and the listing
    date, so importing the same file again changes nothing. Rows without a division take
    ``default_adcode`` (else the actor's division); rows outside the actor's division are
    rejected. All accepted rows are written in one transaction with their audit entries.

    Raises:
        Forbidden: the actor may not import.
        NotFound, InvalidInput: see :func:`~smokewatch.services.blacklist_io.read_list`.
        ConfigError: the stored list was hashed with another key.
    """
    require_role(actor, IMPORTERS, "import into")
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    read = read_list(path, encoding=encoding, today=today)
    key_id = key_fingerprint(secret)
    rejects = list(read.rejects)
    counts = {"added": 0, "updated": 0, "unchanged": 0, "kept_removed": 0}
    changed: dict[str, list[str]] = {"added": [], "updated": []}
    now = _now()
    with store.unit_of_work() as session:
        check_key(session, key_id)
        seen: dict[str, int] = {}
        for row in read.rows:
            adcode = row.adcode or default_adcode or actor.adcode or None
            problem = _placement(actor, adcode)
            key = subject_key(secret, row.exchange)
            entry_id = _entry_id(key_id, key, row)
            if problem is None and entry_id in seen:
                problem = f"repeats the listing of row {seen[entry_id]}"
            if problem is not None or adcode is None:
                rejects.append(RowReject(row.row_number, "adcode", problem or "", _raw(row)))
                continue
            seen[entry_id] = row.row_number
            outcome = _upsert(session, actor, row, entry_id, key, key_id, adcode, path, now)
            counts[outcome] += 1
            if outcome in changed:
                changed[outcome].append(entry_id)
        audit.record(
            session,
            actor=actor.user_id,
            action="blacklist.import",
            object_type="blacklist",
            object_id=digest[:32] or path.name,
            detail={
                "file": path.name,
                "sha256": digest,
                **counts,
                "rejected_rows": len({r.row_number for r in rejects}),
                "added_ids": audit_ids(changed["added"]),
                "updated_ids": audit_ids(changed["updated"]),
            },
        )
    return ImportReport(
        file=path.name,
        sha256=digest,
        encoding=read.encoding,
        rows_read=read.rows_read,
        rejects=tuple(sorted(rejects, key=lambda r: (r.row_number, r.column or ""))),
        **counts,
    )


def _placement(actor: Actor, adcode: str | None) -> str | None:
    if adcode is None:
        return "no division code: give adcode (行政区划代码) or set the workspace's jurisdiction"
    if not _visible(actor, adcode):
        return f"division {adcode} is outside your jurisdiction ({actor.adcode or 'none'})"
    return None


def _raw(row: ListedRow) -> str:
    """A rejected row as stored with the reject (never with the clear identity number)."""
    return f'{{"row": {row.row_number}, "name": "{mask_person_name(row.name)}"}}'


def _upsert(  # noqa: PLR0917 - one private call site
    session: Session,
    actor: Actor,
    row: ListedRow,
    entry_id: str,
    key: str,
    key_id: str,
    adcode: str,
    path: Path,
    now: datetime,
) -> str:
    content = _content(row, adcode)
    entry = session.get(BlacklistEntry, entry_id)
    if entry is not None and entry.status == "removed":
        return "kept_removed"
    if entry is not None and entry.content_hash == content:
        return "unchanged"
    values = {
        "subject_type": row.subject_type,
        "id_kind": row.id_kind,
        "id_display": row.id_display,
        "name": row.name,
        "reporter": row.reporter,
        "reporter_uscc": row.reporter_uscc,
        "amount_evaded": row.amount_evaded,
        "evaded_on": row.evaded_on,
        "listed_on": row.listed_on,
        "reason": row.reason,
        "evidence_ref": row.evidence_ref,
        "adcode": adcode,
        "content_hash": content,
        "source_file": path.name,
        "source_row": row.row_number,
        "updated_by": actor.user_id,
        "updated_at": now,
    }
    if entry is None:
        session.add(
            BlacklistEntry(
                id=entry_id,
                subject_key=key,
                key_id=key_id,
                status="listed",
                removed_on=None,
                removal_reason=None,
                created_by=actor.user_id,
                created_at=now,
                **values,
            )
        )
        action, outcome = "blacklist.add", "added"
    else:
        for name, value in values.items():
            setattr(entry, name, value)
        action, outcome = "blacklist.update", "updated"
    audit.record(
        session,
        actor=actor.user_id,
        action=action,
        object_type="blacklist_entry",
        object_id=entry_id,
        detail={"file": path.name, "row": row.row_number, "content_hash": content},
        at=now,
    )
    return outcome


def entry_dict(entry: BlacklistEntry, *, unmasked: bool) -> dict[str, Any]:
    """An entry as plain data; a person's name masked unless ``unmasked``."""
    name = entry.name
    if entry.subject_type == "person" and not unmasked:
        name = mask_person_name(name)
    return {
        "id": entry.id,
        "subject_type": entry.subject_type,
        "name": name,
        "id_kind": entry.id_kind,
        "id_display": entry.id_display,
        "reporter": entry.reporter,
        "reporter_uscc": entry.reporter_uscc,
        "amount_evaded": entry.amount_evaded,
        "evaded_on": entry.evaded_on,
        "listed_on": entry.listed_on,
        "reason": entry.reason,
        "evidence_ref": entry.evidence_ref,
        "adcode": entry.adcode,
        "status": entry.status,
        "removed_on": entry.removed_on,
        "removal_reason": entry.removal_reason,
    }


def visible_entries(
    session: Session,
    actor: Actor,
    *,
    status: str | None = None,
    subject_type: str | None = None,
    reporter: str | None = None,
) -> list[BlacklistEntry]:
    """The entries inside the actor's division, oldest listing first."""
    query = sa.select(BlacklistEntry).order_by(BlacklistEntry.listed_on, BlacklistEntry.id)
    if status is not None:
        query = query.where(BlacklistEntry.status == status)
    if subject_type is not None:
        query = query.where(BlacklistEntry.subject_type == subject_type)
    if reporter is not None:
        query = query.where(BlacklistEntry.reporter == reporter)
    return [e for e in session.scalars(query) if _visible(actor, e.adcode)]


def list_entries(
    store: Store,
    actor: Actor,
    *,
    status: str | None = None,
    subject_type: str | None = None,
    reporter: str | None = None,
    unmask: bool = False,
) -> list[dict[str, Any]]:
    """The entries the actor may see, oldest listing first; names unmasked only on request.

    Raises:
        Forbidden: the actor may not read the list, or asks to unmask without a PII role.
    """
    require_role(actor, READERS, "read")
    if unmask and not actor.sees_pii:
        raise Forbidden("your role may not see the names of listed persons")
    with store.unit_of_work() as session:
        entries = visible_entries(
            session, actor, status=status, subject_type=subject_type, reporter=reporter
        )
        shown = [e.id for e in entries if e.subject_type == "person"]
        if unmask and shown:
            audit.record(
                session,
                actor=actor.user_id,
                action="blacklist.view_pii",
                object_type="blacklist",
                object_id="list",
                detail={"count": len(shown), **audit_ids(shown)},
            )
        return [entry_dict(e, unmasked=unmask) for e in entries]


def remove_entry(
    store: Store,
    actor: Actor,
    entry_id: str,
    *,
    reason: str,
    removed_on: date | None = None,
) -> dict[str, Any]:
    """Take a listing off the list (移出), with the reason; the row and its history stay.

    Raises:
        Forbidden: the actor may not remove listings.
        NotFound: no such entry visible to the actor.
        InvalidInput: no reason, or a removal date before the listing.
        Conflict: the entry is already removed.
    """
    require_role(actor, MANAGERS, "remove from")
    if not reason.strip():
        raise InvalidInput("a removal needs a reason (e.g. 已清偿, 异议成立, 列入错误)")
    with store.unit_of_work() as session:
        entry = session.get(BlacklistEntry, entry_id)
        if entry is None or not _visible(actor, entry.adcode):
            raise NotFound(f"no listing {entry_id!r}")
        if entry.status == "removed":
            raise Conflict(f"{entry_id} was already removed on {entry.removed_on}")
        day = removed_on or _now().date()
        if day < entry.listed_on:
            raise InvalidInput(f"removal on {day} is before the listing on {entry.listed_on}")
        now = _now()
        entry.status = "removed"
        entry.removed_on = day
        entry.removal_reason = reason.strip()
        entry.updated_by = actor.user_id
        entry.updated_at = now
        audit.record(
            session,
            actor=actor.user_id,
            action="blacklist.remove",
            object_type="blacklist_entry",
            object_id=entry_id,
            detail={"reason": reason.strip(), "removed_on": day.isoformat()},
            at=now,
        )
        return entry_dict(entry, unmasked=False)


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote."""

    path: Path
    format: str
    rows: int
    sha256: str


def export_list(
    store: Store,
    actor: Actor,
    path: Path,
    *,
    include_removed: bool = False,
) -> ExportReport:
    """Write the listings for joint discipline (CSV or XLSX), persons' names and numbers masked.

    Raises:
        Forbidden: the actor may not export.
        InvalidInput: unknown suffix or missing folder.
    """
    require_role(actor, MANAGERS, "export")
    written = False
    try:
        with store.unit_of_work() as session:
            entries = visible_entries(session, actor, status=None if include_removed else "listed")
            rows = [entry_dict(e, unmasked=False) for e in entries]
            fmt = write_export(rows, path)
            written = True
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            _audit_export(session, actor, path, fmt, rows, digest, include_removed)
    except BaseException:
        if written:  # an export that is not in the audit log must not exist
            path.unlink(missing_ok=True)
        raise
    return ExportReport(path, fmt, len(rows), digest)


def _audit_export(  # noqa: PLR0917 - one private call site
    session: Session,
    actor: Actor,
    path: Path,
    fmt: str,
    rows: Sequence[Mapping[str, Any]],
    digest: str,
    include_removed: bool,
) -> None:
    audit.record(
        session,
        actor=actor.user_id,
        action="blacklist.export",
        object_type="blacklist",
        object_id=digest[:32],
        detail={
            "file": path.name,
            "format": fmt,
            "rows": len(rows),
            "sha256": digest,
            "include_removed": include_removed,
            **audit_ids([str(r["id"]) for r in rows]),
        },
    )


__all__ = [
    "IMPORTERS",
    "KEY_ENV",
    "MANAGERS",
    "READERS",
    "ExportReport",
    "ImportReport",
    "audit_ids",
    "check_key",
    "entry_dict",
    "export_list",
    "import_list",
    "list_entries",
    "remove_entry",
    "require_role",
    "visible_entries",
    "workspace_key",
]
