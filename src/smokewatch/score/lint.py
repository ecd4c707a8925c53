"""Checks a scorecard must pass against the rules it reads before it may score.

Errors stop a score run; warnings are shown. Issues reuse :class:`smokewatch.detect.lint.Issue`
(``rule_ref`` holds the scorecard's ``id@version``), so ``smokewatch rules lint`` and
``smokewatch score lint`` print the same way.

=====================  =======  =============================================================
code                   level    what
=====================  =======  =============================================================
unknown-rule           error    a component or qualifier reads a rule that does not exist
unknown-band           error    a band the rule never gives (a typo would silently score 0)
wrong-subject          error    ``via: subject`` on a rule about another table, or ``via:
                                document`` (``account``) on a rule that is not about
                                documents (accounts)
inactive-rule          warning  the rule is not active (its findings are shadow: never count)
unknown-model          warning  no known model has this name (nothing will be loaded)
unreachable-grade      error    a grade's ``min`` is above what the dimensions can add up to
=====================  =======  =============================================================
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from smokewatch.detect.lint import Issue
from smokewatch.detect.rules import Rule
from smokewatch.detect.spec import Status
from smokewatch.score.scorecard import Scorecard

KNOWN_MODELS = frozenset({"enterprise-risk", "platform-risk"})
"""Models a scorecard may read (the tasks of ``smokewatch model train``)."""


def _issue(card: Scorecard, code: str, severity: str, message: str) -> Issue:
    if severity == "error":
        return Issue(card.key, code, "error", message, card.origin)
    return Issue(card.key, code, "warning", message, card.origin)


def _reads(card: Scorecard) -> Iterable[tuple[str, str, list[str] | None, str]]:
    """``(what, rule id, bands, via)`` for every component and qualifier reading a rule."""
    for component in card.spec.components:
        if component.rule is not None:
            bands = list((component.bands or {}).keys())
            yield f"component {component.id}", component.rule, bands, component.via
    for qualifier in card.spec.qualifiers:
        yield f"qualifier {qualifier.id}", qualifier.rule, qualifier.bands, "subject"


def lint_scorecard(card: Scorecard, rules: Mapping[str, Rule]) -> list[Issue]:
    """Every issue of one scorecard against the loaded rules (errors first)."""
    issues: list[Issue] = []
    spec = card.spec
    for what, rule_id, bands, via in _reads(card):
        rule = rules.get(rule_id)
        if rule is None:
            issues.append(_issue(card, "unknown-rule", "error", f"{what}: no rule {rule_id}"))
            continue
        known = {b.code for b in rule.spec.bands}
        for band in sorted(set(bands or []) - known):
            message = f"{what}: {rule_id} has no band {band!r} (it has {sorted(known)})"
            issues.append(_issue(card, "unknown-band", "error", message))
        expected = spec.subject if via == "subject" else via
        if rule.spec.subject != expected:
            message = (
                f"{what}: {rule_id} is about {rule.spec.subject}, "
                f"but `via: {via}` needs a rule about {expected}"
            )
            issues.append(_issue(card, "wrong-subject", "error", message))
        if rule.spec.status != Status.ACTIVE:
            message = f"{what}: {rule_id} is {rule.spec.status}; its findings do not count"
            issues.append(_issue(card, "inactive-rule", "warning", message))
    for component in spec.components:
        if component.model is not None and component.model not in KNOWN_MODELS:
            message = f"component {component.id}: no known model {component.model!r}"
            issues.append(_issue(card, "unknown-model", "warning", message))
    reachable = sum(min(d.cap, sum(c.ceiling for c in d.components)) for d in spec.dimensions)
    floors = {c.min_grade for c in spec.components if c.min_grade}
    for grade in spec.grades:
        if grade.min > min(reachable, 100.0) and grade.code not in floors:
            message = (
                f"grade {grade.code} needs {grade.min} but the dimensions add up to {reachable}"
            )
            issues.append(_issue(card, "unreachable-grade", "error", message))
    return sorted(issues, key=lambda i: (i.severity != "error", i.code, i.message))


__all__ = ["KNOWN_MODELS", "lint_scorecard"]
