"""Evidence files: kept by content hash, typed by their bytes, never executed or rendered inline.

A file attached to a case is stored once under ``<workspace>/evidence/<sha[:2]>/<sha256>``
(read-only), recorded in ``evidence_file`` and linked to the case. Its type is decided from its
first bytes, not from the name or what the client says: PDF, PNG, JPEG, GIF, ZIP-based office
documents and plain text (UTF-8 or GB18030) are accepted; executables, scripts and anything
else are refused. The API serves files only as downloads (``Content-Disposition:
attachment``, ``nosniff``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Final

import sqlalchemy as sa

from smokewatch.cases.access import Actor, refusal
from smokewatch.cases.workflow import CaseAction
from smokewatch.errors import Forbidden, InvalidInput, NotFound
from smokewatch.services import audit
from smokewatch.services.cases import get_visible, link_dict, link_evidence, scope_of
from smokewatch.store.db import Store
from smokewatch.store.orm_cases import CaseLink, EvidenceFile

MAX_BYTES: Final = 20 * 1024 * 1024
"""Largest file accepted (20 MiB)."""

_REFUSED: Final = (
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "an executable"),
    (b"#!", "a script"),
)
_MAGIC: Final = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_OFFICE: Final = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}


def media_type(content: bytes, name: str) -> str:
    """The media type of ``content`` from its bytes (the name only tells docx from xlsx).

    Raises:
        InvalidInput: an executable, a script, or a type that is not accepted.

    Examples:
        >>> media_type(b"%PDF-1.7 ...", "x.exe"), media_type("投诉材料".encode("gbk"), "a.txt")
        ('application/pdf', 'text/plain')
    """
    for magic, what in _REFUSED:
        if content.startswith(magic):
            raise InvalidInput(f"{name}: {what} is never accepted as evidence")
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            return kind
    if content.startswith(b"PK\x03\x04"):
        return _OFFICE.get(PurePath(name).suffix.lower(), "application/zip")
    if b"\x00" not in content[:8192]:
        for encoding in ("utf-8", "gb18030"):
            try:
                content.decode(encoding)
            except UnicodeDecodeError:
                continue
            return "text/csv" if name.lower().endswith(".csv") else "text/plain"
    raise InvalidInput(f"{name}: not an accepted type (PDF, images, office documents, text)")


def _path(evidence_dir: Path, sha: str) -> Path:
    return evidence_dir / sha[:2] / sha


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file as kept, and where it is linked."""

    sha256: str
    size: int
    media_type: str
    original_name: str


def attach_file(
    store: Store,
    actor: Actor,
    case_id: str,
    content: bytes,
    name: str,
    *,
    evidence_dir: Path,
    note: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> dict[str, object]:
    """Keep a file and attach it to a case (the same bytes are stored once).

    Raises:
        InvalidInput: empty, too large, or a refused type.
        NotFound / Forbidden: the case is not visible, or the actor may not add evidence.
    """
    if not content:
        raise InvalidInput(f"{name}: the file is empty")
    if len(content) > max_bytes:
        raise InvalidInput(f"{name}: {len(content):,} bytes, more than the {max_bytes:,} allowed")
    kind = media_type(content, name)
    sha = hashlib.sha256(content).hexdigest()
    safe_name = PurePath(name.replace("\\", "/")).name[:200] or "evidence"
    now = datetime.now(UTC)
    with store.unit_of_work() as session:
        case = get_visible(session, case_id, actor)
        if refusal(actor, scope_of(case), CaseAction.ASSIGN) is not None:
            raise Forbidden("your role may not add evidence to cases")
        if session.get(EvidenceFile, sha) is None:
            target = _path(evidence_dir, sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                partial = target.with_suffix(".partial")
                partial.write_bytes(content)
                os.chmod(partial, 0o444)
                os.replace(partial, target)
            session.add(
                EvidenceFile(
                    sha256=sha,
                    size=len(content),
                    media_type=kind,
                    original_name=safe_name,
                    stored_by=actor.user_id,
                    stored_at=now,
                )
            )
            session.flush()
        link = link_evidence(session, case, actor, "file", sha, note=note or safe_name, at=now)
        audit.record(
            session,
            actor=actor.user_id,
            action="case.file",
            object_type="case",
            object_id=case.id,
            detail={"sha256": sha, "size": len(content), "media_type": kind, "name": safe_name},
        )
        return {**link_dict(link), "sha256": sha, "size": len(content), "media_type": kind}


def open_file(
    store: Store, actor: Actor, case_id: str, sha: str, *, evidence_dir: Path
) -> tuple[Path, StoredFile]:
    """Where a case's file is and what it is, for a download (the view is audited).

    Raises:
        NotFound: the case is not visible, or the file is not part of it.
    """
    with store.unit_of_work() as session:
        case = get_visible(session, case_id, actor)
        linked = session.scalars(
            sa.select(CaseLink).where(
                CaseLink.case_id == case.id, CaseLink.kind == "file", CaseLink.ref_id == sha
            )
        ).first()
        stored = session.get(EvidenceFile, sha)
        if linked is None or stored is None or not _path(evidence_dir, sha).is_file():
            raise NotFound(f"case {case_id} has no file {sha}")
        audit.record(
            session,
            actor=actor.user_id,
            action="case.file_download",
            object_type="case",
            object_id=case.id,
            detail={"sha256": sha},
        )
        info = StoredFile(stored.sha256, stored.size, stored.media_type, stored.original_name)
        return _path(evidence_dir, sha), info


__all__ = ["MAX_BYTES", "StoredFile", "attach_file", "media_type", "open_file"]
