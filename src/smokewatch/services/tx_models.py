"""Transfer-risk model as a service: ``tx train`` and ``tx score`` call these functions.

Training reads a labelled folder in the AMLSim layout (``transactions.csv.gz``,
``alert_transactions.csv``, optional ``accounts.csv.gz``). Scoring reads a transactions file
— only its transfer columns, never ``is_sar``/``alert_id`` — and an optional accounts file,
computes the graph features on a scratch engine (in-memory DuckDB, or the ``--engine`` URL),
and writes ``tran_id,score,flag,typology``. Optionally it also writes the reasons of every
flagged transfer and one row per account (its riskiest transfer, how many were flagged, the
typology met most often).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from smokewatch.errors import InvalidInput
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.ml.transfers import task
from smokewatch.score.ml.transfers.task import TransferScores, TransferTrainReport
from smokewatch.services.models import _check_out_dir, scratch_engine
from smokewatch.settings import EngineSettings

SCORE_COLUMNS = ("tran_id", "score", "flag", "typology")
"""The columns of ``tx score --out``, in order (a public interface: keep stable)."""
REASON_COLUMNS = ("tran_id", "score", "typology", "reasons")
ACCOUNT_COLUMNS = ("acct", "score", "flag", "transfers", "flagged", "typology")


def train_transfer_model(
    data_dir: Path,
    out_dir: Path,
    *,
    engine_url: str | None = None,
    engine_settings: EngineSettings | None = None,
    cuts: int | None = None,
    threshold_rule: str | None = None,
    progress: Progress = NO_PROGRESS,
) -> TransferTrainReport:
    """Train the transfer-risk model on a labelled AMLSim-layout folder; write the artefact.

    ``cuts`` and ``threshold_rule`` (``None``: the defaults): see
    :func:`smokewatch.score.ml.transfers.task.train`.
    """
    _check_out_dir(out_dir)
    with scratch_engine(engine_url, engine_settings) as engine:
        return task.train(
            engine,
            data_dir,
            out_dir,
            cuts=task.DEFAULT_CUTS if cuts is None else cuts,
            threshold_rule=task.DEFAULT_RULE if threshold_rule is None else threshold_rule,
            progress=progress,
        )


@dataclass(frozen=True, slots=True)
class ScoreRun:
    """What ``tx score`` did."""

    scores: TransferScores
    out: Path
    reasons_out: Path | None = None
    accounts_out: Path | None = None

    @property
    def rows(self) -> int:
        """Transfers scored."""
        return int(self.scores.table.num_rows)


def _fmt_score(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") if value else "0"


def write_scores(table: pa.Table, path: Path) -> Path:
    """``tran_id,score,flag,typology`` (UTF-8, one header line; typology empty if unflagged).

    Written by Arrow's CSV writer: a Python loop over 1.7 million rows would cost more than
    scoring them.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    out = pa.table(
        {
            "tran_id": table.column("tran_id"),
            "score": pc.round(table.column("score"), 6),
            "flag": table.column("flag"),
            "typology": table.column("typology").fill_null(""),
        }
    )
    with path.open("wb") as handle:
        handle.write((",".join(SCORE_COLUMNS) + "\n").encode())
        options = pa_csv.WriteOptions(include_header=False, quoting_style="none")
        pa_csv.write_csv(out, handle, options)
    return path


def write_reasons(table: pa.Table, path: Path, *, lang: str) -> Path:
    """The flagged transfers with their reasons (``tran_id,score,typology,reasons``)."""
    flagged = table.filter(pc.equal(table.column("flag"), 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    column = "reasons_zh" if lang == "zh" else "reasons_en"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REASON_COLUMNS)
        for row in flagged.select(["tran_id", "score", "typology", column]).to_pylist():
            writer.writerow(
                [row["tran_id"], _fmt_score(row["score"]), row["typology"] or "", row[column]]
            )
    return path


def account_scores(table: pa.Table) -> pa.Table:
    """One row per account, riskiest first.

    Columns: the score of the account's riskiest transfer (either side), its transfers, its
    flagged transfers and the typology its flagged transfers show most often.
    """
    accounts = pa.concat_arrays(
        [table.column("orig").combine_chunks(), table.column("bene").combine_chunks()]
    )
    score = np.concatenate([table.column("score").to_numpy()] * 2)
    flag = np.concatenate([table.column("flag").to_numpy()] * 2)
    kinds = table.column("typology").to_pylist() * 2
    encoded = pc.dictionary_encode(accounts)
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
    names = encoded.dictionary.to_pylist()
    n = len(names)
    best = np.full(n, -1.0)
    np.maximum.at(best, codes, score)
    transfers = np.bincount(codes, minlength=n)
    flagged = np.bincount(codes, weights=flag, minlength=n).astype(np.int64)
    counters: dict[int, Counter[str]] = {}
    for i in np.flatnonzero(flag):
        if kinds[i]:
            counters.setdefault(int(codes[i]), Counter())[kinds[i]] += 1
    typology = [counters[i].most_common(1)[0][0] if i in counters else None for i in range(n)]
    result = pa.table(
        {
            "acct": pa.array(names, pa.string()),
            "score": pa.array(best, pa.float64()),
            "flag": pa.array((flagged > 0).astype(np.int64), pa.int64()),
            "transfers": pa.array(transfers, pa.int64()),
            "flagged": pa.array(flagged, pa.int64()),
            "typology": pa.array(typology, pa.string()),
        }
    )
    order = pc.sort_indices(result, [("score", "descending"), ("acct", "ascending")])
    return result.take(order)


def write_accounts(table: pa.Table, path: Path) -> Path:
    """``acct,score,flag,transfers,flagged,typology``, riskiest first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ACCOUNT_COLUMNS)
        for row in table.to_pylist():
            writer.writerow(
                [
                    row["acct"],
                    _fmt_score(row["score"]),
                    row["flag"],
                    row["transfers"],
                    row["flagged"],
                    row["typology"] or "",
                ]
            )
    return path


def score_transfers(
    model_dir: Path,
    transactions: Path,
    out: Path,
    *,
    accounts: Path | None = None,
    reasons_out: Path | None = None,
    accounts_out: Path | None = None,
    lang: str = "zh",
    top: int = 3,
    engine_url: str | None = None,
    engine_settings: EngineSettings | None = None,
    progress: Progress = NO_PROGRESS,
) -> ScoreRun:
    """Score every transfer of ``transactions`` and write the CSV files asked for.

    Raises:
        NotFound: the model folder or an input file does not exist.
        ConfigError: the folder is not a transfer-risk model, or was changed.
        InvalidInput: bad rows in the input (the first lines are named), a bad option.
    """
    if lang not in {"zh", "en"}:
        raise InvalidInput(f"--lang must be zh or en, not {lang!r}")
    with scratch_engine(engine_url, engine_settings) as engine:
        scores = task.score(
            engine,
            model_dir,
            transactions,
            accounts=accounts,
            top=top if reasons_out is not None else 0,
            progress=progress,
        )
    write_scores(scores.table, out)
    if reasons_out is not None:
        write_reasons(scores.table, reasons_out, lang=lang)
    if accounts_out is not None:
        write_accounts(account_scores(scores.table), accounts_out)
    return ScoreRun(scores, out, reasons_out, accounts_out)


__all__ = [
    "ACCOUNT_COLUMNS",
    "REASON_COLUMNS",
    "SCORE_COLUMNS",
    "ScoreRun",
    "account_scores",
    "score_transfers",
    "train_transfer_model",
    "write_accounts",
    "write_reasons",
    "write_scores",
]
