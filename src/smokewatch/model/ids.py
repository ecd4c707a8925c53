"""Stable ids: a hash of a prefix and natural-key parts. Never random, never reused."""

from __future__ import annotations

import hashlib

_SEP = "\x1f"


def make_id(prefix: str, *parts: object) -> str | None:
    """Build an entity id from a source prefix and natural-key parts.

    Returns ``None`` when every part is empty, so a row without a key gets no id rather
    than a shared one.

    Examples:
        >>> make_id("ent", "91340200MA2N0XXX0X")
        'ent-9696a9154a6faefd1ca7'
        >>> make_id("ent", None, "") is None
        True
    """
    values = [str(p).strip() for p in parts if p is not None and str(p).strip()]
    if not values:
        return None
    digest = hashlib.sha1(_SEP.join(values).encode("utf-8"), usedforsecurity=False)
    return f"{prefix}-{digest.hexdigest()[:20]}"


def content_hash(*parts: object) -> str:
    """sha256 over the string forms of ``parts`` (``None`` kept distinct from ``""``)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(b"\x00" if part is None else str(part).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


__all__ = ["content_hash", "make_id"]
