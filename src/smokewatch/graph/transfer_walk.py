"""Relayed money: one-off relations around a transfer, and a relation's lone extra payments.

A bank analyst tracing layering (多层过桥) follows money that moves on within days through
relations used exactly **once** over the whole period: the payer had just been paid by
someone who never pays it again, or the payee passes the money on, within days, to someone it
never pays again. Ordinary relations repeat (salaries, rent, suppliers); one-off relations
are rare in routine traffic, and a one-off *next to* the transfer, days apart, rarer still.
The second signal is the relation itself: an ordinary relation is periodic or bursty, a
relayed payment on an existing relation is one lone extra payment months away from the
relation's other payments.

Everything here is a count of transfers or days — no amounts, no degrees, no ids — and an ibis
expression over the transfer table of :mod:`smokewatch.graph.transfers`, so DuckDB and Spark
run the same code. Columns, per ``tran_id``:

- ``pair_isolation``: days to the nearest *other* transfer on the same relation (payer →
  payee); for a relation with no other transfer, the days the file covers on the shorter side
  of it (:func:`pair_isolation`);
- ``walk_prev``: one-off transfers *into the payer* on the ``days`` days before (day −
  ``days`` … day − 1);
- ``walk_next``: one-off transfers *out of the payee* on the ``days`` days after (day + 1 …
  day + ``days``);
- ``walk_prev_days`` / ``walk_next_days``: days back to the payer's latest one-off receipt,
  ahead to the payee's earliest one-off payment, looking at most ``nearest`` days away (empty
  when there is none that close);
- ``walk_prev2`` / ``walk_next2``: of those one-offs, the ones that have a one-off neighbour of
  their own the same way (the payer's one-off receipt whose payer had just received a one-off;
  the payee's one-off payment whose payee passes money on to a stranger within days): a walk
  of at least three hops.

A *one-off* transfer is the only transfer of its relation in the file, with at least
``quiet`` (30) days of the file before and after it: near the file's edges a relation has had
no time to repeat and is not taken for a one-off. The first ews62k run, without that guard,
flagged the ordinary relations that begin in the file's last weeks (docs/transfers-model.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smokewatch.graph.transfer_rhythm import nearest_gap

if TYPE_CHECKING:
    from collections.abc import Callable

    import ibis.expr.types as ir

WALK_COLUMNS = (
    "pair_isolation",
    "walk_prev",
    "walk_next",
    "walk_prev_days",
    "walk_next_days",
    "walk_prev2",
    "walk_next2",
)
"""Columns :func:`walk_features` adds, in this order."""


def _ibis() -> Any:
    import ibis  # noqa: PLC0415 - engine library imported on use

    return ibis


def pair_isolation(t: ir.Table) -> ir.Table:
    """``tran_id, pair_isolation, alone``: how long the relation stays quiet around a transfer.

    ``pair_isolation`` is the days to the nearest other transfer on the same relation (payer →
    payee; ties on a day are broken by ``tran_id``, so two on one day are 0 days apart). For a
    relation with no other transfer (``alone``) it is the days the file covers on the shorter
    side — ``min(day − first day of the file, last day of the file − day)``: a relation first
    seen a few days before the file ends has had no time to repeat, so it is not called
    isolated. Always filled.
    """
    ibis = _ibis()
    ordered = ibis.window(group_by=[t.orig, t.bene], order_by=[t.day, t.tran_id])
    day = t.day.cast("int64")
    gaps = t.select(
        "tran_id",
        "orig",
        "bene",
        day=day,
        gap_prev=day - day.lag().over(ordered),
        gap_next=day.lead().over(ordered) - day,
    )
    bounds = t.aggregate(file_first=t.day.min().cast("int64"), file_last=t.day.max().cast("int64"))
    gaps = gaps.cross_join(bounds)
    alone = gaps.gap_prev.isnull() & gaps.gap_next.isnull()
    covered = ibis.ifelse(
        gaps.day - gaps.file_first <= gaps.file_last - gaps.day,
        gaps.day - gaps.file_first,
        gaps.file_last - gaps.day,
    )
    nearest = ibis.ifelse(alone, covered, nearest_gap(gaps.gap_prev, gaps.gap_next))
    return gaps.select("tran_id", "orig", "bene", "day", pair_isolation=nearest, alone=alone)


def neighbour_step(
    t: ir.Table,
    flags: tuple[ir.Value, ir.Value],
    days: int,
    *,
    nearest: int | None,
    prefix: str,
) -> tuple[ir.Table, ir.Table]:
    """Per transfer: the payee's flagged payments after it, the payer's flagged receipts before.

    ``t`` has ``tran_id, orig, bene, day``; ``flags`` are two boolean columns of it: which
    payments (out of the payee) and which receipts (into the payer) count. Counts look
    ``days`` days away (the transfer's own day excluded). With ``nearest``, also the days to
    the closest flagged one up to ``nearest`` days away (empty when none). Returns
    ``(next, prev)`` keyed by ``tran_id``, with the columns ``{prefix}_next`` (and
    ``{prefix}_next_days``) and ``{prefix}_prev`` (and ``{prefix}_prev_days``).
    """
    ibis = _ibis()
    out_flag, in_flag = flags
    zero = ibis.literal(0, "int64")
    day = t.day.cast("int64")
    rows = t.select(acct=t.orig, day=day, f_out=out_flag.cast("int64"), f_in=zero).union(
        t.select(acct=t.bene, day=day, f_out=zero, f_in=in_flag.cast("int64"))
    )
    per_day = rows.group_by(["acct", "day"]).aggregate(f_out=rows.f_out.sum(), f_in=rows.f_in.sum())
    after = ibis.window(group_by="acct", order_by="day", range=(1, days))
    before = ibis.window(group_by="acct", order_by="day", range=(-days, -1))
    none = ibis.null("int64")
    sums: dict[str, Any] = {
        "n_next": per_day.f_out.sum().over(after).fill_null(zero),
        "n_prev": per_day.f_in.sum().over(before).fill_null(zero),
    }
    if nearest is not None:
        far_after = ibis.window(group_by="acct", order_by="day", range=(1, nearest))
        far_before = ibis.window(group_by="acct", order_by="day", range=(-nearest, -1))
        out_day = ibis.ifelse(per_day.f_out > 0, per_day.day, none)
        in_day = ibis.ifelse(per_day.f_in > 0, per_day.day, none)
        sums["d_next"] = out_day.min().over(far_after) - per_day.day
        sums["d_prev"] = per_day.day - in_day.max().over(far_before)
    table = per_day.select("acct", "day", **sums)
    nxt_cols = {f"{prefix}_next": "n_next"}
    prev_cols = {f"{prefix}_prev": "n_prev"}
    if nearest is not None:
        nxt_cols[f"{prefix}_next_days"] = "d_next"
        prev_cols[f"{prefix}_prev_days"] = "d_prev"
    nxt = t.join(table, [t.bene == table.acct, day == table.day]).select(
        t.tran_id, **{name: table[col] for name, col in nxt_cols.items()}
    )
    prev = t.join(table, [t.orig == table.acct, day == table.day]).select(
        t.tran_id, **{name: table[col] for name, col in prev_cols.items()}
    )
    return nxt, prev


def walk_features(
    t: ir.Table,
    stage: Callable[[str, ir.Table], ir.Table],
    *,
    days: int = 3,
    nearest: int = 7,
    quiet: int = 30,
) -> ir.Table:
    """Per ``tran_id``: the :data:`WALK_COLUMNS` (see the module docstring).

    ``t`` is the transfer table; a *one-off* is the only transfer of its relation with at
    least ``quiet`` days of the file on both sides of it (:func:`pair_isolation` ≥ ``quiet``),
    so a relation that began just before the file ends is not taken for a one-off. ``stage``
    materialises the intermediate tables that are joined back to themselves.
    """
    isolation = stage("tx_walk_isolation", pair_isolation(t))
    flagged = isolation.select(
        "tran_id",
        "orig",
        "bene",
        "day",
        one_off=isolation.alone & (isolation.pair_isolation >= quiet),
    )
    flagged = stage("tx_walk_one_off", flagged)
    nxt, prev = neighbour_step(
        flagged, (flagged.one_off, flagged.one_off), days, nearest=nearest, prefix="walk"
    )
    hop = flagged.join(nxt, "tran_id").join(prev, "tran_id")
    hop = stage(
        "tx_walk_hops",
        hop.select(
            "tran_id", "orig", "bene", "day", "one_off",
            "walk_prev", "walk_next", "walk_prev_days", "walk_next_days",
        ),
    )  # fmt: skip
    onward = hop.one_off & (hop.walk_next > 0)
    backward = hop.one_off & (hop.walk_prev > 0)
    nxt2, prev2 = neighbour_step(hop, (onward, backward), days, nearest=None, prefix="walk2")
    isolation = isolation.select("tran_id", "pair_isolation")
    out = hop.join(nxt2, "tran_id").join(prev2, "tran_id").join(isolation, "tran_id")
    return out.select(
        "tran_id",
        "pair_isolation",
        "walk_prev",
        "walk_next",
        "walk_prev_days",
        "walk_next_days",
        walk_prev2=out.walk2_prev,
        walk_next2=out.walk2_next,
    )


__all__ = ["WALK_COLUMNS", "neighbour_step", "pair_isolation", "walk_features"]
