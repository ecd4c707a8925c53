"""Running rules on an engine and turning their rows into Findings.

The same path serves every rule: the body (SQL or Python) becomes a session view, the band
``CASE`` is evaluated next to it by the engine, and only banded rows come back as Arrow. Reasons
are rendered here from the declared metrics and parameters, and every finding carries
``rule_id@version``, its band, its metrics and its evidence.
"""

from __future__ import annotations

import functools
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.detect.compile import banded_query, compile_reason, json_ready
from smokewatch.detect.rules import Rule
from smokewatch.detect.spec import RuleSpec, Status
from smokewatch.engine.sql import compile_sql, split_stages
from smokewatch.errors import InvalidInput, RuleError
from smokewatch.logs import get_logger
from smokewatch.model.ids import make_id
from smokewatch.model.tables import get_table
from smokewatch.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.base import BatchFn, Engine

log = get_logger(__name__)


class LexiconTable(Protocol):
    """What the runner needs of a lexicon: a name and its terms as an Arrow table."""

    @property
    def name(self) -> str:
        """The lexicon's name (the table name rules use)."""
        ...

    def to_arrow(self) -> pa.Table:
        """One row per term."""
        ...


@dataclass(frozen=True, slots=True)
class DetectorContext:
    """Everything a Python rule body may touch: declared inputs, parameters, the as-of date.

    A body never receives the engine's other tables; ``table()`` refuses names the rule did
    not declare, so ``inputs`` in ``rule.yml`` stays the truth about what a rule reads.
    """

    engine: Engine
    spec: RuleSpec
    as_of: date
    params: Mapping[str, Any]
    lexicons: Mapping[str, Any]
    memo: dict[str, Any] = field(default_factory=dict)
    """Steps shared by the rules of one run (see :meth:`shared`)."""

    def shared(self, key: str, build: Callable[[DetectorContext], ir.Table]) -> ir.Table:
        """A step several rules need, computed once per run (e.g. restricted-word analysis).

        ``build`` must depend only on the run's inputs and ``as_of``, never on one rule's
        parameters: the first rule to ask computes it, the others reuse it.
        """
        if key not in self.memo:
            self.memo[key] = build(self)
        table: ir.Table = self.memo[key]
        return table

    def table(self, name: str) -> ir.Table:
        """A declared input table (or lexicon table)."""
        if name not in self.spec.inputs.tables and name not in self.spec.inputs.lexicons:
            raise RuleError(f"{self.spec.ref} reads {name!r}, which its inputs do not declare")
        return self.engine.table(name)

    def lexicon(self, name: str) -> Any:
        """A declared lexicon as a Python object (for matchers)."""
        if name not in self.spec.inputs.lexicons:
            raise RuleError(f"{self.spec.ref} uses lexicon {name!r} without declaring it")
        return self.lexicons[name]

    def map_batches(self, expr: ir.Table, fn: BatchFn, schema: pa.Schema, *, step: str) -> ir.Table:
        """Run a Python step over Arrow batches (in process on DuckDB, on executors on Spark)."""
        return self.engine.map_batches(expr, fn, schema, name=f"{_slug(self.spec)}_{step}")


def _slug(spec: RuleSpec) -> str:
    return "__sw_" + spec.id.replace("-", "_").lower()


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """What one rule did in a run."""

    rule_id: str
    version: int
    content_hash: str
    status: str
    findings: int
    bands: Mapping[str, int]
    duration_s: float


@dataclass(frozen=True, slots=True)
class DetectResult:
    """Findings of a detect run (Arrow, in the ``finding`` schema) and per-rule outcomes."""

    run_id: str
    as_of: date
    engine: str
    findings: pa.Table
    outcomes: tuple[RuleOutcome, ...] = field(default_factory=tuple)


def prepare_inputs(engine: Engine, spec: RuleSpec, lexicons: Mapping[str, LexiconTable]) -> None:
    """Make sure every declared input exists: typed tables (empty if never loaded), lexicons."""
    for name in spec.inputs.tables:
        try:
            schema = get_table(name).arrow_schema()
        except KeyError as exc:
            raise RuleError(f"{spec.ref}: unknown input table {name!r}") from exc
        if not engine.has_table(name):
            engine.ensure_table(name, schema)
    for name in spec.inputs.lexicons:
        if name not in lexicons:
            raise RuleError(f"{spec.ref}: lexicon {name!r} is not available")
        engine.register(name, lexicons[name].to_arrow())


def _body(engine: Engine, rule: Rule, ctx: DetectorContext, staged: list[str]) -> ir.Table:
    """The body as an expression; materialised stages of a SQL body are named in ``staged``."""
    spec = rule.spec
    if rule.sql_tree is not None:
        params = {**ctx.params, "as_of": ctx.as_of}
        stages, rest = split_stages(rule.sql_tree, _slug(spec))
        for stage in stages:
            step = f"{spec.ref} stage {stage.cte}"
            query = compile_sql(stage.query, params, engine.dialect, step=step)
            staged.append(stage.table)
            engine.materialise(stage.table, engine.sql(query))
        return engine.sql(compile_sql(rest, params, engine.dialect, step=spec.ref))
    func = rule.load_function()
    result = func(ctx)
    if result is None:
        raise RuleError(f"{spec.ref}: the Python body returned nothing")
    return result


def run_rule(
    engine: Engine,
    rule: Rule,
    *,
    as_of: date,
    run_id: str,
    lexicons: Mapping[str, LexiconTable],
    overrides: Mapping[str, Any] | None = None,
    memo: dict[str, Any] | None = None,
) -> pa.Table:
    """Run one rule and return its findings in the ``finding`` schema.

    ``memo`` carries shared steps between the rules of one run; a lone rule gets a fresh one.
    """
    spec = rule.spec
    try:
        params = spec.bind_parameters(dict(overrides or {}))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    prepare_inputs(engine, spec, lexicons)
    ctx = DetectorContext(engine, spec, as_of, params, lexicons, memo if memo is not None else {})
    view = f"{_slug(spec)}_body"
    staged: list[str] = []
    try:
        body = engine.create_view(view, _body(engine, rule, ctx, staged))
        _check_output(spec, body.columns)
        query = compile_sql(
            banded_query(spec, view),
            {**params, "as_of": as_of},
            engine.dialect,
            step=f"{spec.ref} bands",
        )
        step = functools.partial(
            finding_batches,
            spec=spec,
            params=params,
            as_of=as_of,
            run_id=run_id,
            engine=engine.name,
            canonical_evidence=rule.sql_tree is not None,
        )
        expr = engine.map_batches(
            engine.sql(query), step, finding_step_schema(), name=f"{_slug(spec)}_findings"
        )
        findings = engine.to_arrow(expr, step=f"{spec.ref} findings")
    finally:
        for name in [view, *staged]:
            engine.drop_table(name)
    _check_one_per_subject(spec, findings)
    # Engines drop NOT NULL on the way back; the contract schema is restored here.
    contract = get_table("finding").arrow_schema()
    return findings.cast(contract).sort_by([("subject_id", "ascending")])


def _evidence(value: Any, *, canonical: bool) -> str:
    """Evidence as a JSON list.

    SQL bodies build evidence with engine functions (``to_json``, list aggregates) whose
    formatting and order differ between engines, so their evidence is made canonical: items
    re-serialised and sorted. Python bodies write their evidence themselves, identically on
    every engine, and it is kept as written.
    """
    if value is None:
        return "[]"
    if isinstance(value, str) and not canonical:
        return value if value.startswith("[") else "[" + value + "]"
    if isinstance(value, str):
        parsed = json.loads(value)
        items = parsed if isinstance(parsed, list) else [parsed]
    else:
        items = [json_ready(i) for i in (value if isinstance(value, list | tuple) else [value])]
    dumped = sorted(json.dumps(i, ensure_ascii=False, sort_keys=True) for i in items)
    return "[" + ", ".join(dumped) + "]"


def _json_default(value: Any) -> Any:
    """JSON for the few non-JSON values Python bodies emit (dates, decimals)."""
    return json_ready(value)


def finding_step_schema() -> pa.Schema:
    """The finding columns without NOT NULL flags (engines drop them in transit anyway)."""
    return pa.schema([pa.field(f.name, f.type) for f in get_table("finding").arrow_schema()])


def finding_batches(
    batches: Iterator[pa.RecordBatch],
    *,
    spec: RuleSpec,
    params: Mapping[str, Any],
    as_of: date,
    run_id: str,
    engine: str,
    canonical_evidence: bool = True,
) -> Iterator[pa.RecordBatch]:
    """Turn banded body rows into Findings (a picklable step that runs next to the data).

    Reasons are rendered from the declared metrics and the parameters. Metrics and evidence
    of SQL bodies are made canonical (lists sorted), because engines aggregate in different
    orders; Python bodies produce them deterministically and they are kept as produced.
    Columns that do not vary per row are built once per batch.
    """
    bands = {
        b.code: (
            compile_reason(b.reason.zh, "zh"),
            compile_reason(b.reason.en, "en"),
            str(b.severity or spec.severity),
        )
        for b in spec.bands
    }
    schema = finding_step_schema()
    metric_names = list(spec.metrics)
    day = as_of.isoformat()
    for batch in batches:
        n = batch.num_rows
        names = batch.schema.names
        subjects = batch.column("subject_id").to_pylist()
        band_codes = batch.column("band").to_pylist()
        metric_columns = [batch.column(m).to_pylist() for m in metric_names]
        evidence = batch.column("evidence").to_pylist() if "evidence" in names else [None] * n
        ids, severities, zh_reasons, en_reasons, metrics_json, evidence_json = (
            [],
            [],
            [],
            [],
            [],
            [],
        )
        for i in range(n):
            zh, en, severity = bands[band_codes[i]]
            metrics = {m: col[i] for m, col in zip(metric_names, metric_columns, strict=True)}
            values = {**params, **metrics, "as_of": as_of}
            ids.append(make_id("fnd", spec.id, spec.version, subjects[i], day))
            severities.append(severity)
            zh_reasons.append(zh.render(values))
            en_reasons.append(en.render(values))
            plain = json_ready(metrics) if canonical_evidence else metrics
            metrics_json.append(
                json.dumps(plain, ensure_ascii=False, sort_keys=True, default=_json_default)
            )
            evidence_json.append(_evidence(evidence[i], canonical=canonical_evidence))
        columns = {
            "id": pa.array(ids, pa.string()),
            "subject_id": batch.column("subject_id"),
            "subject_table": pa.array([spec.subject] * n, pa.string()),
            "subject_name": (
                batch.column("subject_name")
                if "subject_name" in names
                else pa.nulls(n, pa.string())
            ),
            "rule_id": pa.array([spec.id] * n, pa.string()),
            "rule_version": pa.array([spec.version] * n, pa.int64()),
            "severity": pa.array(severities, pa.string()),
            "band": batch.column("band"),
            "reason_zh": pa.array(zh_reasons, pa.string()),
            "reason_en": pa.array(en_reasons, pa.string()),
            "metrics": pa.array(metrics_json, pa.string()),
            "evidence": pa.array(evidence_json, pa.string()),
            "as_of": pa.array([as_of] * n, pa.date32()),
            "shadow": pa.array([spec.status == Status.TESTING] * n, pa.bool_()),
            "run_id": pa.array([run_id] * n, pa.string()),
            "engine": pa.array([engine] * n, pa.string()),
        }
        arrays = [columns[f.name].cast(f.type) for f in schema]
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _check_output(spec: RuleSpec, columns: Sequence[str]) -> None:
    missing = {"subject_id", *spec.metrics} - set(columns)
    if missing:
        raise RuleError(f"{spec.ref}: the body does not output {sorted(missing)}")


def _check_one_per_subject(spec: RuleSpec, findings: pa.Table) -> None:
    subjects = findings.column("subject_id")
    if pc.count_distinct(subjects).as_py() != len(subjects):
        counts = pc.value_counts(subjects).to_pylist()
        dupes = sorted(c["values"] for c in counts if c["counts"] > 1)[:5]
        raise RuleError(f"{spec.ref}: the body must output one row per subject; repeated: {dupes}")


def run_rules(
    engine: Engine,
    rules: Sequence[Rule],
    *,
    as_of: date,
    run_id: str,
    lexicons: Mapping[str, LexiconTable],
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Progress = NO_PROGRESS,
) -> DetectResult:
    """Run every rule that runs in production (active, and testing in shadow)."""
    overrides = overrides or {}
    runnable = [r for r in rules if r.spec.runs_in_production]
    tables: list[pa.Table] = []
    outcomes: list[RuleOutcome] = []
    memo: dict[str, Any] = {}
    progress.start("detect", total=len(runnable))
    for rule in runnable:
        started = time.perf_counter()
        found = run_rule(
            engine,
            rule,
            as_of=as_of,
            run_id=run_id,
            lexicons=lexicons,
            overrides=overrides.get(rule.id),
            memo=memo,
        )
        duration = time.perf_counter() - started
        bands = Counter(found.column("band").to_pylist())
        outcomes.append(
            RuleOutcome(
                rule.id,
                rule.spec.version,
                rule.content_hash,
                str(rule.spec.status),
                found.num_rows,
                dict(sorted(bands.items())),
                round(duration, 3),
            )
        )
        log.info("rule_done", rule=rule.ref, findings=found.num_rows, seconds=round(duration, 3))
        tables.append(found)
        progress.advance()
    progress.finish()
    schema = get_table("finding").arrow_schema()
    findings = pa.concat_tables(tables) if tables else schema.empty_table()
    return DetectResult(run_id, as_of, engine.name, findings, tuple(outcomes))


__all__ = [
    "DetectResult",
    "DetectorContext",
    "LexiconTable",
    "RuleOutcome",
    "finding_batches",
    "finding_step_schema",
    "prepare_inputs",
    "run_rule",
    "run_rules",
]
