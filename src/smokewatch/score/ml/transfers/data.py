"""Bank transfers (AMLSim layout) as engine views: read, checked, featurised on the engine.

Scoring reads **only** the transfer columns below from a transactions file — never the label
columns ``is_sar`` and ``alert_id`` (a file without them scores the same). Training reads the
labels from the same file and the typology of each suspicious transfer from
``alert_transactions.csv``. ``accounts.csv`` is optional: it gives each account's bank, for
the cross-bank flag. Its ``prior_sar_count`` column is *never* read: in AMLSim it marks
exactly the accounts of the labelled alerts (a label leak).

The transfer view the graph features read has the columns of
:data:`smokewatch.graph.transfers.TRANSFER_COLUMNS`; ``day`` is the calendar day (days since
1970-01-01) of the transfer's timestamp in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.graph.transfers import GraphWindows, transfer_graph_features
from smokewatch.ml.artefact import file_sha256
from smokewatch.score.ml.inputs import NULLS

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from smokewatch.engine.base import Engine

TRANSACTIONS = "transactions.csv.gz"
ACCOUNTS = "accounts.csv.gz"
ALERT_TRANSACTIONS = "alert_transactions.csv"
LABEL_COLUMNS = ("is_sar", "alert_id")
"""Columns of a transactions file that carry labels; scoring never reads them."""

TRANSFER_SOURCE = {
    "tran_id": pa.int64(),
    "orig_acct": pa.string(),
    "bene_acct": pa.string(),
    "base_amt": pa.float64(),
    "tran_timestamp": pa.timestamp("s", tz="UTC"),
}
"""The columns scoring reads from a transactions file, and their types."""
ACCOUNT_SOURCE = {"acct_id": pa.string(), "bank_id": pa.string()}
"""The columns read from an accounts file (the bank of each account)."""


@dataclass(frozen=True, slots=True)
class FileRecord:
    """What was read: for manifests and reports."""

    file: str
    sha256: str
    rows: int
    bytes: int

    def to_json(self) -> dict[str, object]:
        """For the manifest's ``training_data``."""
        return {"file": self.file, "sha256": self.sha256, "rows": self.rows, "bytes": self.bytes}


def _read(path: Path, columns: dict[str, pa.DataType], what: str) -> pa.Table:
    if not path.is_file():
        raise NotFound(f"no such {what} file: {path}")
    try:
        return csv.read_csv(
            path,
            read_options=csv.ReadOptions(block_size=1 << 24),
            convert_options=csv.ConvertOptions(
                column_types=columns,
                include_columns=list(columns),
                null_values=NULLS,
                strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError, KeyError) as exc:
        raise InvalidInput(f"{path}: cannot read the {what} file: {exc}") from exc


def record(path: Path, rows: int) -> FileRecord:
    """Hash and size of a file that was read."""
    return FileRecord(path.name, file_sha256(path), rows, path.stat().st_size)


def read_transfers(path: Path) -> pa.Table:
    """The transfer table (``tran_id, orig, bene, day, amount``) of a transactions file.

    Only the columns of :data:`TRANSFER_SOURCE` are read; label columns are ignored even when
    present.

    Raises:
        NotFound: no such file.
        InvalidInput: a column is missing, a value does not parse, a required cell is empty,
            an amount is negative, or a ``tran_id`` repeats (the first rows are named).
    """
    raw = _read(path, TRANSFER_SOURCE, "transactions")
    problems: list[str] = []
    for column in TRANSFER_SOURCE:
        nulls = raw.column(column).is_null()
        if pc.any(nulls).as_py():
            rows = np.flatnonzero(nulls.to_numpy(zero_copy_only=False))[:5] + 2
            problems.append(f"empty {column} on line(s) {', '.join(map(str, rows))}")
    negative = pc.less(raw.column("base_amt"), 0.0)
    if pc.any(negative).as_py():
        rows = np.flatnonzero(negative.to_numpy(zero_copy_only=False))[:5] + 2
        problems.append(f"negative base_amt on line(s) {', '.join(map(str, rows))}")
    if pc.count_distinct(raw.column("tran_id")).as_py() != raw.num_rows:
        problems.append("tran_id is not unique")
    if problems:
        raise InvalidInput(f"{path}: " + "; ".join(problems))
    day = pc.cast(pc.cast(raw.column("tran_timestamp"), pa.date32()), pa.int32())
    return pa.table(
        {
            "tran_id": raw.column("tran_id"),
            "orig": raw.column("orig_acct"),
            "bene": raw.column("bene_acct"),
            "day": day,
            "amount": raw.column("base_amt"),
        }
    )


def read_banks(path: Path) -> pa.Table:
    """``acct``, ``bank`` of an accounts file (only ``acct_id`` and ``bank_id`` are read)."""
    raw = _read(path, ACCOUNT_SOURCE, "accounts")
    return pa.table({"acct": raw.column("acct_id"), "bank": raw.column("bank_id")})


def read_labels(folder: Path, tran_ids: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Training labels in the order of ``tran_ids``: ``is_sar`` (0/1) and the typology.

    The typology of a suspicious transfer comes from ``alert_transactions.csv`` (empty for
    normal transfers).

    Raises:
        InvalidInput: the labels do not cover every transfer.
    """
    path = folder / TRANSACTIONS
    labels = _read(path, {"tran_id": pa.int64(), "is_sar": pa.bool_()}, "transactions")
    alerts = _read(
        folder / ALERT_TRANSACTIONS,
        {"tran_id": pa.int64(), "alert_type": pa.string()},
        "alert transactions",
    )
    index = pc.index_in(tran_ids, value_set=labels.column("tran_id"))
    if pc.any(pc.is_null(index)).as_py():
        raise InvalidInput(f"{path}: labels missing for some transfers")
    sar = labels.column("is_sar").fill_null(False).take(index)
    y = np.asarray(sar.to_numpy(zero_copy_only=False), dtype=np.int64)
    kind_index = pc.index_in(tran_ids, value_set=alerts.column("tran_id"))
    kinds = alerts.column("alert_type").take(kind_index).fill_null("")
    typology = np.asarray(kinds.to_pylist(), dtype=object)
    return y, typology


def featurise(
    engine: Engine,
    transfers: pa.Table,
    banks: pa.Table | None,
    windows: GraphWindows,
    *,
    chains: bool = False,
    upto: int | None = None,
) -> ir.Table:
    """Register the transfers and return the base view of the features, one row per transfer.

    The relayed-money columns (:func:`~smokewatch.graph.transfer_walk.walk_features`) are
    always computed: the model reads them. ``chains`` adds the layering-chain counts
    (:func:`~smokewatch.graph.transfers.layering_chains`) for experiments; the shipped model
    does not read them. ``upto`` cuts the file: only transfers with ``tran_id`` ≤ it are
    featurised (a filter on the engine before the pass; see :mod:`.cuts`).

    Intermediate graph tables are materialised inside the engine (DuckDB tables, or Parquet
    in Spark's scratch folder), so memory stays bounded by the engine, not by Python.
    """
    import ibis  # noqa: PLC0415

    view = engine.register("tx_transfer", transfers)

    def stage(name: str, expr: ir.Table) -> ir.Table:
        engine.replace_tables({name: expr})
        return engine.table(name)

    if upto is not None:
        view = stage("tx_transfer_cut", view.filter(view.tran_id <= upto))

    base = transfer_graph_features(view, windows, stage=stage, chains=chains, walk=True)
    if banks is None:
        base = base.mutate(cross_bank=ibis.null("int64"))
    else:
        bank = engine.register("tx_bank", banks)
        o_bank = bank.select(o_acct=bank.acct, o_bank=bank.bank)
        b_bank = bank.select(b_acct=bank.acct, b_bank=bank.bank)
        base = base.left_join(o_bank, base.orig == o_bank.o_acct)
        base = base.select(*[c for c in base.columns if c != "o_acct"])
        base = base.left_join(b_bank, base.bene == b_bank.b_acct)
        base = base.select(*[c for c in base.columns if c != "b_acct"])
        differs = (base.o_bank != base.b_bank).cast("int64")
        known = base.o_bank.notnull() & base.b_bank.notnull()
        base = base.mutate(cross_bank=ibis.ifelse(known, differs, ibis.null("int64")))
    return stage("tx_features_base", base)


__all__ = [
    "ACCOUNTS",
    "ACCOUNT_SOURCE",
    "ALERT_TRANSACTIONS",
    "LABEL_COLUMNS",
    "TRANSACTIONS",
    "TRANSFER_SOURCE",
    "FileRecord",
    "featurise",
    "read_banks",
    "read_labels",
    "read_transfers",
    "record",
]
