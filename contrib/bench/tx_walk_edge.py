"""The walk features' edge guard judged without the test part: the protocol on a cut file.

The file is cut after its first ``--keep`` share of transfers (default 80 %: the end of
the protocol's validation part), the graph features are computed over the cut file only, and
the 60/20/20 protocol of ``tx_chains.py`` runs on it. Its last 20 % (64–80 % of the whole
file) then sits at the cut file's end, as the test part sits at the whole file's end, while
holding none of the whole file's test part. Feature sets: ``base`` (the 42 features before
the walk features), and the 49 with the one-off guard ``walk_quiet`` = 0 (none), 10 and 30
days.

    python contrib/bench/tx_walk_edge.py --data ../shared/data/amlsim/ews62k \
        --out /tmp/tx-walk-edge.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.compute as pc
from tx_chains import TOLERANCES, cut_features, cut_file, evaluate, log

from smokewatch.graph.transfer_walk import WALK_COLUMNS, walk_features
from smokewatch.graph.transfers import TRANSFER_COLUMNS
from smokewatch.score.ml.transfers import data
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES

QUIET = (0, 10, 30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--keep", type=float, default=0.8)
    args = parser.parse_args()
    transfers = cut_file(args.data, args.keep)
    banks = data.read_banks(args.data / data.ACCOUNTS)
    names = list(TRANSFER_FEATURES.names)
    walk_at = [names.index(c) for c in WALK_COLUMNS]
    sets: dict[str, np.ndarray] = {}
    with cut_features(transfers, banks) as (engine, ids, x, stage):
        log(f"features of the cut file ({transfers.num_rows} transfers)")
        t = engine.table("tx_transfer").select(*TRANSFER_COLUMNS)
        for quiet in QUIET:
            walked = engine.to_arrow(walk_features(t, stage, quiet=quiet).order_by("tran_id"))
            order = pc.index_in(ids, value_set=walked.column("tran_id"))
            xq = x.copy()
            for j, c in zip(walk_at, WALK_COLUMNS, strict=True):
                col = walked.column(c).take(order).to_numpy(zero_copy_only=False)
                xq[:, j] = np.asarray(col, dtype=np.float64)
            sets[f"quiet{quiet}"] = xq
    y, kinds = data.read_labels(args.data, ids)
    kinds = kinds.astype(object)
    keep = [i for i, n in enumerate(names) if n not in WALK_COLUMNS]
    results: dict[str, Any] = {"rows": len(y), "positives": int(y.sum()), "keep": args.keep}
    variants = {"base": (sets["quiet30"][:, keep], [names[i] for i in keep])}
    variants |= {k: (v, names) for k, v in sets.items()}
    for name, (xv, cols) in variants.items():
        log(f"evaluating {name}")
        results[name] = evaluate(xv, cols, y, kinds)
        for rule in TOLERANCES:
            r = results[name][rule]
            log(f"  {name} {rule}: edge {r['test']} by typology {r['recall_by_typology']}")
        args.out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    log(f"done: {args.out}")


if __name__ == "__main__":
    main()
