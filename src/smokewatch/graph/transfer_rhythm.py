"""Account rhythm: is a transfer on an account's usual schedule, and off-rhythm relay chains.

Most accounts pay and get paid on a schedule of their own (salaries, rent, suppliers every
so many days). A bank analyst notices a payment *off* that rhythm, to someone the account
rarely pays, and notices it twice when the payee passes money on off its own rhythm within
days: money walked from account to account (多层过桥), each hop an extra payment outside the
account's routine. Everything here is relative to the account's own schedule — no amounts,
no degrees — and is an ibis expression over the transfer table of
:mod:`smokewatch.graph.transfers`, so DuckDB and Spark run the same code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    import ibis.expr.types as ir

OFF_RHYTHM = 0.5
"""A day is off an account's rhythm when its nearest other active day (same direction) is at
most this share of the account's mean gap between active days."""


def _ibis() -> Any:
    import ibis  # noqa: PLC0415 - engine library imported on use

    return ibis


def day_rhythm(t: ir.Table, side: str) -> ir.Table:
    """Per account and active day (paying for ``side="orig"``, receiving for ``"bene"``).

    Columns ``acct, day, rhythm``: the gap to the nearest other active day of the same
    direction divided by the account's mean gap between such days ((last − first) / (days −
    1)). About 1 on the account's schedule, small for an extra day squeezed between two
    scheduled ones; empty for an account active on one day only.
    """
    ibis = _ibis()
    days = t.select(acct=t[side], day=t.day.cast("int64")).distinct()
    ordered = ibis.window(group_by="acct", order_by="day")
    gaps = days.mutate(
        gap_prev=days.day - days.day.lag().over(ordered),
        gap_next=days.day.lead().over(ordered) - days.day,
    )
    stats = days.group_by("acct").aggregate(
        first=days.day.min(), last=days.day.max(), n=days.day.count()
    )
    stats = stats.select(
        s_acct=stats.acct,
        mean_gap=ibis.ifelse(
            stats.n > 1,
            (stats["last"] - stats["first"]).cast("float64") / (stats.n - 1).cast("float64"),
            ibis.null("float64"),
        ),
    )
    joined = gaps.join(stats, gaps.acct == stats.s_acct)
    nearest = nearest_gap(joined.gap_prev, joined.gap_next)
    return joined.select("acct", "day", rhythm=nearest.cast("float64") / joined.mean_gap)


def nearest_gap(gap_prev: ir.Value, gap_next: ir.Value) -> ir.Value:
    """The smaller of the gaps to the previous and the next event, whichever exists.

    Written out rather than ``least`` so that a missing side means the same on every engine.
    """
    ibis = _ibis()
    return ibis.ifelse(
        gap_prev.isnull(),
        gap_next,
        ibis.ifelse(gap_next.isnull() | (gap_prev <= gap_next), gap_prev, gap_next),
    )


def rhythm_features(
    t: ir.Table, one_off: ir.Table, chain_days: int, stage: Callable[[str, ir.Table], ir.Table]
) -> ir.Table:
    """Per ``tran_id``: the transfer against both accounts' rhythms, and off-rhythm relays.

    ``one_off`` has ``tran_id, orig, bene, day, one_off`` (see
    :func:`~smokewatch.graph.transfers.layering_chains`). An *off-rhythm hop* is a one-off
    transfer paid on a day off its payer's paying rhythm (:data:`OFF_RHYTHM`). Columns:

    - ``o_out_rhythm``: this day on the payer's paying schedule (:func:`day_rhythm`);
    - ``b_in_rhythm``: this day on the payee's receiving schedule;
    - ``off_next``: off-rhythm hops the payee pays in the ``chain_days`` days after;
    - ``off_prev``: off-rhythm hops the payer received in the ``chain_days`` days before.

    ``stage`` materialises the flagged transfers before they are joined back to themselves.
    """
    from smokewatch.graph.transfers import chain_step  # noqa: PLC0415 - avoids a cycle

    ibis = _ibis()
    out_days = day_rhythm(t, "orig")
    in_days = day_rhythm(t, "bene")
    o_r = out_days.select(r_acct=out_days.acct, r_day=out_days.day, o_out_rhythm=out_days.rhythm)
    b_r = in_days.select(i_acct=in_days.acct, i_day=in_days.day, b_in_rhythm=in_days.rhythm)
    flagged = one_off.join(
        o_r, [one_off.orig == o_r.r_acct, one_off.day.cast("int64") == o_r.r_day]
    )
    flagged = flagged.join(
        b_r, [flagged.bene == b_r.i_acct, flagged.day.cast("int64") == b_r.i_day]
    )
    off = flagged.one_off & (flagged.o_out_rhythm <= OFF_RHYTHM).fill_null(ibis.literal(False))
    flagged = stage(
        "tx_rhythm_hops",
        flagged.select("tran_id", "orig", "bene", "day", "o_out_rhythm", "b_in_rhythm", off=off),
    )
    nxt, prev = chain_step(flagged, flagged.off, flagged.off, chain_days, ("off_next", "off_prev"))
    out = flagged.join(nxt, "tran_id").join(prev, "tran_id")
    return out.select("tran_id", "o_out_rhythm", "b_in_rhythm", "off_next", "off_prev")


__all__ = [
    "OFF_RHYTHM",
    "day_rhythm",
    "nearest_gap",
    "rhythm_features",
]
