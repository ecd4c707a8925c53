"""Training that sees a file's end: each part's features computed over the file cut after it.

When a bank scores a file, the transfers it cares about — the newest — sit at the file's end,
where a relation begun days ago has one transfer and the windows after a transfer are short.
Features computed once over the whole training file put only the test part there, so what
the model learns about "used once" or "nothing after" comes from rows that had months after
them. With *cuts*, each part of the temporal split gets its graph features from the file
**cut right after that part** (a filter on ``tran_id`` before the feature pass, on any
engine): the training rows from the file cut after the training part, the validation rows
from the file cut after the validation part, the test rows from the whole file. ``inner`` > 1
also cuts the training part into that many pieces, each featurised over the file cut after
it, so more training rows sit near an end.

A row's features therefore never see a transfer after its part's cut. The final refit on
every transfer uses the same rows, the final cut being the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from smokewatch.errors import InvalidInput
from smokewatch.progress import NO_PROGRESS, Progress
from smokewatch.score.ml.features import compute_features
from smokewatch.score.ml.transfers import data
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES

if TYPE_CHECKING:
    from smokewatch.engine.base import Engine
    from smokewatch.graph.transfers import GraphWindows

MAX_INNER = 6
"""Most pieces the training part may be cut into (each is one more pass of the features)."""


@dataclass(frozen=True, slots=True)
class Part:
    """Rows ``[start, end)`` (``tran_id`` order), featurised over the file's first ``end``."""

    start: int
    end: int


def plan(rows: int, split: tuple[float, float], inner: int) -> list[Part]:
    """The parts of a file of ``rows`` transfers: ``inner`` training pieces, validation, test.

    ``inner`` = 0 means no cuts: one part, every row featurised over the whole file.

    Raises:
        InvalidInput: ``inner`` outside 0..:data:`MAX_INNER`.
    """
    if not 0 <= inner <= MAX_INNER:
        raise InvalidInput(f"cuts must be between 0 and {MAX_INNER}, not {inner}")
    if inner == 0:
        return [Part(0, rows)]
    a, b = int(rows * split[0]), int(rows * split[1])
    ends = [a * k // inner for k in range(1, inner + 1)] + [b, rows]
    starts = [0, *ends[:-1]]
    return [Part(s, e) for s, e in zip(starts, ends, strict=True) if e > s]


def cut_features(
    engine: Engine,
    transfers: pa.Table,
    banks: pa.Table | None,
    windows: GraphWindows,
    parts: list[Part],
    *,
    progress: Progress = NO_PROGRESS,
) -> pa.Table:
    """The feature table (``tran_id`` + features, ``tran_id`` order) built part by part.

    ``transfers`` must be in ``tran_id`` order with unique ids. Each part is one pass of the
    graph features over the transfers with ``tran_id`` ≤ the part's last id (the cut), of
    which only the part's rows are kept; the engine's intermediate tables are replaced from
    pass to pass, so memory stays that of one pass plus the rows kept.
    """
    ids = transfers.column("tran_id")
    if transfers.num_rows and not pc.all(pc.greater(ids[1:], ids[:-1])).as_py():
        raise InvalidInput("cut training needs the transfers in strictly increasing tran_id")
    frames = []
    for number, part in enumerate(parts, 1):
        whole = part.end == transfers.num_rows
        upto = None if whole else int(ids[part.end - 1].as_py())
        progress.start(f"graph features, part {number} of {len(parts)} (cut at row {part.end})")
        base = data.featurise(engine, transfers, banks, windows, upto=upto)
        if part.start > 0:
            base = base.filter(base.tran_id > int(ids[part.start - 1].as_py()))
        frames.append(compute_features(engine, TRANSFER_FEATURES, {"transfer": base}))
        progress.finish()
    return pa.concat_tables(frames) if len(frames) > 1 else frames[0]


__all__ = ["MAX_INNER", "Part", "cut_features", "plan"]
