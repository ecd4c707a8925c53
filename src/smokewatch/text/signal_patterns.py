"""The rules that tell affirmed lure words from negated, forbidden or quoted ones, as data.

The rules live in ``text/lexicons/signal_patterns.yml``: negation cues before a word (不承诺,
并非), prohibitions (不得, 严禁), warnings (谨防, 警惕, 凡是……都是诈骗), descriptions of someone
else's scheme (以……为诱饵, 谎称), and the claims found by pattern rather than by word (与某银行
合作, 经央行备案). Each carries the reason, in Chinese and English, that an analyst sees next
to a discounted hit. This module loads and validates them; :mod:`smokewatch.text.signals`
applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from smokewatch.errors import ConfigError, Location, Problem
from smokewatch.model._yaml import load_yaml_resource, package_dir


class DiscountKind(StrEnum):
    """Why a lure word found in a text is not counted as a claim the text makes."""

    NEGATION = "negation"
    """The text denies it (不承诺保本, 非保本, 没有稳赚不赔的投资)."""

    PROHIBITION = "prohibition"
    """Statute or compliance text forbids it (不得承诺保本, 严禁)."""

    WARNING = "warning"
    """Public education or news warns against it (谨防高回报陷阱, 凡是……都是诈骗)."""

    DESCRIPTION = "description"
    """The text reports someone else's scheme (以高额回报为诱饵, 谎称保本)."""

    NAME = "name"
    """The word is part of a name (芜湖康泰养老服务有限公司), not something the text claims."""


class Position(StrEnum):
    """Where a discount pattern must be, relative to the hit, inside its scope."""

    BEFORE = "before"
    """Ends exactly where the hit begins (quotes and spaces in between are ignored)."""

    EARLIER = "earlier"
    """Anywhere before the hit, with no reset word in between."""

    AFTER = "after"
    """Starts exactly where the hit ends (quotes and spaces in between are ignored)."""

    LATER = "later"
    """Anywhere after the hit, with no reset word in between."""

    QUOTED = "quoted"
    """The hit is in quotation marks and the pattern occurs anywhere in the scope."""


class Scope(StrEnum):
    """How far a rule looks: the clause (up to , or :) or the sentence (up to 。 ! ? ;)."""

    CLAUSE = "clause"
    SENTENCE = "sentence"


@dataclass(frozen=True, slots=True)
class DiscountRule:
    """One negation, prohibition, warning or description frame, with its reason."""

    id: str
    kind: DiscountKind
    position: Position
    scope: Scope
    regex: re.Pattern[str]
    """For ``before`` the pattern is anchored at the end (``…$``), for ``after`` at the start."""
    zh: str
    en: str
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    events_only: bool = False
    """Read around reported events only (报案, 跑路), never around lure words."""

    def reason(self, lang: str) -> str:
        """The explanation in ``zh`` (any ``zh-*``) or else English."""
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True, slots=True)
class ClaimPattern:
    """A claim found by pattern (与某银行合作, 经央行备案), reported as a signal like a word."""

    id: str
    category: str
    term: str
    """The canonical name reported as :attr:`~smokewatch.text.signals.Signal.term`."""
    weight: float
    requires: tuple[str, ...]
    """Literals of which at least one must occur (in folded text) before the regex runs."""
    regex: re.Pattern[str]
    """Has a named group ``party``: the bank or authority the claim names."""
    zh: str
    en: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SignalPatterns:
    """All rules of ``signal_patterns.yml``, compiled, in the order they are tried."""

    discounts: tuple[DiscountRule, ...]
    claims: tuple[ClaimPattern, ...]
    sentence_breaks: frozenset[str]
    clause_breaks: frozenset[str]
    """Characters that end a clause (sentence breaks included)."""
    quotes_open: frozenset[str]
    quotes_close: frozenset[str]
    reset: re.Pattern[str]
    """Words that end a warning's reach (contrast, self-reference: 但是, 我们, 本平台)."""
    cue_negation: re.Pattern[str]
    """Anchored at the end: text before a cue that negates the cue itself (不是|骗局)."""
    double_negation: re.Pattern[str]
    """Anchored at the end: text before a negation cue that cancels it (不是|不保本)."""
    list_joiner: re.Pattern[str]
    """A gap that joins a hit to a negated hit before it (、, 或者, 和)."""
    origin: str

    def rule(self, rule_id: str) -> DiscountRule:
        """A discount rule by id."""
        return next(r for r in self.discounts if r.id == rule_id)

    def claim(self, claim_id: str) -> ClaimPattern:
        """A claim pattern by id."""
        return next(c for c in self.claims if c.id == claim_id)


# ---------------------------------------------------------------- YAML specs

_ID = r"^[a-z][a-z0-9_]*$"


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ReasonSpec(_Spec):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _DiscountSpec(_Spec):
    id: str = Field(pattern=_ID)
    kind: DiscountKind
    position: Position
    scope: Scope
    pattern: str = Field(min_length=1)
    reason: _ReasonSpec
    examples: list[str] = Field(min_length=1)
    counter_examples: list[str] = []
    events_only: bool = False


class _ClaimSpec(_Spec):
    id: str = Field(pattern=_ID)
    category: str = Field(pattern=r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$")
    term: str = Field(min_length=1)
    weight: float = Field(ge=0.0, le=1.0)
    requires: list[str] = Field(min_length=1)
    pattern: str = Field(min_length=1)
    reason: _ReasonSpec
    examples: list[str] = Field(min_length=1)


class _PatternsSpec(_Spec):
    kind: str = Field(pattern=r"^signal_patterns$")
    name: str
    doc: str = ""
    sentence_breaks: str = Field(min_length=1)
    clause_breaks: str = Field(min_length=1)
    quotes_open: str = Field(min_length=1)
    quotes_close: str = Field(min_length=1)
    reset: str
    cue_negation: str
    double_negation: str
    list_joiner: str
    discounts: list[_DiscountSpec]
    claims: list[_ClaimSpec] = []


class _Compiler:
    """Compiles patterns, collecting every problem instead of stopping at the first."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[Problem] = []

    def compile(self, pattern: str, where: str, *, groups: frozenset[str] = frozenset()) -> Any:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            self.problem(f"{where}: invalid regular expression: {exc}")
            return re.compile(r"(?!)")  # never matches; the collected problem is raised
        if set(compiled.groupindex) != groups or compiled.groups != len(groups):
            wanted = ", ".join(sorted(groups)) or "none"
            self.problem(f"{where}: use (?:…); named groups allowed: {wanted}")
        return compiled

    def problem(self, message: str) -> None:
        self.problems.append(Problem(message, Location(self.origin)))


def _anchored(rule: _DiscountSpec) -> str:
    if rule.position is Position.BEFORE:
        return f"(?:{rule.pattern})$"
    if rule.position is Position.AFTER:
        return f"(?:{rule.pattern})"  # applied with ``match``
    return rule.pattern


def parse_signal_patterns(raw: Any, origin: str) -> SignalPatterns:
    """Validate a parsed ``signal_patterns`` YAML document.

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
    compiler = _Compiler(origin)
    ids = [r.id for r in spec.discounts] + [c.id for c in spec.claims]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        compiler.problem(f"duplicate rule id {duplicate!r}")
    for rule in spec.discounts:
        if rule.kind is DiscountKind.NAME:
            compiler.problem(
                f"{rule.id}: kind 'name' is given by names found in the text, not by patterns"
            )
    discounts = tuple(
        DiscountRule(
            id=r.id,
            kind=r.kind,
            position=r.position,
            scope=r.scope,
            regex=compiler.compile(_anchored(r), r.id),
            zh=r.reason.zh,
            en=r.reason.en,
            examples=tuple(r.examples),
            counter_examples=tuple(r.counter_examples),
            events_only=r.events_only,
        )
        for r in spec.discounts
    )
    claims = tuple(
        ClaimPattern(
            id=c.id,
            category=c.category,
            term=c.term,
            weight=c.weight,
            requires=tuple(c.requires),
            regex=compiler.compile(c.pattern, c.id, groups=frozenset({"party"})),
            zh=c.reason.zh,
            en=c.reason.en,
            examples=tuple(c.examples),
        )
        for c in spec.claims
    )
    patterns = SignalPatterns(
        discounts=discounts,
        claims=claims,
        sentence_breaks=frozenset(spec.sentence_breaks),
        clause_breaks=frozenset(spec.clause_breaks + spec.sentence_breaks),
        quotes_open=frozenset(spec.quotes_open),
        quotes_close=frozenset(spec.quotes_close),
        reset=compiler.compile(spec.reset, "reset"),
        cue_negation=compiler.compile(f"(?:{spec.cue_negation})", "cue_negation"),
        double_negation=compiler.compile(f"(?:{spec.double_negation})", "double_negation"),
        list_joiner=compiler.compile(f"(?:{spec.list_joiner})", "list_joiner"),
        origin=origin,
    )
    if compiler.problems:
        raise ConfigError(compiler.problems)
    return patterns


@cache
def load_signal_patterns() -> SignalPatterns:
    """The signal patterns shipped with smokewatch (parsed once per process)."""
    node = package_dir("smokewatch.text", "lexicons") / "signal_patterns.yml"
    return parse_signal_patterns(load_yaml_resource(node), str(node))


@cache
def lure_signal_patterns() -> SignalPatterns:
    """The shipped patterns without the rules that read around reported events only.

    Those rules (请及时报案) take words such as 请, 可以 or 立即 right before an event word as
    advice to the public; before a lure word the same words are the lure's own pitch
    (可以保本保息, 请开启屏幕共享).
    """
    patterns = load_signal_patterns()
    return replace(patterns, discounts=tuple(r for r in patterns.discounts if not r.events_only))


__all__ = [
    "ClaimPattern",
    "DiscountKind",
    "DiscountRule",
    "Position",
    "Scope",
    "SignalPatterns",
    "load_signal_patterns",
    "lure_signal_patterns",
    "parse_signal_patterns",
]
