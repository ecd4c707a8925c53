"""Issue 6's `random` recall: candidate features judged on the development file only.

The development file is ews62k cut after its first 80 % of transfers (as in
``tx_walk_edge.py``): every feature is computed over the cut file only and the 60/20/20
protocol of ``tx_chains.py`` runs on it, so its last 20 % sits at a file's end as the real
test part does while holding none of it. Candidate columns (computed on the engine):

- ``pair_young``: the relation's first transfer lies fewer than ``quiet`` (30) days before the
  file's end — too young for ``pair_count`` to say whether it repeats; variants mask
  ``pair_count`` for such relations;
- ``walk_prev7`` / ``walk_next7``: one-off neighbours counted over 7 days instead of 3;
- ``iso_prev`` / ``iso_next`` (+ ``_days``): neighbours on *isolated* relations
  (``pair_isolation`` ≥ ``quiet``, used once or not) instead of one-offs only;
- ``pair_offbeat`` (computed here with pandas, not on the engine — it was not worth porting):
  the transfer's nearest gap on its relation over the relation's median gap (a lone extra
  payment on a periodic relation sits well inside the period), and ``pair_span``: both gaps
  over the relation's mean gap;
- and, instead of adding, masking: ``pair_count`` set to empty / at least 2 for young
  relations, or dropped (it is the base feature that looks past the transfer to the end of
  the file).

Nothing here reads labels to build a feature. The matrix is cached (``--cache``) so variants
can be re-run cheaply.

    python contrib/bench/tx_walk_dev.py --data ../shared/data/amlsim/ews62k \
        --cache /tmp/tx-walk-dev.npz --out /tmp/tx-walk-dev.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc
from tx_chains import bench_parser, cut_features, cut_file, evaluate, log

from smokewatch.graph.transfer_walk import neighbour_step, pair_isolation
from smokewatch.graph.transfers import TRANSFER_COLUMNS
from smokewatch.score.ml.transfers import data
from smokewatch.score.ml.transfers.features import TRANSFER_FEATURES

QUIET = 30
EXTRA = (
    "pair_young",
    "walk_prev7",
    "walk_next7",
    "iso_prev",
    "iso_next",
    "iso_prev_days",
    "iso_next_days",
)


def candidates(t: Any, stage: Any) -> Any:
    """Per ``tran_id``: the :data:`EXTRA` columns."""
    import ibis

    iso = stage("dev_iso", pair_isolation(t))
    first = ibis.window(group_by=[iso.orig, iso.bene])
    bounds = iso.aggregate(file_last=iso.day.max().cast("int64"))
    iso = iso.cross_join(bounds)
    iso = stage(
        "dev_iso2",
        iso.select(
            "tran_id", "orig", "bene", "day",
            one_off=iso.alone & (iso.pair_isolation >= QUIET),
            isolated=iso.pair_isolation >= QUIET,
            pair_young=(iso.file_last - iso.day.min().over(first).cast("int64") < QUIET).cast(
                "int64"
            ),
        ),
    )  # fmt: skip
    n7, p7 = neighbour_step(iso, (iso.one_off, iso.one_off), 7, nearest=None, prefix="walk7")
    ni, pi = neighbour_step(iso, (iso.isolated, iso.isolated), 3, nearest=7, prefix="iso")
    out = iso.join(n7, "tran_id").join(p7, "tran_id").join(ni, "tran_id").join(pi, "tran_id")
    return out.select(
        "tran_id",
        "pair_young",
        walk_prev7=out.walk7_prev,
        walk_next7=out.walk7_next,
        iso_prev=out.iso_prev,
        iso_next=out.iso_next,
        iso_prev_days=out.iso_prev_days,
        iso_next_days=out.iso_next_days,
    )


def matrix(folder: Path, keep: float, cache: Path) -> dict[str, np.ndarray]:
    if cache.is_file():
        with np.load(cache, allow_pickle=True) as stored:
            return {k: stored[k] for k in stored.files}
    transfers = cut_file(folder, keep)
    banks = data.read_banks(folder / data.ACCOUNTS)
    with cut_features(transfers, banks) as (engine, ids, x, stage):
        t = engine.table("tx_transfer").select(*TRANSFER_COLUMNS)
        extra = engine.to_arrow(candidates(t, stage))
        order = pc.index_in(ids, value_set=extra.column("tran_id"))
        cols = [
            np.asarray(extra.column(c).take(order).to_numpy(zero_copy_only=False), np.float64)
            for c in EXTRA
        ]
        days = engine.to_arrow(engine.table("tx_transfer").select("tran_id", "day", "orig", "bene"))
        dorder = pc.index_in(ids, value_set=days.column("tran_id"))
        days = days.take(dorder)
    y, kinds = data.read_labels(folder, ids)
    stored = {
        "x": x,
        "extra": np.column_stack(cols),
        "y": y,
        "kinds": kinds.astype(str),
        "tran_id": np.asarray(ids.to_numpy()),
        "day": np.asarray(days.column("day").to_numpy(), np.int64),
        "orig": np.asarray(days.column("orig").to_numpy(zero_copy_only=False)).astype(str),
        "bene": np.asarray(days.column("bene").to_numpy(zero_copy_only=False)).astype(str),
    }
    np.savez(cache, **stored)
    return stored


def rhythm(m: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``pair_offbeat`` and ``pair_span`` in the matrix's row order (pandas; bench only)."""
    d = pd.DataFrame({"row": np.arange(len(m["day"])), "day": m["day"], "o": m["orig"],
                      "b": m["bene"], "tid": m["tran_id"]})  # fmt: skip
    d = d.sort_values(["o", "b", "day", "tid"])
    g = d.groupby(["o", "b"]).day
    n = g.transform("size")
    gap_prev, gap_next = d.day - g.shift(1), g.shift(-1) - d.day
    d["gap"] = gap_prev
    median = d.groupby(["o", "b"]).gap.transform("median")
    mean = (g.transform("max") - g.transform("min")) / (n - 1)
    d["offbeat"] = np.fmin(gap_prev, gap_next) / median
    d["span"] = (gap_prev + gap_next) / mean
    d = d.sort_values("row")
    return {
        "pair_offbeat": d.offbeat.to_numpy(np.float64),
        "pair_span": d.span.to_numpy(np.float64),
    }


def variants(m: dict[str, np.ndarray]) -> dict[str, tuple[np.ndarray, list[str]]]:
    names = list(TRANSFER_FEATURES.names)
    x, extra = m["x"], m["extra"]
    e = {c: extra[:, i] for i, c in enumerate(EXTRA)} | rhythm(m)
    young = e["pair_young"] > 0
    pc_at = names.index("pair_count")
    masked = x.copy()
    masked[young, pc_at] = np.nan
    capped = x.copy()
    capped[young, pc_at] = np.maximum(capped[young, pc_at], 2)
    k7 = ["walk_prev7", "walk_next7"]
    iso = ["iso_prev", "iso_next", "iso_prev_days", "iso_next_days"]

    def plus(base: np.ndarray, cols: list[str]) -> tuple[np.ndarray, list[str]]:
        return np.column_stack([base, *[e[c] for c in cols]]), [*names, *cols]

    drop = [i for i, n in enumerate(names) if n != "pair_count"]
    rest = [names[i] for i in drop]
    return {
        "shipped": (x, names),
        "no_pair_count": (x[:, drop], rest),
        "no_pair_count_iso": (
            np.column_stack([x[:, drop], *[e[c] for c in iso]]),
            [*rest, *iso],
        ),
        "mask_nan": (masked, names),
        "mask_2": (capped, names),
        "k7": plus(x, k7),
        "iso": plus(x, iso),
        "k7_iso": plus(x, k7 + iso),
        "mask2_k7_iso": plus(capped, k7 + iso),
        "offbeat": plus(x, ["pair_offbeat"]),
        "offbeat_span": plus(x, ["pair_offbeat", "pair_span"]),
        "no_pair_count_k7": (
            np.column_stack([x[:, drop], *[e[c] for c in k7]]),
            [*rest, *k7],
        ),
        "no_pair_count_offbeat": (
            np.column_stack([x[:, drop], e["pair_offbeat"]]),
            [*rest, "pair_offbeat"],
        ),
    }


def main() -> None:
    parser = bench_parser(__doc__, keep=True)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    m = matrix(args.data, args.keep, args.cache)
    log(f"matrix ready: {m['x'].shape}")
    y, kinds = m["y"], m["kinds"].astype(object)
    kinds[kinds == "nan"] = ""
    results: dict[str, Any] = {"rows": len(y), "positives": int(y.sum()), "keep": args.keep}
    for name, (xv, cols) in variants(m).items():
        if args.only and name not in args.only:
            continue
        log(f"evaluating {name}")
        results[name] = evaluate(xv, cols, y, kinds)
        r = results[name]["max"]
        log(f"  {name} max: {r['test']} thr {r['threshold_margin']} by {r['recall_by_typology']}")
        log(f"  {name} AP: {results[name]['average_precision_vs_normal']}")
        args.out.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    log(f"done: {args.out}")


if __name__ == "__main__":
    main()
