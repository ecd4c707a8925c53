"""Finding lexicon words in text: Aho–Corasick, leftmost-longest, spans in the original string.

The matcher looks at a *folded* copy of the text — full-width ASCII mapped to half-width and
Latin letters upper-cased, one character for one — so ``Ｐ２Ｐ``, ``p2p`` and ``P2P`` are the
same word. Because folding never changes the length, every span found in the folded copy
points at the same characters of the original, and :attr:`Match.surface` is the text exactly
as written.

Overlaps are resolved *leftmost-longest*: among candidates the one that starts first wins, and
among those starting at the same place the longest, so 基金管理 beats 基金 and 股权投资基金 beats
基金; matches never overlap. *False friends* are longer strings that contain a word without
being an occurrence of it (代理财产 contains 理财); they take part in the contest like words and
are then dropped, so the word inside them is never reported. Words that begin or end with a
Latin letter or digit match only as whole Latin tokens (P2P is not found inside ``AP2PX``).

The matcher pickles by rebuilding itself from its word list, so Spark can ship it to
executors; the automaton is rebuilt there in well under a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ahocorasick

from smokewatch.errors import InvalidInput

if TYPE_CHECKING:
    import pyarrow as pa


def _fold_table() -> dict[int, int]:
    table = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII
    table[0x3000] = 0x20  # ideographic space
    for cp in range(ord("a"), ord("z") + 1):
        table[cp] = cp - 0x20
        table[cp + 0xFEE0] = cp - 0x20  # full-width lower case straight to upper case
    return table


_FOLD = _fold_table()


def fold_for_matching(text: str) -> str:
    """Fold text the way the matcher sees it: half-width ASCII, Latin letters upper-cased.

    One character always maps to one character, so the result has the same length as the
    input and positions carry over. Nothing else changes: Chinese characters, other scripts
    and punctuation beyond full-width ASCII are left as they are.

    Examples:
        >>> fold_for_matching("ｐ２ｐ网贷（芜湖）")
        'P2P网贷(芜湖)'
    """
    return text.translate(_FOLD)


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of a lexicon word in a text.

    ``start`` and ``end`` are 0-based code-point offsets into the original text, end
    exclusive, so ``text[start:end] == surface``. ``term`` is the canonical word (a variant
    such as 理財 is reported as 理财).
    """

    term: str
    start: int
    end: int
    surface: str


class LexiconMatcher:
    """Finds lexicon words in text (see the module docstring for the matching rules).

    Args:
        surfaces: every spelling to look for, mapped to the canonical term it reports.
        false_friends: strings that contain a spelling but are not an occurrence of it.

    Raises:
        InvalidInput: an empty spelling, one spelling for two terms, or a false friend that is
            also a spelling.

    Examples:
        >>> matcher = LexiconMatcher({"基金": "基金", "基金管理": "基金管理", "理财": "理财"},
        ...                          false_friends=["代理财产"])
        >>> [(m.term, m.start, m.end) for m in matcher.find("XX基金管理有限公司代理财产保险")]
        [('基金管理', 2, 6)]
    """

    __slots__ = ("_automaton", "_false_friends", "_fold", "_needs_fold", "_surfaces")

    def __init__(self, surfaces: Mapping[str, str], false_friends: Iterable[str] = ()) -> None:
        self._surfaces: dict[str, str] = dict(surfaces)
        self._false_friends: tuple[str, ...] = tuple(dict.fromkeys(false_friends))
        keys: dict[str, tuple[str | None, int, bool, bool]] = {}
        for surface, term in self._surfaces.items():
            self._add(keys, surface, term)
        for friend in self._false_friends:
            self._add(keys, friend, None)
        self._automaton: Any = self._build(keys)
        # Speed: str.translate costs more than the automaton, and nearly every scope holds
        # full-width punctuation. Only characters that fold to a Latin letter or digit (the
        # token-boundary check needs them) or to a character used by some key can change a
        # match, so the matcher folds those alone, and only when the text contains one.
        key_chars = {char for key in keys for char in key}
        self._fold = {
            src: dst for src, dst in _FOLD.items() if _is_latin(chr(dst)) or chr(dst) in key_chars
        }
        self._needs_fold = re.compile("[" + "".join(re.escape(chr(c)) for c in self._fold) + "]")

    @staticmethod
    def _build(keys: Mapping[str, tuple[str | None, int, bool, bool]]) -> Any:
        if not keys:
            return None
        automaton = ahocorasick.Automaton()
        for key, value in keys.items():
            automaton.add_word(key, value)
        automaton.make_automaton()
        return automaton

    @staticmethod
    def _add(
        keys: dict[str, tuple[str | None, int, bool, bool]], raw: str, term: str | None
    ) -> None:
        key = fold_for_matching(raw)
        if not key.strip():
            raise InvalidInput("a lexicon spelling must not be empty")
        if key in keys and keys[key][0] != term:
            raise InvalidInput(f"spelling {raw!r} is claimed twice ({keys[key][0]!r}, {term!r})")
        keys[key] = (term, len(key), _is_latin(key[0]), _is_latin(key[-1]))

    def __reduce__(self) -> tuple[type[LexiconMatcher], tuple[dict[str, str], tuple[str, ...]]]:
        return (LexiconMatcher, (self._surfaces, self._false_friends))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LexiconMatcher):
            return NotImplemented
        return (self._surfaces, set(self._false_friends)) == (
            other._surfaces,
            set(other._false_friends),
        )

    def __hash__(self) -> int:
        return hash((frozenset(self._surfaces.items()), frozenset(self._false_friends)))

    def __repr__(self) -> str:
        terms = len(set(self._surfaces.values()))
        return f"LexiconMatcher({terms} terms, {len(self._surfaces)} spellings)"

    @property
    def terms(self) -> frozenset[str]:
        """The canonical terms this matcher reports."""
        return frozenset(self._surfaces.values())

    def find(self, text: str | None) -> list[Match]:
        """Every occurrence of a word in ``text``, left to right, non-overlapping.

        ``None`` and the empty string give no matches.
        """
        if not text or self._automaton is None:
            return []
        folded = text.translate(self._fold) if self._needs_fold.search(text) else text
        candidates: list[tuple[int, int, str | None]] = []
        size = len(folded)
        for last, (term, length, latin_start, latin_end) in self._automaton.iter(folded):
            start = last - length + 1
            if latin_start and start > 0 and _is_latin(folded[start - 1]):
                continue
            if latin_end and last + 1 < size and _is_latin(folded[last + 1]):
                continue
            candidates.append((start, last + 1, term))
        if not candidates:
            return []
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        matches: list[Match] = []
        taken = 0
        for start, end, term in candidates:
            if start < taken:
                continue
            taken = end
            if term is not None:
                matches.append(Match(term, start, end, text[start:end]))
        return matches

    def find_arrow(self, values: pa.Array | pa.ChunkedArray) -> pa.Array:
        """:meth:`find` over an Arrow string column, for Python steps over Arrow batches.

        Returns a ``list<struct<term, start, end, surface>>`` array of the same length (see
        :func:`match_list_type`); null input gives a null list, a string without matches an
        empty list.
        """
        import pyarrow as pa  # noqa: PLC0415 - the text reader itself never needs Arrow

        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        offsets = [0]
        valid: list[bool] = []
        terms: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        surfaces: list[str] = []
        for value in values.to_pylist():
            valid.append(value is not None)
            for match in self.find(value):
                terms.append(match.term)
                starts.append(match.start)
                ends.append(match.end)
                surfaces.append(match.surface)
            offsets.append(len(terms))
        struct_type = match_list_type().value_type
        items = pa.StructArray.from_arrays(
            [
                pa.array(terms, pa.string()),
                pa.array(starts, pa.int32()),
                pa.array(ends, pa.int32()),
                pa.array(surfaces, pa.string()),
            ],
            fields=list(struct_type),
        )
        mask = pa.array([not v for v in valid], pa.bool_())
        return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), items, mask=mask)


def match_list_type() -> pa.ListType:
    """The Arrow type of :meth:`LexiconMatcher.find_arrow`: a list of match structs."""
    import pyarrow as pa  # noqa: PLC0415

    return pa.list_(
        pa.struct(
            [
                pa.field("term", pa.string(), nullable=False),
                pa.field("start", pa.int32(), nullable=False),
                pa.field("end", pa.int32(), nullable=False),
                pa.field("surface", pa.string(), nullable=False),
            ]
        )
    )


__all__ = ["LexiconMatcher", "Match", "fold_for_matching", "match_list_type"]
