"""The signed manifest: an HMAC over a sealed run's head, with the workspace's secret key.

The hash chain proves that nothing in a manifest changed *relative to its head*; whoever can
rewrite the manifest, its artefacts and the head recorded in the store can still forge a
consistent run. The signature closes that gap: ``manifest.sig`` holds HMAC-SHA256 over the
patrol id, run id and head, keyed by a key derived from the workspace secret (the one the
untrustworthy-borrower list hashes identity numbers with: ``secrets/pii.key`` or
``SMOKEWATCH_PII_KEY``). A derived key keeps the two uses apart: a signature reveals nothing
usable for the identity hashes, and the reverse. The file also names the key by its public
fingerprint, so a check with another key says so instead of reporting a forgery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from smokewatch.model.types.identity import key_fingerprint
from smokewatch.patrol.evidence import canonical

SIGNATURE = "manifest.sig"
"""File beside ``manifest.jsonl`` that holds the run's signature."""

_PURPOSE = b"smokewatch patrol manifest signature v1"
ALGORITHM = "HMAC-SHA256"


def _signing_key(secret: bytes) -> bytes:
    return hmac.new(secret, _PURPOSE, hashlib.sha256).digest()


def _mac(secret: bytes, patrol_id: str, run_id: str, head: str) -> str:
    message = canonical({"patrol": patrol_id, "run_id": run_id, "head": head})
    return hmac.new(_signing_key(secret), message, hashlib.sha256).hexdigest()


def sign_run(secret: bytes, patrol_id: str, run_id: str, head: str) -> dict[str, str]:
    """The signature document of a sealed run."""
    return {
        "patrol": patrol_id,
        "run_id": run_id,
        "head": head,
        "algorithm": ALGORITHM,
        "key_id": key_fingerprint(secret),
        "signature": _mac(secret, patrol_id, run_id, head),
    }


def write_signature(run_dir: Path, document: dict[str, str]) -> Path:
    """Write ``manifest.sig`` (JSON) in ``run_dir``."""
    path = run_dir / SIGNATURE
    path.write_bytes(canonical(document) + b"\n")
    return path


def check_signature(run_dir: Path, secret: bytes, *, run_id: str, head: str | None) -> list[str]:
    """Problems with the run's signature (none when it is valid for this run and head)."""
    path = run_dir / SIGNATURE
    if not path.is_file():
        return ["manifest is not signed (no manifest.sig)"]
    try:
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"signature unreadable: {exc}"]
    key_id = key_fingerprint(secret)
    if document.get("key_id") != key_id:
        other = document.get("key_id")
        return [f"signed with another workspace key ({other}; this one is {key_id})"]
    problems = []
    if document.get("run_id") != run_id or document.get("head") != head:
        problems.append("signature is for another run or head")
    expected = _mac(secret, str(document.get("patrol")), run_id, str(head))
    if not hmac.compare_digest(str(document.get("signature")), expected):
        problems.append("signature does not match (manifest.sig or the head was altered)")
    return problems


__all__ = ["ALGORITHM", "SIGNATURE", "check_signature", "sign_run", "write_signature"]
