"""How :mod:`smokewatch.text.signals` judges a hit: the discount rules, applied in order.

A :class:`Judge` reads one folded text's hits left to right. For each hit it finds the hit's
clause and sentence and tries the rules of ``signal_patterns.yml`` in order; the first whose
pattern stands where the rule says (before, after, earlier, later, around a quoted hit) gives
the :class:`Verdict`. Words listed after a negated word share its negation.

A rule's matches in a clause or sentence are found once and shared by every hit there, so a
page that repeats a lure thousands of times in one sentence costs about its length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from typing import NamedTuple

from smokewatch.text.signal_patterns import (
    DiscountKind,
    DiscountRule,
    Position,
    Scope,
    SignalPatterns,
)


class Verdict(NamedTuple):
    """The rule that discounts a hit and the cue it found."""

    rule: DiscountRule
    cue: str


class _Scan(NamedTuple):
    """The matches of one rule in one scope, with their starts and ends (both growing)."""

    matches: list[re.Match[str]]
    starts: list[int]
    ends: list[int]


_NO_MATCHES = _Scan([], [], [])


class Judge:
    """Applies the discount rules to the hits of one folded text, left to right."""

    def __init__(
        self,
        folded: str,
        patterns: SignalPatterns,
        breaks: re.Pattern[str],
        trim: frozenset[str],
        quotes: re.Pattern[str],
    ) -> None:
        self.folded = folded
        self.patterns = patterns
        self.trim = trim
        self.quotes = quotes
        self.clause_ends = [m.start() for m in breaks.finditer(folded)]
        sentence = patterns.sentence_breaks
        self.sentence_ends = [i for i in self.clause_ends if folded[i] in sentence]
        self.previous: tuple[int, Verdict | None] | None = None
        """End of the previous hit and its verdict (for cues and lists)."""
        self._scans: dict[tuple[str, int, int], _Scan] = {}
        self._marks: list[int] | None = None

    def verdict(self, start: int, end: int) -> Verdict | None:
        """Why the next hit ``[start, end)`` is discounted, or ``None`` when it counts."""
        clause = _bounds(self.clause_ends, start, end, len(self.folded))
        sentence = _bounds(self.sentence_ends, start, end, len(self.folded))
        floor = clause[0]
        inherited: Verdict | None = None
        if self.previous is not None and self.previous[0] > clause[0]:
            floor = self.previous[0]
            inherited = self._listed(self.previous, start)
        result = None
        for rule in self.patterns.discounts:
            lo, hi = clause if rule.scope is Scope.CLAUSE else sentence
            if rule.position is Position.BEFORE:
                lo = max(lo, floor)  # a cue never lies inside the previous hit
            cue = self._apply(rule, start, end, lo, hi)
            if cue is not None:
                result = Verdict(rule, cue)
                break
        if result is None:
            result = inherited
        self.previous = (end, result)
        return result

    def _listed(self, previous: tuple[int, Verdict | None], start: int) -> Verdict | None:
        """The previous hit's negation, when only a list joiner (、, 或者) separates them."""
        previous_end, verdict = previous
        if verdict is None or verdict.rule.kind is not DiscountKind.NEGATION:
            return None
        joined = self.patterns.list_joiner.fullmatch(self.folded, previous_end, start)
        return verdict if joined else None

    def _apply(self, rule: DiscountRule, start: int, end: int, lo: int, hi: int) -> str | None:
        """The cue if ``rule`` discounts the hit ``[start, end)`` within ``[lo, hi)``."""
        position = rule.position
        if position is Position.BEFORE:
            return self._before(rule, start, lo)
        if position is Position.AFTER:
            begin = end
            while begin < hi and self.folded[begin] in self.trim:
                begin += 1
            found = rule.regex.match(self.folded, begin, hi)
            return None if found is None else found.group()
        if position is Position.EARLIER:
            return self._earlier(rule, start, lo, hi)
        if position is Position.LATER:
            for found in self._after(rule, end, lo, hi):
                if self._stands(end, found.start(), end, found.start()):
                    return found.group()
            return None
        if self._quoted(start, end, lo, hi):
            matches = self._scan(rule, lo, hi).matches
            return matches[0].group() if matches else None
        return None

    def _scan(self, rule: DiscountRule, lo: int, hi: int) -> _Scan:
        """Every match of ``rule`` in ``[lo, hi)``, found once per scope and shared by its hits.

        A scope holding thousands of hits (a page without punctuation repeating a lure) would
        otherwise be scanned once per hit and rule: time quadratic in its length.
        """
        key = (rule.id, lo, hi)
        scan = self._scans.get(key)
        if scan is None:
            matches = list(rule.regex.finditer(self.folded, lo, hi))
            scan = self._scans[key] = (
                _Scan(matches, [m.start() for m in matches], [m.end() for m in matches])
                if matches
                else _NO_MATCHES  # the usual answer
            )
        return scan

    def _after(self, rule: DiscountRule, end: int, lo: int, hi: int) -> Iterable[re.Match[str]]:
        r"""The matches of ``rule.regex.finditer(folded, end, hi)``, from the scope's scan.

        Whether a match starts at a position does not depend on where a scan started (look-
        behinds, ``\b`` and ``\A`` read the whole string), so past the scope scan's last match
        before ``end`` both scans meet the same matches, unless that match runs over ``end``.
        """
        scan = self._scan(rule, lo, hi)
        first = bisect_left(scan.starts, end)
        if first and scan.ends[first - 1] > end:  # a match runs over end: scan from end
            return rule.regex.finditer(self.folded, end, hi)
        return scan.matches[first:]

    def _before(self, rule: DiscountRule, start: int, lo: int) -> str | None:
        folded = self.folded
        stop = start
        while stop > lo and folded[stop - 1] in self.trim:
            stop -= 1
        found = rule.regex.search(folded, lo, stop)
        if found is None:
            return None
        if rule.kind is DiscountKind.NEGATION and self.patterns.double_negation.search(
            folded, lo, found.start()
        ):
            return None  # 不是不保本: the negation is itself negated
        return found.group()

    def _earlier(self, rule: DiscountRule, start: int, lo: int, hi: int) -> str | None:
        # Searched up to the end of the scope so that look-aheads (防范(?=…非法集资)) see past
        # the hit; only cues that end before the hit count, the nearest one is reported.
        # Matches do not overlap, so their ends grow: those ending before the hit are a prefix,
        # read from the nearest back (the first that stands is the nearest that stands).
        scan = self._scan(rule, lo, hi)
        for found in reversed(scan.matches[: bisect_right(scan.ends, start)]):
            if self._stands(found.end(), start, lo, found.start()):
                return found.group()
        return None

    def _stands(self, gap_start: int, gap_end: int, lo: int, cue_start: int) -> bool:
        """No reset word between cue and hit, and no negation of the cue right before it."""
        patterns = self.patterns
        if gap_end > gap_start and patterns.reset.search(self.folded, gap_start, gap_end):
            return False
        return patterns.cue_negation.search(self.folded, lo, cue_start) is None

    def _quoted(self, start: int, end: int, lo: int, hi: int) -> bool:
        """The nearest quotation mark before the hit opens and the nearest after it closes."""
        opening, closing = self.patterns.quotes_open, self.patterns.quotes_close
        if self._marks is None:
            self._marks = [m.start() for m in self.quotes.finditer(self.folded)]
        marks = self._marks
        before = bisect_left(marks, start) - 1
        after = bisect_left(marks, end)
        return (
            before >= 0
            and marks[before] >= lo
            and self.folded[marks[before]] in opening
            and after < len(marks)
            and marks[after] < hi
            and self.folded[marks[after]] in closing
        )


def _bounds(ends: list[int], start: int, end: int, size: int) -> tuple[int, int]:
    """The stretch between the break before ``start`` and the break at or after ``end``."""
    index = bisect_right(ends, start - 1)
    lo = ends[index - 1] + 1 if index else 0
    after = bisect_left(ends, end)
    hi = ends[after] if after < len(ends) else size
    return lo, hi


__all__ = ["Judge", "Verdict"]
