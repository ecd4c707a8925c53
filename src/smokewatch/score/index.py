"""The smoke index of one entity: points from findings and models, capped, qualified, graded.

:func:`smoke_index` applies a :class:`~smokewatch.score.scorecard.ScorecardSpec` to what is
known about one entity — the rule findings that reached it (:class:`RuleHit`) and the model
probabilities (:class:`ModelHit`) — and returns a :class:`SmokeIndex` whose contributions add
up *exactly* to the index: one line per counted finding or probability, and one line per cap,
qualifier, ceiling or floor, each with its reason in Chinese and English. Arithmetic is in
decimals rounded to 0.01 at every step, so what the analyst adds up is what the system did.

Monotone by construction: a further finding or a higher probability never lowers a component
(strongest band plus ``each_more``, capped), a cap or a factor keeps the order of what it
caps, and a floor only raises. Only qualifiers lower the index, and they say why.

Examples:
    >>> from smokewatch.score.scorecard import load_scorecards
    >>> card = load_scorecards()["SW-S-0001"].spec
    >>> hit = RuleHit("SW-R-0102", 1, "guarantee", "f1", "承诺保本保息", "Promises principal")
    >>> result = smoke_index(card, "9134…", rules=[hit])
    >>> result.index == sum(c.points for c in result.contributions)
    True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from smokewatch.score.scorecard import (
    MAX_INDEX,
    NO_GRADE,
    Component,
    Dimension,
    ScorecardSpec,
)

CENT = Decimal("0.01")
ContributionKind = Literal["component", "cap", "qualifier", "ceiling", "floor"]


def _d(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A finding of a rule that reached the entity (on it, or on a document about it)."""

    rule_id: str
    rule_version: int
    band: str
    finding_id: str
    reason_zh: str
    reason_en: str
    via: Literal["subject", "document", "account"] = "subject"


@dataclass(frozen=True, slots=True)
class ModelHit:
    """A model's probability for the entity, with the model's own top reasons."""

    model: str
    version: str
    probability: float
    reasons: tuple[str, ...] = ()
    prediction_id: str | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    """One line of the explanation; the lines of a result add up to its index."""

    kind: ContributionKind
    points: Decimal
    reason_zh: str
    reason_en: str
    dimension: str | None = None
    component: str | None = None
    source: str | None = None
    """``SW-R-0102@1``, ``model enterprise-risk@<version>`` or ``qualifier <id>``."""
    evidence: tuple[str, ...] = ()
    """Finding or prediction ids behind the line."""
    band: str | None = None
    probability: float | None = None


@dataclass(frozen=True, slots=True)
class SmokeIndex:
    """The index of one entity under one scorecard, with every contribution."""

    subject_id: str
    scorecard: str
    """``id@version``."""
    index: Decimal
    grade: str
    dimensions: dict[str, Decimal]
    contributions: tuple[Contribution, ...] = field(default=())

    @property
    def top_reasons(self) -> list[Contribution]:
        """The component lines with the most points, strongest first."""
        lines = [c for c in self.contributions if c.kind == "component" and c.points > 0]
        return sorted(lines, key=lambda c: (-c.points, c.component or ""))


def _rule_lines(component: Component, hits: Sequence[RuleHit]) -> list[Contribution]:
    bands = component.bands or {}
    found = [h for h in hits if h.band in bands]
    found.sort(key=lambda h: (-bands[h.band], h.finding_id))
    ceiling, total = _d(component.ceiling), Decimal(0)
    lines = []
    for rank, hit in enumerate(found):
        wanted = _d(bands[hit.band]) if rank == 0 else _d(component.each_more)
        points = min(wanted, ceiling - total)
        if points <= 0:
            continue
        total += points
        lines.append(
            Contribution(
                "component",
                points,
                hit.reason_zh,
                hit.reason_en,
                component=component.id,
                source=f"{hit.rule_id}@{hit.rule_version}",
                evidence=(hit.finding_id,),
                band=hit.band,
            )
        )
    return lines


def _model_line(component: Component, hits: Sequence[ModelHit]) -> list[Contribution]:
    found = [h for h in hits if h.model == component.model]
    if not found:
        return []
    best = max(found, key=lambda h: (h.probability, h.version))
    if best.probability < component.min_probability:
        return []
    probability = min(max(best.probability, 0.0), 1.0)
    points = min(_d((component.points or 0.0) * probability), _d(component.ceiling))
    if points <= 0:
        return []
    because = "；".join(best.reasons[:3])
    return [
        Contribution(
            "component",
            points,
            f"模型 {best.model} 估计风险概率 {probability:.0%}"
            + (f"：{because}" if because else ""),
            f"Model {best.model} puts the risk at {probability:.0%}"
            + (f": {'; '.join(best.reasons[:3])}" if best.reasons else ""),
            component=component.id,
            source=f"model {best.model}@{best.version}",
            evidence=(best.prediction_id,) if best.prediction_id else (),
            probability=probability,
        )
    ]


def _dimension(
    card: ScorecardSpec,
    dimension: Dimension,
    rules: Sequence[RuleHit],
    models: Sequence[ModelHit],
) -> tuple[Decimal, list[Contribution]]:
    lines: list[Contribution] = []
    for component in dimension.components:
        if component.rule is not None:
            hits = [h for h in rules if h.rule_id == component.rule and h.via == component.via]
            found = _rule_lines(component, hits)
        else:
            found = _model_line(component, models)
        lines += [_with_dimension(line, dimension.id) for line in found]
    value = sum((line.points for line in lines), Decimal(0))
    cap = _d(dimension.cap)
    if value > cap:
        lines.append(
            Contribution(
                "cap",
                cap - value,
                f"“{dimension.title.zh}”维度最多计 {cap} 分",
                f"The dimension “{dimension.title.en}” counts at most {cap} points",
                dimension=dimension.id,
            )
        )
        value = cap
    for qualifier in card.qualifiers:
        if dimension.id not in qualifier.dimensions:
            continue
        evidence = tuple(
            h.finding_id
            for h in rules
            if h.rule_id == qualifier.rule
            and (qualifier.bands is None or h.band in qualifier.bands)
        )
        if not evidence or value <= 0:
            continue
        lowered = (value * Decimal(str(qualifier.factor))).quantize(CENT, ROUND_HALF_UP)
        lines.append(
            Contribution(
                "qualifier",
                lowered - value,
                f"{qualifier.reason.zh}（“{dimension.title.zh}”×{qualifier.factor}）",
                f"{qualifier.reason.en} (“{dimension.title.en}” × {qualifier.factor})",
                dimension=dimension.id,
                source=f"qualifier {qualifier.id}",
                evidence=evidence,
            )
        )
        value = lowered
    return value, lines


def _with_dimension(line: Contribution, dimension: str) -> Contribution:
    return Contribution(
        line.kind,
        line.points,
        line.reason_zh,
        line.reason_en,
        dimension=dimension,
        component=line.component,
        source=line.source,
        evidence=line.evidence,
        band=line.band,
        probability=line.probability,
    )


def _floor(card: ScorecardSpec, lines: Iterable[Contribution]) -> tuple[str, str] | None:
    """The highest ``min_grade`` among the components found, with the component's title."""
    by_id = {c.id: c for c in card.components}
    floors = [
        (card.grade(component.min_grade), component)
        for line in lines
        if line.kind == "component" and line.component is not None
        for component in [by_id[line.component]]
        if component.min_grade is not None
    ]
    if not floors:
        return None
    grade, component = max(floors, key=lambda f: f[0].min)
    return grade.code, component.id


def smoke_index(
    card: ScorecardSpec,
    subject_id: str,
    *,
    rules: Sequence[RuleHit] = (),
    models: Sequence[ModelHit] = (),
    version: int | None = None,
) -> SmokeIndex:
    """The smoke index of ``subject_id`` under ``card`` (see the module docstring)."""
    dimensions: dict[str, Decimal] = {}
    lines: list[Contribution] = []
    for dimension in card.dimensions:
        value, found = _dimension(card, dimension, rules, models)
        dimensions[dimension.id] = value
        lines += found
    total = sum(dimensions.values(), Decimal(0))
    ceiling = _d(MAX_INDEX)
    if total > ceiling:
        lines.append(
            Contribution("ceiling", ceiling - total, "指数最高 100", "The index is at most 100")
        )
        total = ceiling
    floor = _floor(card, lines)
    if floor is not None:
        grade = card.grade(floor[0])
        minimum = _d(grade.min)
        if total < minimum:
            title = next(c.title for c in card.components if c.id == floor[1])
            lines.append(
                Contribution(
                    "floor",
                    minimum - total,
                    f"“{title.zh}”至少为{grade.label.zh}预警",
                    f"“{title.en}” puts the entity at least at {grade.label.en}",
                    component=floor[1],
                )
            )
            total = minimum
    reached = card.grade_of(float(total))
    return SmokeIndex(
        subject_id=subject_id,
        scorecard=f"{card.id}@{version if version is not None else card.version}",
        index=total,
        grade=reached.code if reached is not None else NO_GRADE,
        dimensions=dimensions,
        contributions=tuple(lines),
    )


__all__ = [
    "CENT",
    "Contribution",
    "ContributionKind",
    "ModelHit",
    "RuleHit",
    "SmokeIndex",
    "smoke_index",
]
