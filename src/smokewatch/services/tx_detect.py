"""``tx detect``: the transfer typology rules (SW-R-03xx) over one file of bank transfers.

A file shaped like IBM AMLSim's ``transactions.csv[.gz]`` (``tran_id, orig_acct, bene_acct,
tx_type, base_amt, tran_timestamp``) is loaded into a scratch engine (in-memory DuckDB, or the
URL given, e.g. ``spark://local[2]``) through the normal source machinery — the source spec
:data:`AMLSIM_TRANSFERS` is the ``source.yml`` documented in ``docs/transfers.md`` — so bad rows
become rejects with reasons exactly as in a workspace. The SW-R-03xx rules then run through the
normal rule runner, and every finding becomes one row of ``FINDINGS.csv``.

Label columns (``is_sar``, ``alert_id``) are never read: only the six columns above are
projected out of the file, so the same file with or without labels gives the same findings.
The whole file is examined: the evaluation date is the day of its last transfer and every
rule's look-back reaches its first.
"""

from __future__ import annotations

import csv
import gzip
import json
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
import pyarrow.parquet as pq

from smokewatch.detect.rules import Rule, load_rules
from smokewatch.detect.run import run_rules
from smokewatch.engine import Engine, connect
from smokewatch.errors import InvalidInput, NotFound
from smokewatch.ingest.readers import detect_format
from smokewatch.ingest.runner import IngestResult, ingest_source
from smokewatch.ingest.spec import SourceSpec, parse_source_spec
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.services.detect import check_rules
from smokewatch.settings import EngineSettings

RULE_PREFIX = "SW-R-03"
"""The transfer typology rules: every built-in rule whose id starts with this."""

TRANSFER_COLUMNS = ("tran_id", "orig_acct", "bene_acct", "tx_type", "base_amt", "tran_timestamp")
"""The columns read from a transactions file; any other column (labels) is never read."""

ACCOUNT_COLUMNS = ("acct_id", "dsply_nm", "type", "acct_stat", "bank_id")
"""The columns read from an AMLSim ``accounts.csv[.gz]`` (names, holder type, bank)."""

FINDINGS_HEADER = (
    "account",
    "rule",
    "band",
    "typology",
    "window_start",
    "window_end",
    "counterparties",
    "amount",
    "reason_zh",
    "reason_en",
)
"""Columns of ``FINDINGS.csv``, one row per (account, rule) finding."""

AMLSIM_TRANSFERS: dict[str, Any] = {
    "id": "amlsim_transfers",
    "title": {"zh": "AMLSim 模拟转账", "en": "AMLSim simulated transfers"},
    "publisher": "IBM AMLSim (synthetic data)",
    "licence": "generator output (Apache-2.0 generator); synthetic, no real persons",
    "pii": "none",
    "table": "transfer",
    "location": "transactions.csv",
    "id_prefix": "amlsim_tx",
    "key": ["reference"],
    "columns": {
        "reference": "tran_id",
        "payer_account": "orig_acct",
        "payee_account": "bene_acct",
        "channel": "tx_type",
        "amount": "base_amt",
        "booked_at": "tran_timestamp",
    },
    "defaults": {"currency": "CNY"},
}
"""The ``source.yml`` of an AMLSim transactions file (the one in ``docs/transfers.md``)."""

AMLSIM_ACCOUNTS: dict[str, Any] = {
    "id": "amlsim_accounts",
    "title": {"zh": "AMLSim 模拟账户", "en": "AMLSim simulated accounts"},
    "publisher": "IBM AMLSim (synthetic data)",
    "licence": "generator output (Apache-2.0 generator); synthetic, no real persons",
    "pii": "none",
    "table": "account",
    "location": "accounts.csv",
    "id_prefix": "amlsim_acct",
    "key": ["account_number"],
    "columns": {
        "account_number": "acct_id",
        "holder_name": "dsply_nm",
        "holder_type": "type",
        "status": {"column": "acct_stat", "on_error": "null"},
        "bank": "bank_id",
    },
    "lookups": {"holder_type": {"I": "individual", "O": "organisation"}},
}
"""The ``source.yml`` of an AMLSim accounts file (its dates are simulation steps, not read)."""


@dataclass(frozen=True, slots=True)
class TxDetectReport:
    """What ``tx detect`` did: the load, the evaluation window and the findings."""

    transactions: Path
    out: Path
    engine: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rejects: tuple[dict[str, Any], ...]
    """The first rejects (row number, column, reason), at most :data:`MAX_REPORTED_REJECTS`."""
    accounts_loaded: int | None
    first_day: date | None
    as_of: date | None
    findings: int
    accounts_flagged: int
    by_rule: Mapping[str, Mapping[str, int]]
    """Rule id → band → findings."""
    seconds: Mapping[str, float] = field(default_factory=dict)
    """Duration of each step: load, detect, write, total."""


MAX_REPORTED_REJECTS = 20


@contextmanager
def _scratch_engine(engine_url: str | None, settings: EngineSettings) -> Iterator[Engine]:
    with tempfile.TemporaryDirectory(prefix="sw-tx-") as scratch:
        engine = connect(engine_url or "duckdb://:memory:", settings, data_dir=Path(scratch))
        try:
            yield engine
        finally:
            engine.close()


def transfer_rules() -> list[Rule]:
    """The built-in SW-R-03xx rules."""
    return [r for r in load_rules() if r.id.startswith(RULE_PREFIX)]


def _header(source: Path) -> list[str]:
    """The names in the first line of a CSV or CSV.gz file (nothing else is read)."""
    opener = gzip.open if source.name.lower().endswith(".gz") else open
    try:
        with opener(source, "rt", encoding="utf-8-sig", newline="") as fh:
            first = next(csv.reader(fh), [])
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(f"{source.name}: not a readable CSV file: {exc}") from exc
    return [name.strip() for name in first]


def _project(source: Path, columns: Sequence[str], target: Path) -> None:
    """Copy only ``columns`` (as text) of a CSV or CSV.gz file into a Parquet file.

    Other columns are skipped by the CSV parser and never converted or kept.

    Raises:
        InvalidInput: when the file is not CSV or lacks a required column.
    """
    name = source.name.lower().removesuffix(".gz")
    if detect_format(Path(name), "auto") != "csv":
        raise InvalidInput(f"{source.name}: expected a CSV file (optionally .gz)")
    names = _header(source)
    missing = [c for c in columns if c not in names]
    if missing:
        raise InvalidInput(
            f"{source.name}: columns missing from the header: {', '.join(missing)} "
            f"(expected {', '.join(columns)})"
        )
    schema = pa.schema([(c, pa.string()) for c in columns])
    try:
        reader = pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=4 << 20),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(columns),
                column_types=dict.fromkeys(columns, pa.string()),
                strings_can_be_null=False,
            ),
        )
        with pq.ParquetWriter(target, schema) as writer:
            for batch in reader:
                writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))
    except (pa.ArrowInvalid, OSError, EOFError) as exc:
        raise InvalidInput(f"{source.name}: cannot read as CSV: {exc}") from exc


def _load(
    engine: Engine,
    spec_data: Mapping[str, Any],
    file: Path,
    *,
    columns: Sequence[str],
    folder: Path,
    progress: Progress,
) -> IngestResult:
    spec: SourceSpec = parse_source_spec(
        {**spec_data, "location": f"{spec_data['id']}.parquet"}, origin=spec_data["id"]
    )
    projected = folder / f"{spec.id}.parquet"
    _project(file, columns, projected)
    now = datetime.now(UTC)
    return ingest_source(
        engine,
        spec,
        file=projected,
        run_id=f"txrun-{spec.id}-{now:%Y%m%dT%H%M%S}",
        now=now,
        batch_size=262_144,
        within_adcode=None,
        progress=progress,
    )


def _span(engine: Engine) -> tuple[date | None, date | None]:
    table = engine.table("transfer")
    stats = engine.to_arrow(
        table.aggregate(first=table.booked_at.min(), last=table.booked_at.max()), step="span"
    ).to_pylist()[0]
    first, last = stats["first"], stats["last"]
    if first is None or last is None:
        return None, None
    return first.date(), last.date()


def _metric_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def finding_rows(findings: pa.Table, rules: Sequence[Rule]) -> list[list[str]]:
    """``FINDINGS.csv`` rows (without the header), ordered by account and rule."""
    typologies = {r.id: ";".join(r.spec.typology) for r in rules}
    rows: list[list[str]] = []
    for item in findings.to_pylist():
        metrics = json.loads(item["metrics"])
        rows.append(
            [
                item["subject_id"],
                item["rule_id"],
                item["band"],
                typologies.get(item["rule_id"], ""),
                _metric_text(metrics.get("window_start")),
                _metric_text(metrics.get("window_end")),
                _metric_text(metrics.get("counterparties")),
                _metric_text(metrics.get("amount")),
                item["reason_zh"],
                item["reason_en"],
            ]
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def write_findings_csv(rows: Sequence[Sequence[str]], out: Path) -> Path:
    """Write ``FINDINGS.csv`` (UTF-8, header first) atomically: a temp file, then a rename."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(FINDINGS_HEADER)
            writer.writerows(rows)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return out


def detect_file(
    transactions: Path,
    out: Path,
    *,
    accounts: Path | None = None,
    engine_url: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> TxDetectReport:
    """Run the SW-R-03xx rules over a transactions file and write ``FINDINGS.csv``.

    ``accounts`` (an AMLSim ``accounts.csv[.gz]``) adds holder names and types. ``out`` is
    replaced atomically; it is left untouched when anything fails.

    Raises:
        NotFound: a file does not exist.
        InvalidInput: a file is not CSV or lacks a required column.
        ConfigError: a transfer rule has lint errors.
    """
    for path in (transactions, accounts):
        if path is not None and not path.is_file():
            raise NotFound(f"no such file: {path}")
    rules = transfer_rules()
    check_rules(rules, {})
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    settings = EngineSettings(spark_shuffle_partitions=4)
    with (
        tempfile.TemporaryDirectory(prefix="sw-tx-files-") as scratch,
        _scratch_engine(engine_url, settings) as engine,
    ):
        folder = Path(scratch)
        loaded = _load(
            engine,
            AMLSIM_TRANSFERS,
            transactions,
            columns=TRANSFER_COLUMNS,
            folder=folder,
            progress=progress,
        )
        accounts_loaded = None
        if accounts is not None:
            account_load = _load(
                engine,
                AMLSIM_ACCOUNTS,
                accounts,
                columns=ACCOUNT_COLUMNS,
                folder=folder,
                progress=progress,
            )
            accounts_loaded = account_load.rows_loaded
        first, last = _span(engine)
        seconds["load"] = round(time.perf_counter() - started, 2)
        step = time.perf_counter()
        schema_rows: list[list[str]] = []
        by_rule: dict[str, dict[str, int]] = {}
        if last is not None and first is not None:
            lookback = (last - first).days + 1
            overrides = {r.id: {"lookback_days": lookback} for r in rules}
            result = run_rules(
                engine,
                rules,
                as_of=last,
                run_id=f"txdetect-{last.isoformat()}",
                lexicons={},
                overrides=overrides,
                progress=progress,
            )
            schema_rows = finding_rows(result.findings, rules)
            for outcome in result.outcomes:
                by_rule[outcome.rule_id] = dict(outcome.bands)
        seconds["detect"] = round(time.perf_counter() - step, 2)
        engine_name = engine.name
    step = time.perf_counter()
    write_findings_csv(schema_rows, out)
    seconds["write"] = round(time.perf_counter() - step, 2)
    seconds["total"] = round(time.perf_counter() - started, 2)
    rejects = loaded.rejects.slice(0, MAX_REPORTED_REJECTS).select(
        ["row_number", "column", "reason"]
    )
    return TxDetectReport(
        transactions=transactions,
        out=out,
        engine=engine_name,
        rows_read=loaded.rows_read,
        rows_loaded=loaded.rows_loaded,
        rows_rejected=loaded.rows_rejected,
        rejects=tuple(rejects.to_pylist()),
        accounts_loaded=accounts_loaded,
        first_day=first,
        as_of=last,
        findings=len(schema_rows),
        accounts_flagged=len({r[0] for r in schema_rows}),
        by_rule={k: dict(sorted(v.items())) for k, v in sorted(by_rule.items())},
        seconds=seconds,
    )


__all__ = [
    "ACCOUNT_COLUMNS",
    "AMLSIM_ACCOUNTS",
    "AMLSIM_TRANSFERS",
    "FINDINGS_HEADER",
    "RULE_PREFIX",
    "TRANSFER_COLUMNS",
    "TxDetectReport",
    "detect_file",
    "finding_rows",
    "transfer_rules",
    "write_findings_csv",
]
