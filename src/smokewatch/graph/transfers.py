"""Graph features of the transfer graph, as ibis expressions any engine runs.

The input is a *transfer table* with one row per transfer and the columns

``tran_id`` (int64) · ``orig`` (payer account, string) · ``bene`` (payee account, string) ·
``day`` (int32, days since 1970-01-01) · ``amount`` (float64)

and every function here returns an ibis expression over it, so the same code runs on DuckDB
and on Spark, with memory bounded by the engine (aggregations and window frames, never the
whole graph in Python). The building blocks:

- :func:`pairs` — one row per (payer, payee) relation: how often, first and last day, sum;
- :func:`account_days` — one row per account and active day: transfers and amounts in and
  out, and *new* counterparties (first transfer of a relation on that day);
- :func:`windowed` — the account-day rows with sums over the ``window`` days before and after
  each day (``RANGE`` frames), i.e. fan-in/fan-out and velocity around any date;
- :func:`accounts` — lifetime statistics per account (degrees, distinct counterparties,
  active days, amounts, money kept);
- :func:`layering_chains` — one-off payments passed on within days, one and two hops each
  way: the *layering chain* building block;
- :func:`~smokewatch.graph.transfer_walk.walk_features` — money relayed through relations
  used exactly once, within days, and a relation's lone extra payments;
- :func:`relay_paths` — two-step paths ``payer → relay → payee`` through relay accounts with
  few counterparties, within the window: the *scatter-gather* building block;
- :func:`transfer_graph_features` — everything joined back to each transfer.

Features describe behaviour, not identities: no account id, and the amount only relative to
the account's own amounts or to the amounts around it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smokewatch.graph.transfer_rhythm import rhythm_features
from smokewatch.graph.transfer_walk import walk_features

if TYPE_CHECKING:
    import ibis.expr.types as ir

TRANSFER_COLUMNS = ("tran_id", "orig", "bene", "day", "amount")
"""Columns of the transfer table every function here reads."""


@dataclass(frozen=True, slots=True)
class GraphWindows:
    """Window sizes of the graph features, in days (recorded in model manifests)."""

    window: int = 10
    """Fan-in/fan-out, velocity and pass-through look this many days back and ahead."""
    relay_max_counterparties: int = 20
    """Relay accounts of two-step paths have at most this many counterparties in total (bounds
    the join: hubs with thousands of counterparties would make it quadratic)."""
    chain: int = 5
    """A one-off payment is passed on when the payee makes another one-off payment within this
    many days after it (a working week): the hop of a layering chain."""
    one_off: int = 2
    """A relation (payer → payee) with at most this many transfers is a one-off (chains)."""
    walk: int = 3
    """Relayed-money counts look this many days before and after the transfer for transfers
    on relations used exactly once (:mod:`smokewatch.graph.transfer_walk`)."""
    walk_nearest: int = 7
    """Days to the nearest such one-off are looked for up to this many days away."""
    walk_quiet: int = 30
    """A relation's only transfer is a one-off (for the walk) when the file covers at least
    this many days on both sides of it: a relation begun days before the file ends may repeat."""

    def to_json(self) -> dict[str, int]:
        """For manifests."""
        return {
            "window": self.window,
            "relay_max_counterparties": self.relay_max_counterparties,
            "chain": self.chain,
            "one_off": self.one_off,
            "walk": self.walk,
            "walk_nearest": self.walk_nearest,
            "walk_quiet": self.walk_quiet,
        }


def _ibis() -> Any:
    import ibis  # noqa: PLC0415 - engine library imported on use

    return ibis


def pairs(t: ir.Table) -> ir.Table:
    """One row per payer → payee relation.

    Columns: ``orig``, ``bene``, ``pair_n`` (transfers), ``pair_first``/``pair_last`` (days),
    ``pair_amount`` (sum).
    """
    return t.group_by(["orig", "bene"]).aggregate(
        pair_n=t.tran_id.count(),
        pair_first=t.day.min(),
        pair_last=t.day.max(),
        pair_amount=t.amount.sum(),
    )


def account_days(t: ir.Table, relations: ir.Table) -> ir.Table:
    """One row per account and day with activity in either direction.

    Columns: ``acct``, ``day``, ``out_n``, ``out_amt``, ``in_n``, ``in_amt``, ``new_out``
    (payees paid for the first time that day), ``new_in`` (payers seen for the first time).
    """
    ibis = _ibis()
    zero = ibis.literal(0, "int64")
    zero_f = ibis.literal(0.0, "float64")
    out = t.select(
        acct=t.orig, day=t.day, out_n=ibis.literal(1, "int64"), out_amt=t.amount,
        in_n=zero, in_amt=zero_f, new_out=zero, new_in=zero,
    )  # fmt: skip
    inc = t.select(
        acct=t.bene, day=t.day, out_n=zero, out_amt=zero_f,
        in_n=ibis.literal(1, "int64"), in_amt=t.amount, new_out=zero, new_in=zero,
    )  # fmt: skip
    new_out = relations.group_by(["orig", "pair_first"]).aggregate(n=relations.orig.count())
    new_in = relations.group_by(["bene", "pair_first"]).aggregate(n=relations.bene.count())
    firsts_out = new_out.select(
        acct=new_out.orig, day=new_out.pair_first, out_n=zero, out_amt=zero_f,
        in_n=zero, in_amt=zero_f, new_out=new_out.n.cast("int64"), new_in=zero,
    )  # fmt: skip
    firsts_in = new_in.select(
        acct=new_in.bene, day=new_in.pair_first, out_n=zero, out_amt=zero_f,
        in_n=zero, in_amt=zero_f, new_out=zero, new_in=new_in.n.cast("int64"),
    )  # fmt: skip
    rows = out.union(inc).union(firsts_out).union(firsts_in)
    return rows.group_by(["acct", "day"]).aggregate(
        out_n=rows.out_n.sum(),
        out_amt=rows.out_amt.sum(),
        in_n=rows.in_n.sum(),
        in_amt=rows.in_amt.sum(),
        new_out=rows.new_out.sum(),
        new_in=rows.new_in.sum(),
    )


WINDOW_SUMS = ("out_n", "out_amt", "in_n", "in_amt", "new_out", "new_in")


def windowed(days: ir.Table, window: int) -> ir.Table:
    """Account-day rows with sums over the window before and after each day.

    ``*_p`` sum over ``[day − window, day]``, ``*_f`` over ``[day, day + window]``;
    ``days_p``/``days_f`` count the active days in each frame.
    """
    ibis = _ibis()
    past = ibis.window(group_by="acct", order_by="day", range=(-window, 0))
    future = ibis.window(group_by="acct", order_by="day", range=(0, window))
    sums: dict[str, Any] = {}
    for column in WINDOW_SUMS:
        sums[f"{column}_p"] = days[column].sum().over(past)
        sums[f"{column}_f"] = days[column].sum().over(future)
    sums["days_p"] = days.day.count().over(past)
    sums["days_f"] = days.day.count().over(future)
    return days.select("acct", "day", *WINDOW_SUMS, **sums)


def accounts(t: ir.Table, relations: ir.Table) -> ir.Table:
    """Lifetime statistics per account.

    Columns: ``acct``, ``out_n``, ``in_n``, ``out_cp``/``in_cp`` (distinct payees/payers),
    ``out_amt``/``in_amt`` (sums), ``out_mean``/``in_mean``, ``first_day``, ``last_day``,
    ``active_days``.
    """
    ibis = _ibis()
    out = relations.group_by(relations.orig.name("acct")).aggregate(
        out_n=relations.pair_n.sum(),
        out_cp=relations.orig.count(),
        out_amt=relations.pair_amount.sum(),
        out_first=relations.pair_first.min(),
        out_last=relations.pair_last.max(),
    )
    inc = relations.group_by(relations.bene.name("acct")).aggregate(
        in_n=relations.pair_n.sum(),
        in_cp=relations.bene.count(),
        in_amt=relations.pair_amount.sum(),
        in_first=relations.pair_first.min(),
        in_last=relations.pair_last.max(),
    )
    active = (
        t.select(acct=t.orig, day=t.day)
        .union(t.select(acct=t.bene, day=t.day))
        .group_by("acct")
        .aggregate(active_days=ibis._.day.nunique())
    )
    joined = active.left_join(out, active.acct == out.acct).drop("acct_right")
    joined = joined.left_join(inc, joined.acct == inc.acct).drop("acct_right")
    zero = ibis.literal(0, "int64")
    zero_f = ibis.literal(0.0, "float64")
    out_n = joined.out_n.fill_null(zero)
    in_n = joined.in_n.fill_null(zero)
    out_amt = joined.out_amt.fill_null(zero_f)
    in_amt = joined.in_amt.fill_null(zero_f)
    return joined.select(
        acct=joined.acct,
        out_n=out_n,
        in_n=in_n,
        out_cp=joined.out_cp.fill_null(zero),
        in_cp=joined.in_cp.fill_null(zero),
        out_amt=out_amt,
        in_amt=in_amt,
        out_mean=ibis.ifelse(out_n > 0, out_amt / out_n, ibis.null("float64")),
        in_mean=ibis.ifelse(in_n > 0, in_amt / in_n, ibis.null("float64")),
        first_day=ibis.least(joined.out_first, joined.in_first),
        last_day=ibis.greatest(joined.out_last, joined.in_last),
        active_days=joined.active_days,
    )


def relay_paths(relations: ir.Table, accts: ir.Table, windows: GraphWindows) -> ir.Table:
    """Two-step paths ``payer → relay → payee`` within the window, via small relay accounts.

    One row per (``orig``, ``relay``, ``bene``) where the relay received from ``orig`` and paid
    ``bene`` no more than ``window`` days apart (by the relations' first and last days), and
    the relay has at most ``relay_max_counterparties`` counterparties in total. Payer and
    payee differ (a return to the payer is a cycle, counted elsewhere).
    """
    small = accts.filter((accts.out_cp + accts.in_cp) <= windows.relay_max_counterparties).select(
        relay=accts.acct
    )
    first = relations.select(
        orig=relations.orig, relay=relations.bene, f1=relations.pair_first, l1=relations.pair_last
    )
    first = first.join(small, "relay")
    second = relations.select(
        relay2=relations.orig, bene=relations.bene, f2=relations.pair_first, l2=relations.pair_last
    )
    paths = first.join(second, first.relay == second.relay2)
    paths = paths.filter(
        (paths.orig != paths.bene)
        & (paths.f2 >= paths.f1 - windows.window)
        & (paths.f2 <= paths.l1 + windows.window)
    )
    return paths.select("orig", "relay", "bene")


def relay_counts(paths: ir.Table) -> tuple[ir.Table, ir.Table, ir.Table]:
    """Scatter-gather counts from two-step paths.

    Returns three tables:

    - ``direct`` (``orig``, ``bene``, ``sg_relays``): relays between a payer and a payee —
      for a transfer that *is* the shortcut of a scatter-gather;
    - ``first_leg`` (``orig``, ``bene``, ``sg_first_leg``): for the leg payer → relay, the
      most relays the payer shares with that relay towards one final payee;
    - ``second_leg`` (``orig``, ``bene``, ``sg_second_leg``): for the leg relay → payee, the
      most relays the payee shares with that relay from one first payer.
    """
    direct = paths.group_by(["orig", "bene"]).aggregate(sg_relays=paths.relay.nunique())
    with_k = paths.join(direct, ["orig", "bene"])
    first_leg = with_k.group_by([with_k.orig, with_k.relay.name("leg_bene")]).aggregate(
        sg_first_leg=with_k.sg_relays.max()
    )
    first_leg = first_leg.rename(bene="leg_bene")
    second_leg = with_k.group_by([with_k.relay.name("leg_orig"), with_k.bene]).aggregate(
        sg_second_leg=with_k.sg_relays.max()
    )
    second_leg = second_leg.rename(orig="leg_orig")
    return direct, first_leg, second_leg


def chain_step(
    t: ir.Table, out_flag: ir.Value, in_flag: ir.Value, days: int, names: tuple[str, str]
) -> tuple[ir.Table, ir.Table]:
    """Per transfer: the payee's flagged payments after it, the payer's flagged receipts before.

    Both look ``days`` days away from the transfer's day (that day excluded). Returns
    ``(next, prev)`` tables keyed by ``tran_id`` with the columns named ``names``.
    """
    ibis = _ibis()
    zero = ibis.literal(0, "int64")
    rows = t.select(acct=t.orig, day=t.day, f_out=out_flag.cast("int64"), f_in=zero).union(
        t.select(acct=t.bene, day=t.day, f_out=zero, f_in=in_flag.cast("int64"))
    )
    per_day = rows.group_by(["acct", "day"]).aggregate(f_out=rows.f_out.sum(), f_in=rows.f_in.sum())
    after = ibis.window(group_by="acct", order_by="day", range=(1, days))
    before = ibis.window(group_by="acct", order_by="day", range=(-days, -1))
    sums = per_day.select(
        "acct",
        "day",
        n_next=per_day.f_out.sum().over(after).fill_null(zero),
        n_prev=per_day.f_in.sum().over(before).fill_null(zero),
    )
    nxt = t.join(sums, [t.bene == sums.acct, t.day == sums.day]).select(
        t.tran_id, sums.n_next.name(names[0])
    )
    prev = t.join(sums, [t.orig == sums.acct, t.day == sums.day]).select(
        t.tran_id, sums.n_prev.name(names[1])
    )
    return nxt, prev


def layering_chains(
    t: ir.Table, relations: ir.Table, windows: GraphWindows, stage: Stage
) -> ir.Table:
    """How one-off payments around each transfer link up into a chain (多层过桥).

    A *one-off* is a transfer on a relation with at most ``one_off`` transfers. One row per
    ``tran_id`` with

    - ``chain_next``: one-off payments the payee makes within ``chain`` days after this
      transfer (it passes the money on to someone it rarely pays);
    - ``chain_prev``: one-off receipts of the payer within ``chain`` days before;
    - ``chain_next2``: of the payee's one-off payments, those that are passed on again (a
      second hop); ``chain_prev2``: of the payer's one-off receipts, those whose payer had
      itself just received a one-off (a second hop back);
    - ``chain_next_all`` and ``chain_prev_all``: all payments of the payee in those days
      after, all receipts of the payer in those days before — the denominators that tell a
      hub's routine one-off business from an account that mostly passes money to strangers;
    - ``o_out_rhythm``, ``b_in_rhythm``, ``off_next``, ``off_prev``: the transfer against the
      accounts' own schedules and the one-off hops paid off their payer's schedule around it
      (:func:`~smokewatch.graph.transfer_rhythm.rhythm_features`).

    A random walk of money along accounts' ordinary counterparties looks like ordinary traffic
    transfer by transfer; as a chain of one-off hops days apart it does not.
    """
    ibis = _ibis()
    zero = ibis.literal(0, "int64")
    once = relations.filter(relations.pair_n <= windows.one_off).select("orig", "bene")
    once = once.mutate(one_off=ibis.literal(1, "int64"))
    flagged = t.left_join(once, ["orig", "bene"]).select(
        "tran_id", "orig", "bene", "day", one_off=ibis._.one_off.fill_null(zero) > 0
    )
    flagged = stage("tx_one_off", flagged)
    first = ("chain_next", "chain_prev")
    nxt, prev = chain_step(flagged, flagged.one_off, flagged.one_off, windows.chain, first)
    hop = flagged.join(nxt, "tran_id").join(prev, "tran_id")
    hop = stage(
        "tx_chain_hops",
        hop.select("tran_id", "orig", "bene", "day", "one_off", *first),
    )
    onward = hop.one_off & (hop.chain_next > 0)
    backward = hop.one_off & (hop.chain_prev > 0)
    second = ("chain_next2", "chain_prev2")
    nxt2, prev2 = chain_step(hop, onward, backward, windows.chain, second)
    every = ibis.literal(True)
    totals = ("chain_next_all", "chain_prev_all")
    nxt_all, prev_all = chain_step(flagged, every, every, windows.chain, totals)
    rhythm = stage("tx_rhythm", rhythm_features(t, flagged, windows.chain, stage))
    out = hop.join(nxt2, "tran_id").join(prev2, "tran_id")
    out = out.join(nxt_all, "tran_id").join(prev_all, "tran_id").join(rhythm, "tran_id")
    return out.select("tran_id", *first, *second, *totals, *RHYTHM_COLUMNS)


RHYTHM_COLUMNS = ("o_out_rhythm", "b_in_rhythm", "off_next", "off_prev")
"""Columns of :func:`~smokewatch.graph.transfer_rhythm.rhythm_features` in the chain block."""


CHAIN_HOPS = 6
""":func:`chain_lengths` follows chains this many hops each way (longer ones count as this)."""


def chain_lengths(flagged: ir.Table, days: int, stage: Stage, hops: int = CHAIN_HOPS) -> ir.Table:
    """The longest run of one-off hops, each within ``days`` days of the last, around a transfer.

    ``flagged`` has ``tran_id, orig, bene, day, one_off``. One row per ``tran_id`` with

    - ``chain_fwd``: hops after it — the payee makes a one-off payment within ``days`` days,
      whose payee makes another within ``days`` days of that one, and so on (up to ``hops``);
    - ``chain_bwd``: the same upstream — the payer's one-off receipt in the ``days`` days
      before, that receipt's payer's one-off receipt before it, and so on.

    Money walked from stranger to stranger day after day (AMLSim's ``random`` typology, 多层
    过桥) makes long runs; an account's routine one-off payments rarely line up into them.
    Computed by ``hops`` rounds of a ``RANGE`` window maximum over account-days, so memory
    stays in the engine; the path is followed through one-off transfers only.
    """
    ibis = _ibis()
    zero = ibis.literal(0, "int64")
    none = ibis.null("int64")
    after = ibis.window(group_by="acct", order_by="day", range=(1, days))
    before = ibis.window(group_by="acct", order_by="day", range=(-days, -1))
    state = stage(
        "tx_chain_len_0",
        flagged.select("tran_id", "orig", "bene", "day", "one_off", f=zero, b=zero),
    )
    for round_ in range(1, hops + 1):
        rows = state.select(
            acct=state.orig, day=state.day, nf=ibis.ifelse(state.one_off, state.f + 1, none),
            nb=none,
        ).union(
            state.select(
                acct=state.bene, day=state.day, nf=none,
                nb=ibis.ifelse(state.one_off, state.b + 1, none),
            )
        )  # fmt: skip
        per_day = rows.group_by(["acct", "day"]).aggregate(nf=rows.nf.max(), nb=rows.nb.max())
        best = per_day.select(
            "acct",
            "day",
            f=per_day.nf.max().over(after).fill_null(zero),
            b=per_day.nb.max().over(before).fill_null(zero),
        )
        fwd = best.select(f_acct=best.acct, f_day=best.day, f_new=best.f)
        bwd = best.select(b_acct=best.acct, b_day=best.day, b_new=best.b)
        nxt = state.join(fwd, [state.bene == fwd.f_acct, state.day == fwd.f_day])
        nxt = nxt.join(bwd, [nxt.orig == bwd.b_acct, nxt.day == bwd.b_day])
        nxt = nxt.select("tran_id", "orig", "bene", "day", "one_off", f="f_new", b="b_new")
        state = stage(f"tx_chain_len_{round_ % 2}", nxt)
    return state.select("tran_id", chain_fwd=state.f, chain_bwd=state.b)


def _prefixed(table: ir.Table, prefix: str, key: str = "acct") -> ir.Table:
    return table.rename({f"{prefix}{c}": c for c in table.columns if c != key})


def _attach(left: ir.Table, right: ir.Table, on: dict[str, str], *, how: str = "left") -> ir.Table:
    """``left`` with the non-key columns of ``right`` joined on ``{left_col: right_col}``."""
    keys = {name: f"__key_{i}" for i, name in enumerate(on.values())}
    right = right.rename({new: old for old, new in keys.items()})
    predicate = [left[lcol] == right[keys[rcol]] for lcol, rcol in on.items()]
    joined = left.join(right, predicate, how=how)
    added = [c for c in right.columns if c not in keys.values()]
    return joined.select(*[joined[c] for c in left.columns], *[joined[c] for c in added])


Stage = Callable[[str, "ir.Table"], "ir.Table"]
"""Materialises an intermediate result under a name and returns an expression over it (e.g.

A table inside the engine). Intermediate results are read several times by the final join;
without staging, an engine may recompute them for each reader.
"""


def _no_stage(name: str, expr: ir.Table) -> ir.Table:  # noqa: ARG001 - a Stage
    return expr


def transfer_graph_features(
    t: ir.Table,
    windows: GraphWindows | None = None,
    *,
    stage: Stage = _no_stage,
    chains: bool = False,
    walk: bool = False,
) -> ir.Table:
    """Every transfer with the graph statistics around it (one row per ``tran_id``).

    ``stage`` materialises the intermediate tables (relations, accounts, windowed account
    days, scatter-gather counts) so the final join reads each of them once.

    Columns added (``o_`` = the payer's, ``b_`` = the payee's):

    - lifetime ``o_*``/``b_*``: ``out_n``, ``in_n``, ``out_cp``, ``in_cp``, ``out_amt``,
      ``in_amt``, ``out_mean``, ``in_mean``, ``first_day``, ``last_day``, ``active_days``;
    - windowed ``ow_*``/``bw_*``: the account-day sums before (``_p``) and after (``_f``);
    - relation: ``pair_n``, ``pair_first``, ``pair_last``, ``pair_amount``, ``reverse_n``
      (transfers the other way), ``pair_seq`` (this transfer's rank within its relation);
    - same amount: ``o_same_amount`` (payer's transfers of exactly this amount),
      ``b_same_amount`` (payee's receipts of exactly this amount);
    - scatter-gather: ``sg_relays``, ``sg_first_leg``, ``sg_second_leg`` (0 when none);
    - with ``chains``: layering chains ``chain_next``, ``chain_prev``, ``chain_next2``,
      ``chain_prev2``, ``chain_next_all``, ``chain_prev_all`` and the rhythm columns
      ``o_out_rhythm``, ``b_in_rhythm``, ``off_next``, ``off_prev`` (:func:`layering_chains`). Off
      by default: measured on ews62k and not in the shipped model (docs/transfers-model.md).
    - with ``walk``: relayed money through one-off relations and the relation's isolation,
      ``pair_isolation``, ``walk_prev``, ``walk_next``, ``walk_prev_days``,
      ``walk_next_days``, ``walk_prev2``, ``walk_next2``
      (:func:`~smokewatch.graph.transfer_walk.walk_features`).
    """
    ibis = _ibis()
    windows = windows or GraphWindows()
    t = t.select(*TRANSFER_COLUMNS)
    relations = stage("tx_relations", pairs(t))
    accts = stage("tx_accounts", accounts(t, relations))
    win = stage("tx_account_days", windowed(account_days(t, relations), windows.window))
    reverse = relations.select(orig=relations.bene, bene=relations.orig, reverse_n=relations.pair_n)
    seq = t.select(
        "tran_id",
        pair_seq=ibis.row_number().over(
            ibis.window(group_by=[t.orig, t.bene], order_by=[t.day, t.tran_id])
        )
        + 1,
    )
    same_o = t.group_by(["orig", "amount"]).aggregate(o_same_amount=t.tran_id.count())
    same_b = t.group_by(["bene", "amount"]).aggregate(b_same_amount=t.tran_id.count())
    paths = stage("tx_relay_paths", relay_paths(relations, accts, windows))
    direct, first_leg, second_leg = relay_counts(paths)

    out = _attach(t, relations, {"orig": "orig", "bene": "bene"}, how="inner")
    out = _attach(out, reverse, {"orig": "orig", "bene": "bene"})
    out = _attach(out, seq, {"tran_id": "tran_id"}, how="inner")
    if chains:
        chained = stage("tx_chains", layering_chains(t, relations, windows, stage))
        out = _attach(out, chained, {"tran_id": "tran_id"}, how="inner")
    if walk:
        walked = walk_features(
            t, stage, days=windows.walk, nearest=windows.walk_nearest, quiet=windows.walk_quiet
        )
        out = _attach(out, stage("tx_walk", walked), {"tran_id": "tran_id"}, how="inner")
    out = _attach(out, same_o, {"orig": "orig", "amount": "amount"}, how="inner")
    out = _attach(out, same_b, {"bene": "bene", "amount": "amount"}, how="inner")
    for table in (direct, first_leg, second_leg):
        out = _attach(out, table, {"orig": "orig", "bene": "bene"})
    out = _attach(out, _prefixed(accts, "o_"), {"orig": "acct"}, how="inner")
    out = _attach(out, _prefixed(accts, "b_"), {"bene": "acct"}, how="inner")
    out = _attach(out, _prefixed(win, "ow_"), {"orig": "acct", "day": "ow_day"}, how="inner")
    out = _attach(out, _prefixed(win, "bw_"), {"bene": "acct", "day": "bw_day"}, how="inner")
    zero = ibis.literal(0, "int64")
    return out.mutate(
        reverse_n=out.reverse_n.fill_null(zero),
        sg_relays=out.sg_relays.fill_null(zero),
        sg_first_leg=out.sg_first_leg.fill_null(zero),
        sg_second_leg=out.sg_second_leg.fill_null(zero),
    )


__all__ = [
    "CHAIN_HOPS",
    "RHYTHM_COLUMNS",
    "TRANSFER_COLUMNS",
    "WINDOW_SUMS",
    "GraphWindows",
    "account_days",
    "accounts",
    "chain_lengths",
    "chain_step",
    "layering_chains",
    "pairs",
    "relay_counts",
    "relay_paths",
    "transfer_graph_features",
    "windowed",
]
