"""Evidence fixation (电子证据固定): artefacts by content hash, and a hash-chained run manifest.

Layout under the workspace's ``evidence/`` folder::

    objects/<aa>/<sha256>                   raw body, headers (JSON), extracted text — write once
    patrol/<patrol id>/<run id>/manifest.jsonl

The manifest is append-only JSON lines: a ``run`` header (patrol, spec hash, user agent,
start time), one entry per visit (URL, final URL, redirects, status, fetch time, the sha256
and size of each artefact, charset, title, refusals and robots overrides), and a ``seal``
(entries, finish time). Each line carries ``prev`` (the previous line's hash) and ``hash`` =
sha256(prev | canonical JSON of the line without ``hash``); the first line chains to
:data:`GENESIS`. Changing, removing, inserting or reordering a line breaks the chain;
changing an artefact breaks its sha256; cutting the tail removes the seal — and the seal's
hash is also recorded with the run in the store, so even a re-sealed forgery does not match.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

GENESIS: Final = "0" * 64
"""The ``prev`` of a manifest's first line."""

MANIFEST = "manifest.jsonl"


def canonical(entry: Mapping[str, Any]) -> bytes:
    """An entry as canonical JSON bytes (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def seal(prev: str, entry: Mapping[str, Any]) -> str:
    """The hash of ``entry`` (without its ``hash`` field) chained to ``prev``."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    digest = hashlib.sha256(prev.encode("ascii") + b"|" + canonical(body))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Artefact:
    """A stored object: its sha256 and size."""

    sha256: str
    bytes: int

    def as_dict(self) -> dict[str, Any]:
        """``{"sha256", "bytes"}``."""
        return {"sha256": self.sha256, "bytes": self.bytes}


class ObjectStore:
    """Content-addressed files: the name is the sha256 of the content, written once."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        """Where the object with this hash lives."""
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> Artefact:
        """Store ``data`` (a no-op when the same content is already there)."""
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)  # made durable once per run, before the seal (ManifestWriter.close)
            Path(tmp).replace(target)
        return Artefact(sha, len(data))

    def get(self, sha256: str) -> bytes:
        """The content of an object (raises ``FileNotFoundError`` when missing)."""
        return self.path(sha256).read_bytes()


@dataclass(slots=True)
class ManifestWriter:
    """Appends chained lines to a new manifest; :meth:`close` seals it."""

    path: Path
    head: str = GENESIS
    entries: int = 0
    _fh: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("x", encoding="utf-8")  # a run's manifest is never reopened

    def append(self, entry: Mapping[str, Any]) -> str:
        """Chain and write one line; returns its hash."""
        line = {**entry, "seq": self.entries + 1, "prev": self.head}
        line["hash"] = seal(self.head, line)
        self._fh.write(canonical(line).decode("utf-8") + "\n")
        self._fh.flush()
        self.entries += 1
        self.head = line["hash"]
        return self.head

    def close(self, entry: Mapping[str, Any]) -> str:
        """Flush everything to disk, append the ``seal`` line, sync and close; returns the head.

        Artefacts are not synced one by one (that costs two thirds of a crawl's time); one
        ``os.sync()`` before the seal makes them durable, so a sealed run never points at
        artefacts a power cut could lose.
        """
        os.sync()
        head = self.append({**entry, "kind": "seal", "entries": self.entries})
        os.fsync(self._fh.fileno())
        self._fh.close()
        return head

    def abandon(self) -> None:
        """Close without a seal (a failed run: verify reports it as not sealed)."""
        self._fh.close()


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of verifying one run's manifest and artefacts."""

    run_dir: Path
    lines: int
    artefacts: int
    head: str | None
    sealed: bool
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        """Nothing is missing, changed, reordered or unsealed."""
        return not self.problems


def read_manifest(path: Path) -> Iterator[dict[str, Any]]:
    """The manifest's lines as dicts, in order."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def verify_run(run_dir: Path, objects: ObjectStore, *, expected_head: str | None) -> Verification:
    """Re-check the chain, every artefact's sha256 and the seal (and the head the store holds).

    Problems are described by line (``seq``) so a report can say exactly what broke.
    """
    problems: list[str] = []
    prev, lines, artefacts, sealed = GENESIS, 0, 0, False
    try:
        entries = list(read_manifest(run_dir / MANIFEST))
    except (OSError, json.JSONDecodeError) as exc:
        return Verification(run_dir, 0, 0, None, False, (f"manifest unreadable: {exc}",))
    for number, entry in enumerate(entries, start=1):
        lines += 1
        where = f"line {number}"
        if entry.get("seq") != number:
            problems.append(f"{where}: seq {entry.get('seq')} out of order")
        if entry.get("prev") != prev:
            problems.append(f"{where}: does not chain to the line before it")
        if seal(str(entry.get("prev", "")), entry) != entry.get("hash"):
            problems.append(f"{where}: content does not match its hash")
        for name, artefact in sorted((entry.get("artefacts") or {}).items()):
            artefacts += 1
            problems.extend(_check_artefact(objects, where, name, artefact))
        if entry.get("kind") == "seal":
            sealed = number == len(entries) and entry.get("entries") == number - 1
            if not sealed:
                problems.append(f"{where}: seal does not close the manifest")
        prev = str(entry.get("hash"))
    head = prev if entries else None
    if not sealed:
        problems.append("manifest is not sealed (run incomplete or its tail removed)")
    if expected_head is not None and head != expected_head:
        problems.append("head hash differs from the one recorded with the run in the store")
    return Verification(run_dir, lines, artefacts, head, sealed, tuple(problems))


def _check_artefact(objects: ObjectStore, where: str, name: str, artefact: Any) -> list[str]:
    sha = str(artefact.get("sha256", "")) if isinstance(artefact, dict) else ""
    try:
        data = objects.get(sha)
    except (OSError, ValueError):
        return [f"{where}: {name} artefact {sha[:12]}… is missing"]
    if hashlib.sha256(data).hexdigest() != sha:
        return [f"{where}: {name} artefact {sha[:12]}… was altered"]
    return []


__all__ = [
    "GENESIS",
    "MANIFEST",
    "Artefact",
    "ManifestWriter",
    "ObjectStore",
    "Verification",
    "canonical",
    "read_manifest",
    "seal",
    "verify_run",
]
