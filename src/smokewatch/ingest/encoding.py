"""Which codec decodes a text file: UTF-8 (with or without a BOM) or GB18030/GBK, or a declared one.

Chinese data arrives in both; GB18030 is a superset of GBK and GB2312, so one fallback covers
all three. The whole file is decoded incrementally (4 MiB at a time) before it is trusted.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from smokewatch.errors import InvalidInput

_BOM = codecs.BOM_UTF8
_CHUNK = 4 << 20


def detect_encoding(path: Path, declared: str) -> str:
    """The codec that decodes the whole file.

    ``declared`` when given (checked); for ``auto``, UTF-8 (``utf-8-sig`` with a BOM), else
    GB18030, which also decodes GBK and GB2312.
    """
    if declared != "auto":
        failure = _decode_failure(path, declared)
        if failure is not None:
            raise InvalidInput(
                f"{path.name} is not valid {declared} text ({failure}); "
                "check the encoding in source.yml"
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
        "set encoding in source.yml (e.g. big5, utf-16)"
    )


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


__all__ = ["detect_encoding"]
