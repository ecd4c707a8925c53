"""jieba's dictionary in a form that loads in a third of the time jieba takes.

jieba segments with a prefix dictionary (every word of its ``dict.txt`` with its frequency,
and every prefix of a word with frequency 0) and tags with a part-of-speech table (word →
tag). jieba builds the first from ``dict.txt`` or from a marshal cache it writes to the temp
folder (~0.45 s), and the second by parsing ``dict.txt`` again (``jieba.posseg``, another
0.2–0.4 s with its other tables). The same two tables, built by jieba's own code once with
``contrib/build_text_tables.py``, ship as ``text/data/jieba_dictionary.bin.gz`` and load in
~0.2 s; a test checks that the shipped file is exactly what :func:`build_jieba_table` gives.

The file records the SHA-256 of the ``dict.txt`` it was built from. Where the installed jieba
has another dictionary, :func:`load_jieba_dictionary` gives ``None`` and callers use jieba's
own loading, so the words found are always the installed jieba's.

Layout (gzip'd): a JSON header line, then the keys as UTF-8 joined by newlines (the
dictionary's words in ``dict.txt`` order, then the prefixes that are no word), their
frequencies as little-endian unsigned 32-bit integers, and one byte per word: its tag's index
in the header's ``tags``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import compress
from typing import Any

from smokewatch.model._yaml import package_dir

TABLE_FILE = "jieba_dictionary.bin.gz"
_FORMAT = 1
_U32 = next(code for code in "IL" if array(code).itemsize == 4)


@dataclass(frozen=True, slots=True)
class JiebaDictionary:
    """jieba's prefix dictionary and part-of-speech table, as shipped."""

    keys: list[str]
    """Every key of the prefix dictionary: the words first, then the prefixes that are none."""
    frequencies: array[int]
    total: int
    """The sum of the words' frequencies (jieba's ``Tokenizer.total``)."""
    tags: tuple[str, ...]
    tag_codes: bytes
    """Per word (the first ``len(tag_codes)`` keys), the index of its tag in ``tags``."""

    def prefix_dict(self) -> dict[str, int]:
        """The prefix dictionary, jieba's ``Tokenizer.FREQ``: word or prefix → frequency."""
        return dict(zip(self.keys, self.frequencies, strict=True))

    def words_tagged(self, tags: Iterable[str]) -> frozenset[str]:
        """The words whose part-of-speech tag is one of ``tags``."""
        wanted = set(tags)
        keep = bytes(int(i < len(self.tags) and self.tags[i] in wanted) for i in range(256))
        return frozenset(compress(self.keys, self.tag_codes.translate(keep)))

    def word_tags(self) -> dict[str, str]:
        """The part-of-speech table, jieba's ``word_tag_tab`` (word → tag), dict.txt order."""
        return dict(zip(self.keys, map(self.tags.__getitem__, self.tag_codes), strict=False))


def _default_dictionary_bytes() -> bytes:
    import jieba  # noqa: PLC0415 - loaded where the dictionary is needed

    with jieba.Tokenizer().get_dict_file() as handle:
        data: bytes = handle.read()
    return data


def build_jieba_table() -> bytes:
    """The shipped table, from the installed jieba's dictionary and jieba's own parsers.

    Reproducible byte for byte (about two seconds).
    """
    import jieba  # noqa: PLC0415
    import jieba.posseg  # noqa: PLC0415

    source = _default_dictionary_bytes()
    frequencies, total = jieba.Tokenizer.gen_pfdict(io.BytesIO(source))
    tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())  # parses the default dict.txt
    word_tags: dict[str, str] = tagger.word_tag_tab
    keys = [*word_tags, *(key for key in frequencies if key not in word_tags)]
    if set(keys) != set(frequencies) or any("\n" in key for key in keys):
        raise ValueError("jieba's word list and prefix dictionary disagree")
    tags = sorted(set(word_tags.values()))
    if len(tags) > 256:
        raise ValueError("more than 256 part-of-speech tags")
    index = {tag: i for i, tag in enumerate(tags)}
    words = "\n".join(keys).encode("utf-8")
    header = {
        "format": _FORMAT,
        "jieba_dict_sha256": hashlib.sha256(source).hexdigest(),
        "total": total,
        "tags": tags,
        "words": len(word_tags),
        "keys": len(keys),
        "keys_bytes": len(words),
    }
    counts = array(_U32, (frequencies[key] for key in keys))
    if sys.byteorder == "big":
        counts.byteswap()
    body = [
        json.dumps(header).encode("ascii") + b"\n",
        words,
        counts.tobytes(),
        bytes(index[word_tags[key]] for key in keys[: len(word_tags)]),
    ]
    return gzip.compress(b"".join(body), compresslevel=9, mtime=0)


def read_jieba_table(data: bytes, source: bytes | None = None) -> JiebaDictionary | None:
    """The dictionary in a table written by :func:`build_jieba_table`.

    ``None`` when the table was built from another ``dict.txt`` than ``source`` (by default
    the installed jieba's) or in another format.
    """
    raw = gzip.decompress(data)
    end = raw.index(b"\n")
    header: dict[str, Any] = json.loads(raw[:end])
    if header.get("format") != _FORMAT:
        return None
    source = _default_dictionary_bytes() if source is None else source
    if header["jieba_dict_sha256"] != hashlib.sha256(source).hexdigest():
        return None
    start = end + 1
    keys = raw[start : start + header["keys_bytes"]].decode("utf-8").split("\n")
    start += header["keys_bytes"]
    frequencies = array(_U32)
    frequencies.frombytes(raw[start : start + 4 * header["keys"]])
    if sys.byteorder == "big":
        frequencies.byteswap()
    start += 4 * header["keys"]
    tag_codes = raw[start : start + header["words"]]
    if len(keys) != header["keys"] or len(tag_codes) != header["words"]:
        raise ValueError(f"truncated {TABLE_FILE}")
    return JiebaDictionary(keys, frequencies, header["total"], tuple(header["tags"]), tag_codes)


def shipped_jieba_table() -> bytes:
    """The bytes of the shipped table."""
    return (package_dir("smokewatch.text", "data") / TABLE_FILE).read_bytes()


@cache
def load_jieba_dictionary() -> JiebaDictionary | None:
    """The shipped dictionary (once per process), or ``None`` if jieba's differs from it."""
    return read_jieba_table(shipped_jieba_table())


def jieba_tokenizer(dictionary: JiebaDictionary | None) -> Any:
    """A ``jieba.Tokenizer`` of the default dictionary, its prefix dictionary ready.

    From ``dictionary`` when given (the shipped one); else jieba loads its own.
    """
    import jieba  # noqa: PLC0415

    tokenizer: Any = jieba.Tokenizer()
    if dictionary is None:
        tokenizer.initialize()
    else:
        tokenizer.FREQ = dictionary.prefix_dict()
        tokenizer.total = dictionary.total
        tokenizer.initialized = True
    return tokenizer


__all__ = [
    "TABLE_FILE",
    "JiebaDictionary",
    "build_jieba_table",
    "jieba_tokenizer",
    "load_jieba_dictionary",
    "read_jieba_table",
    "shipped_jieba_table",
]
