"""Evidence uploads of the public portal: sniffed by their bytes, checked whole, stored by hash.

The public may send only photographs and scans: JPEG, PNG and PDF. A file's type is decided
from its bytes, never from its name or the type the browser claims, and the whole file must be
that type and nothing else:

* it starts with the magic bytes of its type (so HTML, SVG, scripts, executables and archives
  are refused at once) and ends where that type ends — after the PNG ``IEND`` chunk, the JPEG
  end-of-image marker, the PDF ``%%EOF`` (trailing bytes are how polyglots hide a second file);
* it carries no markup a browser or reader could run (``<script``, ``<html``, ``<svg``,
  ``<iframe``, ``<?php``), no embedded archive, and — for PDFs — no active content
  (``/JavaScript``, ``/JS``, ``/Launch``, ``/EmbeddedFile``, ``/OpenAction``);
* the name is only a label: reduced to its last part without control characters; the file is
  stored under ``<workspace>/tips/<sha[:2]>/<sha256>``, read-only, so no name can reach
  another path.

Files are never rendered inline: officers download them (``Content-Disposition: attachment``,
``nosniff``, a sandboxing CSP).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from smokewatch.errors import InvalidInput

MAX_FILE_BYTES: Final = 10 * 1024 * 1024
"""Largest evidence file (10 MiB)."""
MAX_FILES: Final = 5
"""Most files per submission."""
MEDIA_TYPES: Final = ("image/jpeg", "image/png", "application/pdf")

_PNG: Final = b"\x89PNG\r\n\x1a\n"
_PNG_END: Final = b"IEND\xaeB`\x82"
_MARKUP: Final = re.compile(
    rb"<\s*(script|html|svg|iframe|object|embed|body|meta)\b|<\?php|<!doctype\s+html",
    re.IGNORECASE,
)
_ARCHIVE: Final = (b"PK\x03\x04", b"PK\x05\x06", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")
_PDF_ACTIVE: Final = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction|RichMedia)\b")
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Upload:
    """A file as received: the name the browser gave and the bytes."""

    name: str
    content: bytes


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """A file that passed: its hash, size, type and a safe label."""

    sha256: str
    size: int
    media_type: str
    name: str
    content: bytes


def safe_name(name: str) -> str:
    r"""The last part of a file name, without control characters (a label, never a path).

    Examples:
        >>> safe_name("../../etc/passwd"), safe_name("C:\\x\\证据.jpg"), safe_name("")
        ('passwd', '证据.jpg', 'file')
    """
    cleaned = _CONTROL.sub("", name.replace("\\", "/"))
    last = PurePosixPath(cleaned).name.strip(". ")
    return last[:120] or "file"


def _ends_properly(kind: str, content: bytes) -> bool:
    tail = content.rstrip(b"\x00\r\n\t ")
    if kind == "image/png":
        return tail.endswith(_PNG_END)
    if kind == "image/jpeg":
        return tail.endswith(b"\xff\xd9")
    return b"%%EOF" in tail[-1024:]


def sniff(content: bytes) -> str | None:
    """The media type the bytes start as (JPEG, PNG, PDF), or ``None``."""
    if content.startswith(_PNG):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def check_upload(upload: Upload, *, max_bytes: int = MAX_FILE_BYTES) -> CheckedFile:
    """Accept a JPEG, PNG or PDF that is only that (see the module docstring).

    Raises:
        InvalidInput: empty, too large, another type, trailing data, markup, archive, or
            active PDF content — the message says which.
    """
    label = safe_name(upload.name)
    content = upload.content
    if not content:
        raise InvalidInput(f"{label}: the file is empty")
    if len(content) > max_bytes:
        raise InvalidInput(f"{label}: larger than {max_bytes // (1024 * 1024)} MB")
    kind = sniff(content)
    if kind is None:
        raise InvalidInput(f"{label}: only JPEG, PNG and PDF files are accepted")
    if not _ends_properly(kind, content):
        raise InvalidInput(f"{label}: the file does not end as a {kind} file (data appended)")
    if _MARKUP.search(content):
        raise InvalidInput(f"{label}: the file contains web page or script markup")
    if any(magic in content[4:] for magic in _ARCHIVE):
        raise InvalidInput(f"{label}: the file contains an archive")
    if kind == "application/pdf" and _PDF_ACTIVE.search(content):
        raise InvalidInput(f"{label}: PDF files with scripts, actions or attachments are refused")
    sha = hashlib.sha256(content).hexdigest()
    return CheckedFile(sha, len(content), kind, label, content)


def check_uploads(uploads: list[Upload]) -> list[CheckedFile]:
    """Check every file of a submission (empty file fields are skipped).

    Raises:
        InvalidInput: too many files, or the first file refused.
    """
    given = [u for u in uploads if u.content or u.name]
    if len(given) > MAX_FILES:
        raise InvalidInput(f"at most {MAX_FILES} files per submission")
    return [check_upload(upload) for upload in given]


def stored_path(folder: Path, sha: str) -> Path:
    """Where a file with this hash is kept."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise InvalidInput("not a sha256")
    return folder / sha[:2] / sha


def store_file(folder: Path, checked: CheckedFile) -> Path:
    """Write the file under its hash (once; atomically; read-only)."""
    target = stored_path(folder, checked.sha256)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{checked.sha256}.{os.getpid()}.partial")
    partial.write_bytes(checked.content)
    os.chmod(partial, 0o444)
    os.replace(partial, target)
    return target


__all__ = [
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MEDIA_TYPES",
    "CheckedFile",
    "Upload",
    "check_upload",
    "check_uploads",
    "safe_name",
    "sniff",
    "store_file",
    "stored_path",
]
