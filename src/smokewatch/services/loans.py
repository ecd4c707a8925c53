"""``smokewatch loans check``: cost every loan of a lender's book against the legal cap.

An inspector receives a loan book as two files — the contracts and their cash flows — and wants
to know, loan by loan, what the borrower really paid a year and whether it is above the cap
that applied on the contract date. No workspace is needed: the files are loaded into a scratch
engine through built-in source specs, with the same validation and row-level rejects as any
ingest, and the result is written as one CSV row per loan (atomically) plus the rejects.

Headers may be the table's column names (``contract_number``, ``flow_date`` …) or their
Chinese labels (合同编号, 发生日期 …); flow kinds may be written in Chinese (放款, 砍头息, 服务费 …,
the ``loan_flow_kind`` vocabulary's synonyms). CSV (UTF-8 or GBK/GB18030, detected), XLSX,
Parquet and JSON lines are read.
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from smokewatch.detect.loans.check import COST_SCHEMA, loan_costs
from smokewatch.engine import Engine, connect
from smokewatch.errors import InvalidInput, NotFound
from smokewatch.ingest.raw import ReadOptions, normalise_name
from smokewatch.ingest.readers import open_source_file
from smokewatch.ingest.runner import IngestResult, ingest_source
from smokewatch.ingest.spec import SourceSpec, parse_source_spec
from smokewatch.model.tables import get_table
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.settings import EngineSettings

MAX_REPORTED_REJECTS = 20

LOAN_COLUMNS = (
    "lender_uscc",
    "lender_name",
    "contract_number",
    "borrower_hash",
    "borrower_name",
    "principal",
    "contract_date",
    "maturity_date",
    "nominal_rate",
    "collateral",
    "status",
)
LOAN_REQUIRED = ("lender_uscc", "contract_number", "principal", "contract_date")
FLOW_COLUMNS = (
    "lender_uscc",
    "contract_number",
    "flow_number",
    "flow_date",
    "kind",
    "amount",
    "payee",
)
FLOW_REQUIRED = ("lender_uscc", "contract_number", "flow_date", "kind", "amount")


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """How one input file loaded."""

    file: Path
    encoding: str | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int


@dataclass(frozen=True, slots=True)
class LenderSummary:
    """One lender's book at a glance."""

    lender_uscc: str
    loans: int
    costed: int
    over_cap: int
    max_apr: float | None
    principal_over_cap: float


@dataclass(frozen=True, slots=True)
class LoanCheckReport:
    """What ``loans check`` read and found."""

    out: Path
    rejects_out: Path | None
    engine: str
    as_of: date | None
    loans: LoadSummary
    flows: LoadSummary
    rejects: tuple[dict[str, Any], ...]
    """The first rejects (file, row, column, reason), at most :data:`MAX_REPORTED_REJECTS`."""
    by_status: Mapping[str, int]
    over_cap: int
    lenders: tuple[LenderSummary, ...]
    seconds: Mapping[str, float] = field(default_factory=dict)

    @property
    def checked(self) -> int:
        """Loans written to the output."""
        return sum(self.by_status.values())


def check_loan_files(
    loans: Path,
    flows: Path,
    out: Path,
    *,
    as_of: date | None = None,
    engine_url: str | None = None,
    settings: EngineSettings | None = None,
    progress: Progress = NO_PROGRESS,
) -> LoanCheckReport:
    """Cost every loan of ``loans`` from its flows in ``flows``; write one row per loan to ``out``.

    ``as_of`` leaves out loans contracted after that day. Rejected input rows are written next
    to ``out`` as ``<out>.rejects.csv`` (file, row, column, reason, raw row); ``out`` is
    replaced atomically and left untouched when anything fails.

    Raises:
        NotFound: an input file does not exist.
        InvalidInput: a file is unreadable, lacks a required column, or ``out``'s folder is missing.
    """
    for path in (loans, flows):
        if not path.is_file():
            raise NotFound(f"no such file: {path}")
    if not out.parent.is_dir():
        raise InvalidInput(f"the output folder does not exist: {out.parent}")
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    settings = settings or EngineSettings(spark_shuffle_partitions=4)
    with _scratch_engine(engine_url, settings) as engine:
        loan_load = _load(
            engine,
            "loan",
            path=loans,
            columns=LOAN_COLUMNS,
            required=LOAN_REQUIRED,
            progress=progress,
        )
        flow_load = _load(
            engine,
            "loan_flow",
            path=flows,
            columns=FLOW_COLUMNS,
            required=FLOW_REQUIRED,
            progress=progress,
        )
        seconds["load"] = round(time.perf_counter() - started, 2)
        step = time.perf_counter()
        costs = loan_costs(
            engine.table("loan"),
            engine.table("loan_flow"),
            lambda expr, fn, schema: engine.map_batches(expr, fn, schema, name="loan_costs"),
        )
        if as_of is not None:
            costs = costs.filter(costs.contract_date <= as_of)
        engine.replace_tables({"loan_cost": costs.order_by(["lender_uscc", "contract_number"])})
        table = engine.to_arrow(engine.table("loan_cost"), step="loan_costs")
        seconds["cost"] = round(time.perf_counter() - step, 2)
        engine_name = engine.name
    step = time.perf_counter()
    _write_csv(table.cast(COST_SCHEMA), out)
    rejects_out = _write_rejects(out, [(loans, loan_load), (flows, flow_load)])
    seconds["write"] = round(time.perf_counter() - step, 2)
    seconds["total"] = round(time.perf_counter() - started, 2)
    return LoanCheckReport(
        out=out,
        rejects_out=rejects_out,
        engine=engine_name,
        as_of=as_of,
        loans=_summary(loans, loan_load),
        flows=_summary(flows, flow_load),
        rejects=_first_rejects([(loans, loan_load), (flows, flow_load)]),
        by_status=_count(table.column("status").to_pylist()),
        over_cap=int(sum(1 for v in table.column("over_cap").to_pylist() if v)),
        lenders=_lenders(table),
        seconds=seconds,
    )


@contextmanager
def _scratch_engine(engine_url: str | None, settings: EngineSettings) -> Iterator[Engine]:
    with tempfile.TemporaryDirectory(prefix="sw-loans-") as scratch:
        engine = connect(engine_url or "duckdb://:memory:", settings, data_dir=Path(scratch))
        try:
            yield engine
        finally:
            engine.close()


def _header_names(table_name: str, path: Path, columns: Sequence[str]) -> dict[str, str]:
    """Target column → header name found in the file (the column name or its Chinese label)."""
    opened = open_source_file(path, ReadOptions(), columns=())
    header = {normalise_name(h): h for h in opened.header}
    table = get_table(table_name)
    found: dict[str, str] = {}
    for name in columns:
        label = table.column(name).label_zh
        for candidate in (name, label):
            if candidate and normalise_name(candidate) in header:
                found[name] = header[normalise_name(candidate)]
                break
    return found


def _spec(table: str, path: Path, columns: Sequence[str], required: Sequence[str]) -> SourceSpec:
    found = _header_names(table, path, columns)
    missing = [c for c in required if c not in found]
    if missing:
        schema = get_table(table)
        wanted = ", ".join(f"{c} ({schema.column(c).label_zh})" for c in missing)
        raise InvalidInput(f"{path.name}: columns missing from the header: {wanted}")
    key: list[Any] = [["lender_uscc", "contract_number"]]
    if table == "loan_flow":
        # A book that numbers its flows keys them by number; otherwise two identical flows
        # (same loan, day, kind and amount) are one.
        key = [["lender_uscc", "contract_number", "flow_date", "kind", "amount"]]
        if "flow_number" in found:
            key.insert(0, ["lender_uscc", "contract_number", "flow_number"])
    spec = {
        "id": table,
        "title": {"zh": get_table(table).title_zh, "en": get_table(table).title_en},
        "publisher": "loans check",
        "licence": "internal",
        "pii": "personal",
        "table": table,
        "location": str(path),
        "id_prefix": table,
        "key": key,
        "columns": found,
    }
    return parse_source_spec(spec, origin=f"{table} (built in)")


def _load(
    engine: Engine,
    table: str,
    *,
    path: Path,
    columns: Sequence[str],
    required: Sequence[str],
    progress: Progress,
) -> IngestResult:
    spec = _spec(table, path, columns, required)
    now = datetime.now(UTC)
    return ingest_source(
        engine,
        spec,
        file=path,
        run_id=f"loans-{table}-{now:%Y%m%dT%H%M%S}",
        now=now,
        batch_size=262_144,
        within_adcode=None,
        progress=progress,
    )


def _summary(path: Path, result: IngestResult) -> LoadSummary:
    return LoadSummary(
        path, result.encoding, result.rows_read, result.rows_loaded, result.rows_rejected
    )


def _first_rejects(loads: Sequence[tuple[Path, IngestResult]]) -> tuple[dict[str, Any], ...]:
    rows: list[dict[str, Any]] = []
    for path, result in loads:
        for reject in result.rejects.select(["row_number", "column", "reason"]).to_pylist():
            rows.append({"file": path.name, **reject})
            if len(rows) >= MAX_REPORTED_REJECTS:
                return tuple(rows)
    return tuple(rows)


def _write_rejects(out: Path, loads: Sequence[tuple[Path, IngestResult]]) -> Path | None:
    target = out.with_name(out.name + ".rejects.csv")
    if not any(result.rows_rejected for _, result in loads):
        target.unlink(missing_ok=True)
        return None
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["file", "row_number", "column", "reason", "raw"])
            for path, result in loads:
                for reject in result.rejects.to_pylist():
                    writer.writerow(
                        [
                            path.name,
                            reject["row_number"],
                            reject["column"],
                            reject["reason"],
                            reject["raw"],
                        ]
                    )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _write_csv(table: pa.Table, out: Path) -> None:
    partial = out.with_name(f".{out.name}.partial")
    try:
        pacsv.write_csv(table, partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def _count(values: Sequence[Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[str(value)] = counts.get(str(value), 0) + 1
    return dict(sorted(counts.items()))


def _lenders(table: pa.Table) -> tuple[LenderSummary, ...]:
    grouped = table.group_by("lender_uscc").aggregate(
        [
            ("loan_id", "count"),
            ("apr", "count"),
            ("over_cap", "sum"),
            ("apr", "max"),
        ]
    )
    over = table.filter(table.column("over_cap"))
    principal = dict(
        zip(
            *over.group_by("lender_uscc").aggregate([("principal", "sum")]).to_pydict().values(),
            strict=True,
        )
    )
    rows = [
        LenderSummary(
            lender_uscc=row["lender_uscc"],
            loans=row["loan_id_count"],
            costed=row["apr_count"],
            over_cap=int(row["over_cap_sum"] or 0),
            max_apr=row["apr_max"],
            principal_over_cap=float(principal.get(row["lender_uscc"], 0.0)),
        )
        for row in grouped.to_pylist()
    ]
    return tuple(sorted(rows, key=lambda r: (-r.over_cap, r.lender_uscc)))
