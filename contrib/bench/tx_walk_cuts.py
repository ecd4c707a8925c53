"""Training that sees a file's end: each part's features computed over the file cut at its end.

On the development file of ``tx_walk_dev.py`` (ews62k's first 80 %), the usual protocol
computes the features once over the whole file, so the training and validation parts never
sit at a file's end while the test part does. Here the training rows get their features from
the file cut after the training part, the validation rows from the file cut after the
validation part, and the test rows from the whole development file — as in use, where the
newest transfers are always at the file's end. Same model, rows and threshold rules; the
shipped features alone (``cuts``) and with ``tx_walk_dev.py``'s neighbour candidates.
``cuts3`` also cuts the training part in three (each third's features over the file cut
after it), so more training rows sit near an end.

    python contrib/bench/tx_walk_cuts.py --data ../shared/data/amlsim/ews62k \
        --cache /tmp/tx-walk-cuts.npz --out /tmp/tx-walk-cuts.json
"""

from __future__ import annotations

import json
import tempfile
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tx_chains import bench_parser, cut_file, evaluate, log
from tx_walk_dev import EXTRA, candidates

from smokewatch.engine.connect import connect
from smokewatch.graph.transfers import TRANSFER_COLUMNS, GraphWindows
from smokewatch.score.ml.features import compute_features, feature_matrix
from smokewatch.score.ml.transfers import data, task
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES
from smokewatch.settings import EngineSettings


def features(transfers: pa.Table, banks: pa.Table) -> np.ndarray:
    """The shipped features and ``tx_walk_dev``'s candidates, in the order of ``transfers``."""
    with tempfile.TemporaryDirectory() as scratch:
        engine = connect(f"duckdb:///{scratch}/x.duckdb", EngineSettings())
        try:
            base = data.featurise(engine, transfers, banks, GraphWindows())
            frame = compute_features(engine, TRANSFER_FEATURES, {"transfer": base})

            def stage(name: str, expr: Any) -> Any:
                engine.replace_tables({name: expr})
                return engine.table(name)

            t = engine.table("tx_transfer").select(*TRANSFER_COLUMNS)
            extra = engine.to_arrow(candidates(t, stage))
        finally:
            engine.close()
    x = feature_matrix(frame, TRANSFER_FEATURES)
    ids = transfers.column("tran_id")
    order = np.asarray(pc.index_in(ids, value_set=frame.column("tran_id")).to_numpy())
    at = pc.index_in(ids, value_set=extra.column("tran_id"))
    cols = [
        np.asarray(extra.column(c).take(at).to_numpy(zero_copy_only=False), np.float64)
        for c in EXTRA
    ]
    return np.column_stack([x[order], *cols])


def main() -> None:
    parser = bench_parser(__doc__, keep=True)
    args = parser.parse_args()
    transfers = cut_file(args.data, args.keep)
    rows = transfers.num_rows
    a, b = int(rows * task.SPLIT[0]), int(rows * task.SPLIT[1])
    names = list(TRANSFER_FEATURES.names)
    if args.cache.is_file():
        with np.load(args.cache) as stored:
            cuts = {k: stored[k] for k in stored.files}
    else:
        banks = data.read_banks(args.data / data.ACCOUNTS)
        cuts = {}
        ends = (("third", a // 3), ("two_thirds", 2 * a // 3), ("train", a), ("valid", b))
        for name, end in (*ends, ("whole", rows)):
            x = features(transfers.slice(0, end), banks)
            cuts[name] = x if name != "third" and name != "two_thirds" else x[:, : len(names)]
            log(f"features of the file cut at {end} transfers")
        np.savez(args.cache, **cuts)
    whole = cuts["whole"]
    cut = np.vstack([cuts["train"][:a], cuts["valid"][a:b], whole[b:]])
    third, two = a // 3, 2 * a // 3
    cut3 = np.vstack(
        [cuts["third"][:third], cuts["two_thirds"][third:two], cut[two:, : len(names)]]
    )
    y, kinds = data.read_labels(args.data, transfers.column("tran_id"))
    kinds = kinds.astype(object)
    width = len(names)
    k7 = ["walk_prev7", "walk_next7"]
    iso = ["iso_prev", "iso_next", "iso_prev_days", "iso_next_days"]

    def cols(x: np.ndarray, extra: list[str]) -> tuple[np.ndarray, list[str]]:
        at = [width + EXTRA.index(c) for c in extra]
        return x[:, list(range(width)) + at], names + extra

    results: dict[str, Any] = {"rows": rows, "positives": int(y.sum())}
    runs = {
        "once": cols(whole, []),
        "cuts": cols(cut, []),
        "cuts3": (cut3, names),
        "cuts_k7": cols(cut, k7),
        "cuts_iso": cols(cut, iso),
        "cuts_k7_iso": cols(cut, k7 + iso),
    }
    for name, (x, used) in runs.items():
        xm = task._mask_cross_bank(x[:, :width], task.SEED)
        xm = np.column_stack([xm, x[:, width:]])
        log(f"evaluating {name}")
        results[name] = evaluate(xm, used, y, kinds)
        r = results[name]["max"]
        log(f"  {name} max: {r['test']} thr {r['threshold_margin']} by {r['recall_by_typology']}")
        log(f"  {name} AP: {results[name]['average_precision_vs_normal']}")
        args.out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    log(f"done: {args.out}")


if __name__ == "__main__":
    main()
