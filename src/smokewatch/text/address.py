"""Address → administrative division code (adcode), with the shipped division table.

Chinese addresses name their divisions from the top down (安徽省芜湖市镜湖区范罗山街道…), often
leave some out (芜湖市镜湖区…, 镜湖区…), shorten them (安徽芜湖…), use names that were
abolished (芜湖县…) and mention other places on the way (…北京路8号). The resolver finds every
division name in the text with one Aho-Corasick pass and picks the most specific division that
the other mentions agree with:

* every full name is a keyword, and so is the short form of a province, city or county (芜湖,
  镜湖, 安徽, 内蒙古, 延边); an ambiguous short form (通州: Beijing or Nantong; 桥西: three
  cities) counts only for the divisions whose city or province the address also names, and
  so do generic names such as 城区;
* a short form followed by a street word (北京路, 中山北路, 人民大道) is a street, not a place;
* a candidate division is supported by each mention of itself or one of its ancestors; the
  best candidate has the most support, includes the first mention (addresses start with the
  registered place), is the most specific, is current rather than abolished and, when a
  workspace's own division is given as ``within``, lies closest to it;
* candidates that are still tied (城关镇 exists 88 times) resolve to their deepest common
  ancestor, or to nothing.

Build the resolver once per process with :func:`get_address_resolver`; it reads the keyword
table shipped with the package (with the division table, about a quarter of a second) and
nothing happens at import time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import ahocorasick

from smokewatch.model.divisions import Divisions, Level, load_divisions
from smokewatch.text.address_table import (
    RANK,
    Keyword,
    Nodes,
    keywords,
    read_keyword_table,
    shipped_keyword_table,
    short_form,
)

_STREET_AFTER = re.compile(
    r"[东西南北中]?(?:路|街|大街|大道|道|巷|弄|胡同|里|大厦|广场|花园|小区|公寓|新村|商城|中心|公园"
    r"|家园|世纪城|名城|大楼|商厦|酒店|宾馆)"
)


@dataclass(frozen=True, slots=True)
class AddressMatch:
    """The division an address resolves to.

    ``start``/``end`` delimit (end exclusive) the part of the address that names the division
    and the ancestors that support it, e.g. ``安徽省芜湖市镜湖区`` in a longer address.
    """

    code: str
    level: Level
    path_names: tuple[str, ...]
    start: int
    end: int
    is_current: bool = True


_Token = tuple[int, int, tuple[str, ...], bool]
"""A mention: start, end (exclusive), candidate division codes, whether it needs a parent."""
_Found = tuple[int, int, tuple[str, ...], bool, bool]
"""A division name found: start, length, candidate codes, short form, whether it needs a parent."""


@dataclass(frozen=True, slots=True)
class AddressScan:
    """Every division name of a text (:meth:`AddressResolver.scan`)."""

    text: str
    found: tuple[_Found, ...]
    """Start, length, codes, short form, needs a parent; by start, longest first."""


class AddressResolver:
    """Resolves address strings to division codes (see the module documentation)."""

    def __init__(
        self,
        divisions: Divisions,
        *,
        cache_size: int = 200_000,
        table: Mapping[str, Keyword] | None = None,
    ) -> None:
        """Build the resolver; ``table`` is the keyword table of ``divisions`` if known.

        Without ``table`` the keywords are derived from ``divisions`` (about half a second
        for the shipped table, whose keywords :func:`get_address_resolver` reads instead).
        """
        self._nodes = Nodes(divisions)
        automaton = ahocorasick.Automaton()
        for word, (codes, short, needs_parent) in (
            table if table is not None else keywords(divisions, self._nodes)
        ).items():
            automaton.add_word(_symbols(word), (len(word), codes, short, needs_parent))
        automaton.make_automaton()
        self._automaton = automaton
        # Registry addresses repeat the same few division mentions; the choice depends only
        # on the mentioned codes (and ``within``), so it is cached on them.
        self._choices: dict[tuple[object, ...], tuple[str, tuple[int, ...]] | None] = {}
        self._cache_size = cache_size

    def resolve(self, address: str, *, within: str | None = None) -> AddressMatch | None:
        """The most specific division the address names consistently, or ``None``.

        ``within`` is the code of the workspace's own division (e.g. ``"340200"``); it breaks
        ties between places of the same name (城关镇, 鼓楼区, 新华街道).

        Examples:
            >>> resolver = get_address_resolver()
            >>> match = resolver.resolve("安徽省芜湖市镜湖区北京路8号")
            >>> match.code, match.path_names
            ('340202', ('安徽省', '芜湖市', '镜湖区'))
            >>> resolver.resolve("鼓楼区中山路1号", within="320100").code
            '320106'
        """
        return self._match(self._tokens(address), within)

    def scan(self, text: str) -> AddressScan:
        """Every division name in ``text``, found in one pass, for :meth:`resolve_in`.

        A text's places are read range by range (the whole text, then what lies left and right
        of each place found); the ranges share this one scan instead of one each.
        """
        return AddressScan(text, tuple(self._aligned(text, _symbols(text))))

    def resolve_in(
        self, scan: AddressScan, start: int, end: int, *, within: str | None = None
    ) -> AddressMatch | None:
        """:meth:`resolve` of ``scan.text[start:end]``, with positions in ``scan.text``.

        Examples:
            >>> resolver = get_address_resolver()
            >>> text = "芜湖市的张三和安徽省合肥市的李四"
            >>> scan = resolver.scan(text)
            >>> match = resolver.resolve_in(scan, 7, len(text))
            >>> match.code, text[match.start : match.end]
            ('340100', '安徽省合肥市')
        """
        inside = [f for f in scan.found if f[0] >= start and f[0] + f[1] <= end]
        if not inside:
            return None
        return self._match(self._placed(_leftmost_longest(scan.text, inside, end)), within)

    def _match(self, tokens: list[_Token], within: str | None) -> AddressMatch | None:
        choice = self._cached_choice(tokens, within) if tokens else None
        if choice is None:
            return None
        code, span_tokens = choice
        node = self._nodes[code]
        return AddressMatch(
            code=code,
            level=node.level,
            path_names=node.path_names,
            start=min(tokens[i][0] for i in span_tokens),
            end=max(tokens[i][1] for i in span_tokens),
            is_current=node.current,
        )

    def code_of(self, address: str, *, within: str | None = None) -> str | None:
        """Just the code of :meth:`resolve` (the fast path for bulk ingest).

        Examples:
            >>> get_address_resolver().code_of("芜湖市镜湖区")
            '340202'
        """
        tokens = self._tokens(address)
        choice = self._cached_choice(tokens, within) if tokens else None
        return None if choice is None else choice[0]

    def _cached_choice(
        self, tokens: list[_Token], within: str | None
    ) -> tuple[str, tuple[int, ...]] | None:
        key = (within, *(t[2] for t in tokens))
        if key in self._choices:
            return self._choices[key]
        choice = self._choose(tokens, within)
        if len(self._choices) >= self._cache_size:
            self._choices.clear()
        self._choices[key] = choice
        return choice

    def _tokens(self, address: str) -> list[_Token]:
        """Leftmost-longest division mentions, street names (北京路) left out."""
        symbols = _symbols(address)
        tokens = self._longest(address, symbols)
        if tokens is None:
            found = self._aligned(address, symbols)
            tokens = _leftmost_longest(address, found, len(address))
        return self._placed(tokens)

    def _placed(self, tokens: list[_Token]) -> list[_Token]:
        """The mentions left when those that need a parent (桥西, 城区) have none named."""
        if not any(t[3] for t in tokens):
            return tokens
        mentioned = {code for t in tokens for code in t[2]}
        kept: list[_Token] = []
        for start, end, codes, needs_parent in tokens:
            placed = (
                tuple(c for c in codes if self._parent_mentioned(c, mentioned))
                if needs_parent
                else codes
            )
            if placed:
                kept.append((start, end, placed, needs_parent))
        return kept

    def _longest(self, address: str, symbols: str) -> list[_Token] | None:
        """The fast path: the automaton's own leftmost-longest scan.

        ``None`` when the scan met a match across character boundaries or a street name,
        which may hide another mention; :func:`_leftmost_longest` then decides.
        """
        tokens: list[_Token] = []
        for last, (length, codes, is_short, needs_parent) in self._automaton.iter_long(symbols):
            start = last + 1 - 2 * length
            end = (last + 1) // 2
            if start % 2 or len(symbols) != 2 * len(address):
                return None
            if is_short and _STREET_AFTER.match(address, end):
                return None
            tokens.append((start // 2, end, codes, needs_parent))
        return tokens

    def _aligned(self, address: str, symbols: str) -> list[_Found]:
        """Every division name in ``address`` by start, longest first (overlaps included)."""
        found: list[_Found] = []
        for last, (length, codes, is_short, needs_parent) in self._automaton.iter(symbols):
            start = last + 1 - 2 * length
            if start % 2 == 0:  # a match across character boundaries is no match
                found.append((start // 2, length, codes, is_short, needs_parent))
        if len(address) * 2 != len(symbols):
            found = _char_positions(address, found)
        found.sort(key=lambda m: (m[0], -m[1]))
        return found

    def _parent_mentioned(self, code: str, mentioned: set[str]) -> bool:
        return not self._nodes[code].ancestors.isdisjoint(mentioned)

    def _choose(
        self, tokens: list[_Token], within: str | None
    ) -> tuple[str, tuple[int, ...]] | None:
        home = self._nodes[within] if within is not None and within in self._nodes else None
        within_chain = home.chain_set if home is not None else None
        # per mention: the cities its abolished places lay in (for _score's half support)
        abolished = [
            frozenset(self._nodes[c].city for c in t[2] if not self._nodes[c].current)
            for t in tokens
        ]
        scored = {
            code: self._score(code, tokens, within_chain, abolished)
            for t in tokens
            for code in t[2]
        }
        best = max(scored.values())
        tied = sorted(code for code, score in scored.items() if score == best)
        code = tied[0] if len(tied) == 1 else self._common_ancestor(tied)
        if code is None:
            return None
        chain = self._nodes[code].chain_set
        spans = tuple(i for i, t in enumerate(tokens) if not chain.isdisjoint(t[2]))
        # A common ancestor that no mention names would be a guess from ``within``.
        return (code, spans) if spans else None

    def _score(
        self,
        code: str,
        tokens: list[_Token],
        within_chain: frozenset[str] | None,
        abolished: list[frozenset[str | None]],
    ) -> tuple[float, bool, int, bool, int, int]:
        node = self._nodes[code]
        support = 0.0
        first_index = own_index = len(tokens)
        for index, (_, _, codes, _) in enumerate(tokens):
            if not node.chain_set.isdisjoint(codes):
                support += 1
                first_index = min(first_index, index)
                own_index = min(own_index, index) if code in codes else own_index
            elif node.city is not None and node.city in abolished[index]:
                support += 0.5  # an abolished county's successor lies in the same city
        proximity = len(node.chain_set & within_chain) if within_chain else 0
        return (
            support,
            first_index == 0,
            RANK[node.level],
            node.current,
            proximity,
            -own_index,  # of two places, the one named first (鸠江区…镜湖家园 is in 鸠江区)
        )

    def _common_ancestor(self, codes: list[str]) -> str | None:
        chains = [self._nodes[c].chain for c in codes]
        common: str | None = None
        for level_codes in zip(*chains, strict=False):
            if len(set(level_codes)) != 1:
                break
            if not self._nodes[level_codes[0]].placeholder:
                common = level_codes[0]
        return common


def _leftmost_longest(text: str, found: Iterable[_Found], endpos: int) -> list[_Token]:
    """The mentions of ``found`` (by start, longest first) that do not overlap.

    Street names (a short form followed by 路, 大道…) are left out; for that test ``text``
    ends at ``endpos``.
    """
    tokens: list[_Token] = []
    position = 0
    for start, length, codes, is_short, needs_parent in found:
        end = start + length
        if start < position or (is_short and _STREET_AFTER.match(text, end, endpos)):
            continue
        tokens.append((start, end, codes, needs_parent))
        position = end
    return tokens


def _symbols(text: str) -> str:
    """Text as UTF-16 byte pairs, one latin-1 symbol per byte.

    Division names use about 3,000 distinct characters, and pyahocorasick scans a node's
    children linearly: over characters, every character of an address costs a scan of the
    root's 3,000 children. Over byte pairs no node has more than 256 children, which makes
    resolving an address several times faster.
    """
    return text.encode("utf-16-be").decode("latin-1")


def _char_positions(text: str, found: list[_Found]) -> list[_Found]:
    """Turn UTF-16 unit positions into character positions (text beyond the BMP)."""
    char_at: list[int] = []
    for index, char in enumerate(text):
        char_at.extend([index] * (2 if ord(char) > 0xFFFF else 1))
    char_at.append(len(text))
    return [(char_at[s], n, c, short, g) for s, n, c, short, g in found]


@cache
def get_address_resolver() -> AddressResolver:
    """The resolver over the shipped division table, built on first use and cached.

    Its keywords come from the shipped keyword table (:mod:`smokewatch.text.address_table`).
    """
    return AddressResolver(load_divisions(), table=read_keyword_table(shipped_keyword_table()))


__all__ = ["AddressMatch", "AddressResolver", "AddressScan", "get_address_resolver", "short_form"]
