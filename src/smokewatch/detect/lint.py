"""``smokewatch rules lint``: checks on loaded rules, one class per kind of problem.

Every check runs on every rule and all issues are reported together (pySigma validators). An
``error`` blocks a rule from running; a ``warning`` is advice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from sqlglot.errors import ParseError

from smokewatch.detect.compile import (
    BUILTIN_PARAMS,
    band_condition,
    condition_columns,
    condition_parameters,
    language_neutral,
    template_fields,
    transpiles,
)
from smokewatch.detect.fixtures import fixture_table
from smokewatch.detect.rules import RULE_FILE, Rule
from smokewatch.detect.spec import Status
from smokewatch.engine.sql import placeholders, referenced_tables
from smokewatch.errors import InvalidInput, RuleError
from smokewatch.model.tables import load_tables
from smokewatch.model.vocab import get_vocabulary

ENGINE_DIALECTS: tuple[str, ...] = ("duckdb", "spark")
"""Dialects every SQL body must transpile to."""


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found by a check."""

    rule_ref: str
    code: str
    severity: Literal["error", "warning"]
    message: str
    location: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity} {self.code} [{self.rule_ref}] {self.message}"


@dataclass(frozen=True, slots=True)
class LintContext:
    """What checks may consult: known tables, typologies, lexicons and target dialects."""

    tables: frozenset[str]
    typologies: frozenset[str]
    lexicons: frozenset[str]
    dialects: tuple[str, ...] = ENGINE_DIALECTS
    notes: list[str] = field(default_factory=list)

    @classmethod
    def default(cls, lexicons: Iterable[str]) -> LintContext:
        """Context from the shipped tables and typology vocabulary."""
        return cls(
            tables=frozenset(load_tables()),
            typologies=frozenset(get_vocabulary("typology").terms),
            lexicons=frozenset(lexicons),
        )


class Check:
    """Base class of lint checks."""

    code: ClassVar[str]
    severity: ClassVar[Literal["error", "warning"]] = "error"

    def run(self, rule: Rule, ctx: LintContext) -> Iterable[str]:
        """Messages for the problems this check finds in ``rule``."""
        raise NotImplementedError

    def issues(self, rule: Rule, ctx: LintContext) -> list[Issue]:
        """The check's findings as :class:`Issue` objects."""
        location = f"{rule.folder / RULE_FILE}"
        return [
            Issue(rule.ref, self.code, self.severity, message, location)
            for message in self.run(rule, ctx)
        ]


class ReferencesForActiveRules(Check):
    """Active rules must cite their legal basis."""

    code = "references"

    def run(self, rule: Rule, ctx: LintContext) -> Iterable[str]:
        if rule.spec.status == Status.ACTIVE and not rule.spec.references:
            yield "an active rule needs at least one reference (its legal basis)"


class FalsePositivesDocumented(Check):
    """Analysts should know when a rule fires although nothing is wrong."""

    code = "falsepositives"
    severity = "warning"

    def run(self, rule: Rule, ctx: LintContext) -> Iterable[str]:
        if not rule.spec.falsepositives:
            yield "no known false positives listed"


class KnownTypologies(Check):
    """Typology keys come from the typology vocabulary."""

    code = "typology"

    def run(self, rule: Rule, ctx: LintContext) -> Iterable[str]:
        for key in rule.spec.typology:
            if key not in ctx.typologies:
                yield f"unknown typology {key!r}"


class KnownInputs(Check):
    """Subject, input tables and lexicons exist."""

    code = "inputs"

    def run(self, rule: Rule, ctx: LintContext) -> Iterable[str]:
        spec = rule.spec
        if spec.subject not in ctx.tables:
            yield f"unknown subject table {spec.subject!r}"
        for table in spec.inputs.tables:
            if table not in ctx.tables:
                yield f"unknown input table {table!r}"
        for lexicon in spec.inputs.lexicons:
            if lexicon not in ctx.lexicons:
                yield f"unknown lexicon {lexicon!r}"


class ParameterDefaults(Check):
    """Defaults have the declared type and lie within their bounds."""

    code = "parameters"

    def run(self, rule: Rule, ctx: LintContext) -> Iterable[str]:
        for name, param in rule.spec.parameters.items():
            try:
                param.coerce(param.default)
            except ValueError as exc:
                yield f"default of parameter {name!r}: {exc}"
        clash = set(rule.spec.parameters) & BUILTIN_PARAMS
        if clash:
            yield f"parameters {sorted(clash)} are built in and cannot be declared"


class SqlBody(Check):
    """SQL reads only declared inputs, binds only declared parameters, and transpiles."""

    code = "sql"

    def run(self, rule: Rule, ctx: LintContext) -> Iterable[str]:
        tree = rule.sql_tree
        if tree is None:
            return
        spec = rule.spec
        allowed_tables = set(spec.inputs.tables) | set(spec.inputs.lexicons)
        for table in sorted(referenced_tables(tree) - allowed_tables):
            yield f"SQL reads {table!r}, which inputs do not declare"
        allowed_params = set(spec.parameters) | BUILTIN_PARAMS
        for name in sorted(placeholders(tree) - allowed_params):
            yield f"SQL uses parameter :{name}, which is not declared"
        for dialect, error in transpiles(tree, ctx.dialects).items():
            yield f"SQL does not transpile to {dialect}: {error}"


class PythonBody(Check):
    """The Python body can be imported."""

    code = "python"

    def run(self, rule: Rule, ctx: LintContext) -> Iterable[str]:
        if rule.spec.logic.python is None:
            return
        try:
            rule.load_function()
        except (RuleError, ImportError) as exc:
            yield str(exc)


class Bands(Check):
    """Band conditions parse and use only metrics and parameters."""

    code = "bands"

    def run(self, rule: Rule, ctx: LintContext) -> Iterable[str]:
        spec = rule.spec
        for band in spec.bands:
            try:
                condition = band_condition(band.when)
            except ParseError as exc:
                yield f"band {band.code}: condition does not parse: {exc}"
                continue
            for col in sorted(condition_columns(condition) - set(spec.metrics)):
                yield f"band {band.code}: condition uses {col!r}, which is not a declared metric"
            params = condition_parameters(condition) - set(spec.parameters) - BUILTIN_PARAMS
            for name in sorted(params):
                yield f"band {band.code}: condition uses undeclared parameter :{name}"


class ReasonTemplates(Check):
    """Reasons use only metrics and parameters, and say the same in both languages."""

    code = "reasons"

    def run(self, rule: Rule, ctx: LintContext) -> Iterable[str]:
        spec = rule.spec
        known = set(spec.metrics) | set(spec.parameters) | BUILTIN_PARAMS
        for band in spec.bands:
            zh, en = template_fields(band.reason.zh), template_fields(band.reason.en)
            for name in sorted((zh | en) - known):
                yield f"band {band.code}: reason uses unknown field {{{name}}}"
            if language_neutral(zh) != language_neutral(en):
                differ = sorted(language_neutral(zh) ^ language_neutral(en))
                yield f"band {band.code}: zh and en reasons use different fields ({differ})"


class Fixtures(Check):
    """Each rule has positive and negative fixtures that fit its inputs and bands."""

    code = "fixtures"

    def run(self, rule: Rule, ctx: LintContext) -> Iterable[str]:
        kinds = {f.kind for f in rule.fixtures}
        for kind in ("positive", "negative"):
            if kind not in kinds:
                yield f"no {kind} fixture"
        tables = load_tables()
        codes = {b.code for b in rule.spec.bands}
        for loaded in rule.fixtures:
            for name, rows in loaded.fixture.tables.items():
                if name not in rule.spec.inputs.tables:
                    yield f"{loaded.name}: table {name!r} is not an input"
                elif name in tables:
                    try:
                        fixture_table(tables[name], rows, loaded.origin)
                    except InvalidInput as exc:
                        yield f"{loaded.name}: {exc}"
            for expected in loaded.fixture.expect:
                if expected.band not in codes:
                    yield f"{loaded.name}: expects unknown band {expected.band!r}"


CHECKS: tuple[Check, ...] = (
    ReferencesForActiveRules(),
    FalsePositivesDocumented(),
    KnownTypologies(),
    KnownInputs(),
    ParameterDefaults(),
    SqlBody(),
    PythonBody(),
    Bands(),
    ReasonTemplates(),
    Fixtures(),
)


def lint_rules(rules: Sequence[Rule], ctx: LintContext) -> list[Issue]:
    """Run every check on every rule; errors first, then warnings."""
    issues = [issue for rule in rules for check in CHECKS for issue in check.issues(rule, ctx)]
    return sorted(issues, key=lambda i: (i.severity != "error", i.rule_ref, i.code))


__all__ = ["CHECKS", "ENGINE_DIALECTS", "Check", "Issue", "LintContext", "lint_rules"]
