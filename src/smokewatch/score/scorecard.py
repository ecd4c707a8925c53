"""The scorecard file: dimensions of components, qualifiers, and grade thresholds.

A scorecard turns what the rules found and what the models estimated about one entity into a
smoke index (冒烟指数) from 0 to 100 and a grade. It is data, versioned like a rule:

.. code-block:: yaml

    id: SW-S-0001
    version: 1
    name: enterprise_smoke_index
    status: active                 # draft | testing (shadow) | active | deprecated
    subject: enterprise            # the table whose rows are scored
    title: {zh: 企业冒烟指数, en: Enterprise smoke index}
    grades:                        # highest first; below the last one: no grade
      - {code: red, min: 75, label: {zh: 红色, en: Red}}
      - {code: orange, min: 50, label: {zh: 橙色, en: Orange}}
    dimensions:
      - id: compliance
        title: {zh: 合规性, en: Compliance}
        cap: 30                    # the dimension never adds more than this
        components:
          - id: restricted_name
            title: {zh: 名称含金融字样, en: Financial words in the name}
            rule: SW-R-0001
            bands: {restricted: 20, needs_approval: 8}
          - id: enterprise_model
            title: {zh: 模型概率, en: Model probability}
            model: enterprise-risk
            points: 20             # × the model's probability
    qualifiers:
      - id: licensed
        title: {zh: 持牌机构, en: Licensed institution}
        rule: SW-R-0005
        dimensions: [compliance]
        factor: 0.5
        reason: {zh: 持有有效金融许可证, en: Holds a valid financial licence}

How points add up (:mod:`smokewatch.score.index` computes it): a rule component gives the
points of the strongest band found, plus ``each_more`` for every further finding, up to its
``max``; a model component gives ``points × probability`` (nothing below
``min_probability``). A dimension adds its components up to its ``cap`` and is multiplied by
the ``factor`` of every qualifier that applies to the entity. The index is the sum of the
dimensions, at most 100, raised to the ``min_grade`` floor of any component found. Every step
is a line of the explanation, so the contributions always add up to the index.

This module defines the schema (pydantic, strict) and loading with ``path:line`` errors;
linting against the rules lives in :mod:`smokewatch.score.lint`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from smokewatch.detect.spec import RULE_ID, Status, Text
from smokewatch.errors import ConfigError, Location, Problem
from smokewatch.model._yaml import load_yaml_text, package_dir, validation_problems

SCORECARD_ID = re.compile(r"^[A-Z]{2,8}-S-\d{4}$")
_KEY = r"^[a-z][a-z0-9_]*$"
_MODEL = r"^[a-z][a-z0-9-]*$"

MAX_INDEX = 100.0
"""The smoke index runs from 0 to this."""

NO_GRADE = "none"
"""The grade of an index below every threshold."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Grade(_Strict):
    """A warning grade: the index from ``min`` up (to the next grade) earns it."""

    code: str = Field(pattern=_KEY)
    min: float = Field(gt=0, le=MAX_INDEX)
    label: Text
    doc: str = ""


class Component(_Strict):
    """One input of a dimension: a rule's bands or a model's probability."""

    id: str = Field(pattern=_KEY)
    title: Text
    rule: str | None = Field(default=None, pattern=RULE_ID.pattern)
    """A rule whose findings count; ``bands`` gives the points of each band."""
    bands: dict[str, float] | None = None
    each_more: float = Field(default=0.0, ge=0)
    """Points for every further finding of the rule after the strongest (several ads)."""
    via: Literal["subject", "document", "account"] = "subject"
    """``document``: findings on documents count for the entity the document is about;
    ``account``: findings on bank accounts count for the enterprise holding the account (the
    account's ``enterprise_uscc``)."""
    model: str | None = Field(default=None, pattern=_MODEL)
    """A model whose probability counts: ``points × probability``."""
    points: float | None = Field(default=None, gt=0)
    min_probability: float = Field(default=0.0, ge=0, lt=1)
    max: float | None = Field(default=None, gt=0)
    """At most this many points from the component (default: its strongest band or points)."""
    min_grade: str | None = Field(default=None, pattern=_KEY)
    """A finding of this component puts the entity in at least this grade."""
    doc: str = ""

    @model_validator(mode="after")
    def _one_source(self) -> Component:
        if (self.rule is None) == (self.model is None):
            raise ValueError("a component reads exactly one of `rule` or `model`")
        if self.rule is not None:
            if not self.bands:
                raise ValueError("a rule component needs `bands` (band code: points)")
            if self.points is not None or self.min_probability:
                raise ValueError("`points` and `min_probability` are for model components")
            if any(p < 0 for p in self.bands.values()):
                raise ValueError("band points cannot be negative (use a qualifier to lower risk)")
        else:
            if self.points is None:
                raise ValueError("a model component needs `points` (awarded at probability 1)")
            if self.bands is not None or self.each_more or self.via != "subject":
                raise ValueError("`bands`, `each_more` and `via` are for rule components")
        if self.each_more and self.max is None:
            raise ValueError("`each_more` needs a `max` for the component")
        return self

    @property
    def ceiling(self) -> float:
        """The most points this component can give."""
        if self.max is not None:
            return self.max
        if self.points is not None:
            return self.points
        return max((self.bands or {}).values(), default=0.0)

    @property
    def source(self) -> str:
        """``rule SW-R-0001`` or ``model enterprise-risk``."""
        return f"rule {self.rule}" if self.rule else f"model {self.model}"


class Dimension(_Strict):
    """A group of components with a cap (合规性, 收益率偏离度, 利诱性 …)."""

    id: str = Field(pattern=_KEY)
    title: Text
    cap: float = Field(gt=0, le=MAX_INDEX)
    components: list[Component] = Field(min_length=1)
    doc: str = ""


class Qualifier(_Strict):
    """A finding that lowers risk in some dimensions, with the reason shown to the analyst."""

    id: str = Field(pattern=_KEY)
    title: Text
    rule: str = Field(pattern=RULE_ID.pattern)
    bands: list[str] | None = None
    """The bands that qualify (default: any finding of the rule)."""
    dimensions: list[str] = Field(min_length=1)
    factor: float = Field(ge=0, lt=1)
    """The dimensions are multiplied by this (0.5 halves them)."""
    reason: Text


class ScorecardSpec(_Strict):
    """The schema of a scorecard file."""

    id: str = Field(pattern=SCORECARD_ID.pattern)
    version: int = Field(ge=1)
    name: str = Field(pattern=_KEY)
    status: Status
    subject: str = Field(pattern=_KEY)
    title: Text
    description: Text | None = None
    grades: list[Grade] = Field(min_length=1)
    alert_from: str | None = Field(default=None, pattern=_KEY)
    """The lowest grade that raises an alert (default: the highest grade)."""
    dimensions: list[Dimension] = Field(min_length=1)
    qualifiers: list[Qualifier] = []
    owner: str | None = None
    tags: list[str] = []

    @model_validator(mode="after")
    def _consistent(self) -> ScorecardSpec:
        mins = [g.min for g in self.grades]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("grades go from the highest `min` to the lowest, all different")
        _unique("grade", [g.code for g in self.grades])
        _unique("dimension", [d.id for d in self.dimensions])
        _unique("component", [c.id for d in self.dimensions for c in d.components])
        _unique("qualifier", [q.id for q in self.qualifiers])
        codes = {g.code for g in self.grades}
        if self.alert_from is not None and self.alert_from not in codes:
            raise ValueError(f"alert_from {self.alert_from!r} is no grade")
        for component in self.components:
            if component.min_grade is not None and component.min_grade not in codes:
                raise ValueError(f"{component.id}: min_grade {component.min_grade!r} is no grade")
        dimensions = {d.id for d in self.dimensions}
        for qualifier in self.qualifiers:
            unknown = sorted(set(qualifier.dimensions) - dimensions)
            if unknown:
                raise ValueError(f"{qualifier.id}: unknown dimensions {unknown}")
        return self

    @property
    def runs_in_production(self) -> bool:
        """Active cards score live; testing cards score in shadow; others never run."""
        return self.status in {Status.ACTIVE, Status.TESTING}

    @property
    def components(self) -> list[Component]:
        """Every component of every dimension, in file order."""
        return [c for d in self.dimensions for c in d.components]

    def grade_of(self, index: float) -> Grade | None:
        """The highest grade whose ``min`` the index reaches, or ``None``."""
        return next((g for g in self.grades if index >= g.min), None)

    @property
    def alert_grade(self) -> str:
        """The lowest grade that raises an alert."""
        return self.alert_from or self.grades[0].code

    def grade(self, code: str) -> Grade:
        """The grade with this code."""
        return next(g for g in self.grades if g.code == code)


def _unique(what: str, ids: list[str]) -> None:
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate {what} ids: {duplicates}")


@dataclass(frozen=True, slots=True)
class Scorecard:
    """A loaded scorecard: its spec, where it came from, and its content hash."""

    spec: ScorecardSpec
    origin: str
    content_hash: str

    @property
    def key(self) -> str:
        """``id@version``."""
        return f"{self.spec.id}@{self.spec.version}"


def parse_scorecard(text: str, origin: str) -> Scorecard:
    """Validate a scorecard file's text.

    Raises:
        ConfigError: with every problem, located at its line in the file.
    """
    raw = load_yaml_text(text, origin)
    try:
        spec = ScorecardSpec.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(validation_problems(exc, origin, text)) from exc
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Scorecard(spec, origin, digest)


def _files(folder: Traversable) -> list[Traversable]:
    if not folder.is_dir():
        return []
    names = (n for n in folder.iterdir() if n.name.endswith((".yml", ".yaml")))
    return sorted(names, key=lambda n: n.name)


def load_scorecards(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Scorecard]:
    """The packaged scorecards, then those of ``extra_dirs`` (a workspace's ``scorecards/``).

    A scorecard with the same id in a later folder replaces the earlier one. Two files with
    the same id in one folder are an error.

    Raises:
        ConfigError: every problem of every file.
    """
    folders: list[Traversable] = [package_dir("smokewatch.rulepacks", "core", "scorecards")]
    folders += [Path(d) for d in extra_dirs]
    cards: dict[str, Scorecard] = {}
    problems: list[Problem] = []
    for folder in folders:
        seen: dict[str, str] = {}
        for node in _files(folder):
            try:
                card = parse_scorecard(node.read_text(encoding="utf-8"), str(node))
            except ConfigError as exc:
                problems.extend(exc.problems)
                continue
            except yaml.YAMLError as exc:  # pragma: no cover - load_yaml_text wraps these
                problems.append(Problem(f"invalid YAML: {exc}", Location(str(node))))
                continue
            if card.spec.id in seen:
                problems.append(
                    Problem(f"{card.spec.id} is also defined in {seen[card.spec.id]}", None)
                )
            seen[card.spec.id] = card.origin
            cards[card.spec.id] = card
    if problems:
        raise ConfigError(problems)
    return cards


__all__ = [
    "MAX_INDEX",
    "NO_GRADE",
    "SCORECARD_ID",
    "Component",
    "Dimension",
    "Grade",
    "Qualifier",
    "Scorecard",
    "ScorecardSpec",
    "load_scorecards",
    "parse_scorecard",
]
