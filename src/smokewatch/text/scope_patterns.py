"""The patterns that tell activities apart from prohibitions, exclusions and boilerplate.

The patterns are data (``text/lexicons/scope_patterns.yml``): each carries the reason, in
Chinese and English, that an analyst sees next to a discounted hit. This module loads and
validates them; :mod:`smokewatch.text.scope` applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from smokewatch.errors import ConfigError, Location, Problem
from smokewatch.model._yaml import load_yaml_resource, package_dir


class ClauseKind(StrEnum):
    """What a clause of a business scope is."""

    ACTIVITY = "activity"
    """Business the enterprise may carry on: the only kind whose restricted words count."""

    PROHIBITION = "prohibition"
    """Business it must not carry on (不得从事…, 未经批准不得…, 禁止, 严禁)."""

    EXCLUSION = "exclusion"
    """Business excluded from the scope (（不含…）, 除…外, 不涉及…)."""

    APPROVAL_NOTE = "approval_note"
    """Licensing boilerplate and headings (依法须经批准的项目…, 一般项目：, 许可项目：)."""

    BENIGN_CONTEXT = "benign_context"
    """An activity whose restricted word names a client or topic (为金融机构提供技术服务)."""


DISCOUNTING_KINDS = frozenset(
    {ClauseKind.PROHIBITION, ClauseKind.EXCLUSION, ClauseKind.APPROVAL_NOTE}
)
"""Clause kinds whose every restricted-word hit is discounted."""


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a clause has its kind, or why a hit was discounted: the pattern and its explanation."""

    pattern: str
    """Id of the pattern in ``scope_patterns.yml``."""
    kind: ClauseKind
    zh: str
    en: str

    def text(self, lang: str) -> str:
        """The explanation in ``zh`` (any ``zh-*``) or else English."""
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True, slots=True)
class ClausePattern:
    """A pattern that classifies a whole clause (approval note, prohibition, exclusion)."""

    id: str
    kind: ClauseKind
    regex: re.Pattern[str]
    anchor: Literal["start", "anywhere"]
    """``start``: must match at the start of the clause; ``anywhere``: may also split a clause
    where it begins in the middle (scopes written without separators)."""
    reason: Reason
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BenignPattern:
    """A phrase in which some restricted words name a client or topic, not the activity."""

    id: str
    regex: re.Pattern[str]
    discounts: frozenset[str]
    """Terms discounted when they lie inside the phrase; other hits in it still count."""
    reason: Reason
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ScopePatterns:
    """All patterns used to read business scopes, in the order they are tried."""

    clause_patterns: tuple[ClausePattern, ...]
    benign_patterns: tuple[BenignPattern, ...]
    list_closer: re.Pattern[str]
    """Ends a prohibition or exclusion list (…等金融业务, …外)."""
    origin: str

    # One alternation per use, with a named group per pattern: Python tries alternatives in
    # order at each position, so ``match`` finds the first pattern that matches at the start
    # and ``search`` the earliest start of any pattern — one regex call instead of one per
    # pattern, which is most of the cost of reading a scope.
    classify: re.Pattern[str]
    """All clause patterns; ``match(...).lastgroup`` is the id of the first that matches."""
    split: re.Pattern[str]
    """The ``anywhere`` clause patterns; ``search`` finds where a clause must be cut."""
    benign: re.Pattern[str]
    """All benign patterns; ``search(...).lastgroup`` is the id of the leftmost match."""

    def clause_pattern(self, pattern_id: str) -> ClausePattern:
        """A clause pattern by id."""
        return next(p for p in self.clause_patterns if p.id == pattern_id)

    def benign_pattern(self, pattern_id: str) -> BenignPattern:
        """A benign pattern by id."""
        return next(p for p in self.benign_patterns if p.id == pattern_id)


# ---------------------------------------------------------------- YAML specs


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ReasonSpec(_Spec):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _ClauseSpec(_Spec):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal[ClauseKind.APPROVAL_NOTE, ClauseKind.PROHIBITION, ClauseKind.EXCLUSION]
    anchor: Literal["start", "anywhere"]
    pattern: str = Field(min_length=1)
    reason: _ReasonSpec
    examples: list[str] = Field(min_length=1)
    counter_examples: list[str] = []


class _BenignSpec(_Spec):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    pattern: str = Field(min_length=1)
    discounts: list[str] = Field(min_length=1)
    reason: _ReasonSpec
    examples: list[str] = Field(min_length=1)


class _PatternsSpec(_Spec):
    kind: Literal["scope_patterns"]
    name: str
    doc: str = ""
    clause_patterns: list[_ClauseSpec]
    list_closer: str
    benign_patterns: list[_BenignSpec]


def _compile(pattern: str, where: str, origin: str, problems: list[Problem]) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        problems.append(Problem(f"{where}: invalid regular expression: {exc}", Location(origin)))
        return re.compile(r"(?!)")  # never matches; the collected problem is raised
    if compiled.groups:
        problems.append(Problem(f"{where}: use (?:…), not capturing groups", Location(origin)))
    return compiled


def _alternation(patterns: list[tuple[str, re.Pattern[str]]]) -> re.Pattern[str]:
    if not patterns:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?P<{pid}>{regex.pattern})" for pid, regex in patterns))


def parse_scope_patterns(raw: Any, origin: str) -> ScopePatterns:
    """Validate a parsed ``scope_patterns`` YAML document.

    Raises:
        ConfigError: with every problem (schema, invalid regular expressions, duplicate ids).
    """
    try:
        spec = _PatternsSpec.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(
            [
                Problem(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}", Location(origin))
                for e in exc.errors()
            ]
        ) from exc
    problems: list[Problem] = []
    ids = [c.id for c in spec.clause_patterns] + [b.id for b in spec.benign_patterns]
    problems.extend(
        Problem(f"duplicate pattern id {i!r}", Location(origin))
        for i in sorted({i for i in ids if ids.count(i) > 1})
    )
    clauses = tuple(
        ClausePattern(
            id=c.id,
            kind=ClauseKind(c.kind),
            regex=_compile(c.pattern, c.id, origin, problems),
            anchor=c.anchor,
            reason=Reason(c.id, ClauseKind(c.kind), c.reason.zh, c.reason.en),
            examples=tuple(c.examples),
            counter_examples=tuple(c.counter_examples),
        )
        for c in spec.clause_patterns
    )
    benign = tuple(
        BenignPattern(
            id=b.id,
            regex=_compile(b.pattern, b.id, origin, problems),
            discounts=frozenset(b.discounts),
            reason=Reason(b.id, ClauseKind.BENIGN_CONTEXT, b.reason.zh, b.reason.en),
            examples=tuple(b.examples),
        )
        for b in spec.benign_patterns
    )
    closer = _compile(spec.list_closer, "list_closer", origin, problems)
    if problems:
        raise ConfigError(problems)
    return ScopePatterns(
        clauses,
        benign,
        closer,
        origin,
        classify=_alternation([(p.id, p.regex) for p in clauses]),
        split=_alternation([(p.id, p.regex) for p in clauses if p.anchor == "anywhere"]),
        benign=_alternation([(p.id, p.regex) for p in benign]),
    )


@cache
def load_scope_patterns() -> ScopePatterns:
    """The scope patterns shipped with smokewatch (parsed once per process)."""
    node = package_dir("smokewatch.text", "lexicons") / "scope_patterns.yml"
    return parse_scope_patterns(load_yaml_resource(node), str(node))


__all__ = [
    "DISCOUNTING_KINDS",
    "BenignPattern",
    "ClauseKind",
    "ClausePattern",
    "Reason",
    "ScopePatterns",
    "load_scope_patterns",
    "parse_scope_patterns",
]
