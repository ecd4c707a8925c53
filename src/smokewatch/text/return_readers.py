"""Reading each pattern family of :mod:`smokewatch.text.return_patterns` into candidates.

A :class:`Candidate` is a return found by one family, with its value, unit, yearly rate and
basis, before :mod:`smokewatch.text.returns` settles overlaps, kind and negation. Readers
reject matches that the patterns admit but the numbers or context do not support: a range in
two scales, 分 after a cue without 息/利, a doubling of sales (销量翻倍), a total that is not
above the principal. Where they live:

* :mod:`smokewatch.text.return_candidates`: the candidate, the arithmetic of rates per period,
  of terms and of amounts against a principal, bounding words, the clause before a match;
* :mod:`smokewatch.text.return_rate_readers`: rates with a period or a promise word (``rate``,
  ``post``, ``fen``, ``slash``, ``fund``, ``warned``);
* :mod:`smokewatch.text.return_term_readers`: rates over a term and multiples (``term_rate``,
  ``multiple``);
* :mod:`smokewatch.text.return_amount_readers`: amounts against a principal (``per_period``,
  ``per_first``, ``per_occasion``, ``term_total``, ``total_then_principal``,
  ``total_principal_term``, ``term_principal_total``, ``form``, ``income_then_principal``,
  ``principal_then_income``, ``total_in_sentence``);
* :mod:`smokewatch.text.return_continuations`: returns that lean on the one before them
  (:func:`read_thresholds`, :func:`read_continuations`);
* here: every family read in the order of :data:`~smokewatch.text.return_patterns.FAMILIES`,
  each only where its gate finds something (:func:`read_candidates`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from types import MappingProxyType
from typing import Final

from smokewatch.text import return_amount_readers, return_rate_readers, return_term_readers
from smokewatch.text.return_candidates import Candidate
from smokewatch.text.return_continuations import read_continuations, read_thresholds
from smokewatch.text.return_patterns import FAMILIES, NEEDS, grammar

_READERS: Final[Mapping[str, Callable[[str], Iterator[Candidate]]]] = MappingProxyType(
    {
        **return_rate_readers.READERS,
        **return_term_readers.READERS,
        **return_amount_readers.READERS,
    }
)


def read_candidates(folded: str) -> list[Candidate]:
    """Every candidate of every family in a folded text (overlaps not yet settled).

    A family runs only where its gate finds something (see :class:`Grammar`), and its gate is
    tried only where one of the strings it needs is in the text
    (:data:`~smokewatch.text.return_patterns.NEEDS`).
    """
    found: list[Candidate] = []
    for needs, gate, read in _plan():
        for word in needs:
            if word in folded:
                break
        else:
            continue
        if gate(folded) is not None:
            found.extend(read(folded))
    return found


_Gate = Callable[[str], "re.Match[str] | None"]


@cache
def _plan() -> tuple[tuple[tuple[str, ...], _Gate, Callable[[str], Iterator[Candidate]]], ...]:
    """Each family in order as (the strings it needs, its gate, its reader).

    "" is in every text. Looked up once per process, not once per text.
    """
    gates = grammar().gates
    return tuple((NEEDS.get(name, ("",)), gates[name].search, _READERS[name]) for name in FAMILIES)


def read_family(name: str, folded: str) -> list[Candidate]:
    """The candidates of one family, without its gate (for tests of the gates)."""
    return list(_READERS[name](folded))


__all__ = ["Candidate", "read_candidates", "read_continuations", "read_family", "read_thresholds"]
