"""Bytes of a page → text: content coding, then the charset (BOM, header, meta, detection).

Chinese sites still serve GBK and GB2312, often declared wrongly or not at all. The order
follows browsers: a byte-order mark, then the ``Content-Type`` charset, then a ``<meta>``
charset in the first 4 KiB; a declared charset that does not decode the bytes is overruled by
detection (strict UTF-8, then GB18030). GB2312 and GBK labels decode as GB18030, their
superset, because pages labelled GB2312 routinely contain GBK characters. A body cut off in
the middle of a character (``max_bytes``) decodes without its incomplete tail.
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass

_META = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "gb18030": "gb18030"}
_SNIFF = 4096


@dataclass(frozen=True, slots=True)
class Decoded:
    """A body as text, and how its charset was decided."""

    text: str
    encoding: str
    """Python codec used (``utf-8``, ``gb18030`` …)."""
    decided_by: str
    """``bom``, ``header``, ``meta``, ``detected`` or ``lossy`` (undecodable bytes replaced)."""
    declared: str | None = None
    """The charset the page declared (header or meta), when it differs from the codec used."""


def decode_body(
    body: bytes, *, content_type: str | None, content_encoding: str | None, max_bytes: int
) -> Decoded:
    """Text of a response body (see the module documentation)."""
    data = _decompress(body, content_encoding, max_bytes)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_lenient(data[len(bom) :], encoding), encoding, "bom")
    in_header = _codec(_match(_HEADER, content_type or ""))
    declared = in_header or _codec(_meta(data))
    by = "header" if in_header else "meta"
    if declared is not None:
        text = _strict(data, declared)
        if text is not None:
            return Decoded(text, declared, by)
    for encoding in ("utf-8", "gb18030"):
        text = _strict(data, encoding)
        if text is not None:
            return Decoded(text, encoding, "detected", declared)
    fallback = declared or "utf-8"
    return Decoded(_lenient(data, fallback), fallback, "lossy", declared)


def _decompress(body: bytes, coding: str | None, max_bytes: int) -> bytes:
    coding = (coding or "").strip().lower()
    if coding not in {"gzip", "x-gzip", "deflate"}:
        return body
    wbits = 16 + zlib.MAX_WBITS if "gzip" in coding else zlib.MAX_WBITS
    try:
        return zlib.decompressobj(wbits).decompress(body, max_bytes)
    except zlib.error:
        return body


def _match(pattern: re.Pattern[str], value: str) -> str | None:
    found = pattern.search(value)
    return found.group(1) if found else None


def _meta(data: bytes) -> str | None:
    found = _META.search(data[:_SNIFF])
    return found.group(1).decode("ascii", "replace") if found else None


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, or ``None`` for unknown labels."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _SUPERSET.get(name, name)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(data, final=False)
    except UnicodeDecodeError:
        return None


def _lenient(data: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(data, final=False)


__all__ = ["Decoded", "decode_body"]
