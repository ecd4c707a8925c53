"""Which codec decodes a text file: UTF-8 (with or without a BOM) or GB18030/GBK, or a declared one.

Chinese data arrives in both; GB18030 is a superset of GBK and GB2312, so one fallback covers
all three. The whole file is decoded incrementally (4 MiB at a time) before it is trusted.

Line-by-line readers (``text analyze``) can do better than refuse a file for one corrupt line:
:func:`detect_line_encoding` settles for the codec that decodes most lines, and
:func:`open_lines` hands the undecodable bytes on as lone surrogates (``surrogateescape``) so
the reader reports those lines by number (:func:`undecodable_at`) and reads the rest.
"""

from __future__ import annotations

import codecs
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from smokewatch.errors import InvalidInput

_BOM = codecs.BOM_UTF8
_CHUNK = 4 << 20
# surrogateescape turns an undecodable byte into U+DC80-U+DCFF; no valid text holds any surrogate
_ESCAPED = re.compile("[\ud800-\udfff]")
IN_SOURCE_YML = "set encoding in source.yml"


def detect_encoding(path: Path, declared: str, *, how_to_declare: str = IN_SOURCE_YML) -> str:
    """The codec that decodes the whole file.

    ``declared`` when given (checked); for ``auto``, UTF-8 (``utf-8-sig`` with a BOM), else
    GB18030, which also decodes GBK and GB2312. ``how_to_declare`` ends the error message (the
    caller's way of naming an encoding: a ``source.yml`` key, a command option).
    """
    if declared != "auto":
        failure = _decode_failure(path, declared)
        if failure is not None:
            raise InvalidInput(
                f"{path.name} is not valid {declared} text ({failure}); {how_to_declare}"
            )
        return declared
    with path.open("rb") as fh:
        has_bom = fh.read(len(_BOM)) == _BOM
    utf8 = _decode_failure(path, "utf-8")
    if utf8 is None:
        return "utf-8-sig" if has_bom else "utf-8"
    if not has_bom and _decode_failure(path, "gb18030") is None:
        return "gb18030"
    raise InvalidInput(
        f"{path.name} decodes neither as UTF-8 ({utf8}) nor as GB18030/GBK; "
        f"{how_to_declare} (e.g. big5, utf-16)"
    )


def detect_line_encoding(path: Path, declared: str, *, how_to_declare: str) -> str:
    """The codec of a file read line by line, where a corrupt line is one bad line.

    :func:`detect_encoding`'s codec when it decodes the whole file. Otherwise the declared
    codec, or for ``auto`` whichever of UTF-8 and GB18030 leaves fewer lines undecodable
    (UTF-8 on a tie), as long as at least half the non-blank lines decode: more than that
    is a file in another encoding, refused as :func:`detect_encoding` refuses it.

    Raises:
        InvalidInput: no codec decodes at least half the lines.
    """
    try:
        return detect_encoding(path, declared, how_to_declare=how_to_declare)
    except InvalidInput as refused:
        tried = ("utf-8", "gb18030") if declared == "auto" else (declared,)
        (bad, lines), codec = min((_undecodable_lines(path, c), c) for c in tried)
        if not lines or 2 * bad > lines:
            raise refused from None
        with path.open("rb") as fh:
            has_bom = fh.read(len(_BOM)) == _BOM
        return "utf-8-sig" if codec == "utf-8" and has_bom else codec


def open_lines(path: Path, encoding: str) -> IO[str]:
    """``path`` as text lines, undecodable bytes kept as lone surrogates (see the module)."""
    return path.open(encoding=encoding, errors="surrogateescape", newline=None)


@contextmanager
def standard_input(
    encoding: str, *, errors: str = "strict", newline: str | None = None
) -> Iterator[IO[str]]:
    """Standard input decoded as ``encoding`` (not the terminal's), left open for the caller."""
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # a text-only stand-in (an embedding application's): already decoded
        yield sys.stdin
        return
    stream = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline=newline)
    try:
        yield stream
    finally:
        stream.detach()


def undecodable_at(line: str) -> int | None:
    """Where the first undecodable byte of a line from :func:`open_lines` is (or ``None``)."""
    found = _ESCAPED.search(line)
    return None if found is None else found.start()


def _undecodable_lines(path: Path, encoding: str) -> tuple[int, int]:
    """``(lines with undecodable bytes, non-blank lines)`` of ``path`` in ``encoding``."""
    bad = lines = 0
    try:
        with open_lines(path, encoding) as fh:
            for line in fh:
                if line.strip():
                    lines += 1
                    bad += _ESCAPED.search(line) is not None
    except UnicodeDecodeError:  # bytes below 0x80 cannot be escaped (utf-16 and the like)
        return lines + 1, lines + 1
    return bad, lines


def _decode_failure(path: Path, encoding: str) -> str | None:
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return f"undecodable bytes near byte {offset + max(exc.start, 0)}"
    return None


__all__ = [
    "IN_SOURCE_YML",
    "detect_encoding",
    "detect_line_encoding",
    "open_lines",
    "standard_input",
    "undecodable_at",
]
