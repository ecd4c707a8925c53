"""Transfer-model features: the graph around each transfer, never who or how much.

Every feature reads the base view built by :func:`smokewatch.graph.transfers.
transfer_graph_features` (one row per transfer). Deliberately absent, so the model learns
behaviour that carries over to other data: account ids, the raw amount and raw amount sums
(AMLSim draws scatter-gather amounts from a narrower range than normal traffic — a generator
shortcut), and the bank names themselves. Amounts only appear relative to the account's own
amounts or to the money moving around the transfer. "Window" means the 10 days before
(``past``) or after (``next``) the transfer's day, that day included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smokewatch.score.ml.features import FeatureKind, FeatureSet

if TYPE_CHECKING:
    import ibis.expr.types as ir

TX = ("transactions.csv.gz",)
ACCOUNTS = ("accounts.csv.gz",)
COUNT, FLAG = FeatureKind.COUNT, FeatureKind.FLAG
DAYS = ("天", "days")

TRANSFER_FEATURES = FeatureSet("transfer-risk", keys=("tran_id",), base="transfer")
"""Every feature of the transfer-risk model, in model column order."""
F = TRANSFER_FEATURES


def _ratio(numerator: Any, denominator: Any) -> Any:
    import ibis  # noqa: PLC0415

    return ibis.ifelse(denominator > 0, numerator / denominator, ibis.null("float64"))


# -- the payer -------------------------------------------------------------------------


@F.row(zh="付款方转出笔数", en="payer's transfers out", inputs=TX, kind=COUNT)
def payer_out_count(t: ir.Table) -> ir.Value:
    """Transfers the payer made over the whole period."""
    return t.o_out_n


@F.row(zh="付款方转入笔数", en="payer's transfers in", inputs=TX, kind=COUNT)
def payer_in_count(t: ir.Table) -> ir.Value:
    """Transfers the payer received over the whole period.

    A payer that only pays out is a funding source, one that receives and pays about as often is
    a relay.
    """
    return t.o_in_n


@F.row(zh="付款方收款对象数", en="payer's distinct payees", inputs=TX, kind=COUNT)
def payer_payees(t: ir.Table) -> ir.Value:
    """Distinct accounts the payer paid (fan-out over the whole period)."""
    return t.o_out_cp


@F.row(zh="付款方来款对象数", en="payer's distinct payers", inputs=TX, kind=COUNT)
def payer_payers(t: ir.Table) -> ir.Value:
    """Distinct accounts that paid the payer (fan-in over the whole period)."""
    return t.o_in_cp


@F.row(zh="付款方活跃天数", en="payer's active days", inputs=TX, kind=COUNT, unit=DAYS)
def payer_active_days(t: ir.Table) -> ir.Value:
    """Days on which the payer made or received a transfer.

    Accounts used on a handful of days only (opened or woken up for one scheme) are typical of
    mules.
    """
    return t.o_active_days


@F.row(zh="付款方账户活动天数", en="days since payer's first transfer", inputs=TX, unit=DAYS)
def payer_age(t: ir.Table) -> ir.Value:
    """Days between the payer's first transfer in the data and this one."""
    return (t.day - t.o_first_day).cast("float64")


@F.row(zh="付款方资金留存率", en="share of payer's receipts kept", inputs=TX, percent=True)
def payer_kept(t: ir.Table) -> ir.Value:
    """(money in − money out) / money in over the whole period.

    Near 0 or negative for an account that passes on what it receives (快进快出), empty when it
    received nothing.
    """
    return _ratio(t.o_in_amt - t.o_out_amt, t.o_in_amt)


@F.row(zh="金额/付款方平均转出额", en="amount / payer's mean transfer", inputs=TX)
def amount_vs_payer_mean(t: ir.Table) -> ir.Value:
    """This amount relative to the payer's average transfer out (1 = a typical one)."""
    return _ratio(t.amount, t.o_out_mean)


@F.row(zh="付款方同额转出笔数", en="payer's transfers of this exact amount", inputs=TX, kind=COUNT)
def payer_same_amount(t: ir.Table) -> ir.Value:
    """Transfers of exactly this amount by the payer.

    Splitting one sum into equal parts sent to many accounts (scatter) repeats the same amount.
    """
    return t.o_same_amount


# -- the payer around the transfer -----------------------------------------------------


@F.row(zh="付款方前10天转出笔数", en="payer's transfers out, past window", inputs=TX, kind=COUNT)
def payer_out_past(t: ir.Table) -> ir.Value:
    """Transfers the payer made in the window before this one (velocity)."""
    return t.ow_out_n_p


@F.row(zh="付款方后10天转出笔数", en="payer's transfers out, next window", inputs=TX, kind=COUNT)
def payer_out_next(t: ir.Table) -> ir.Value:
    """Transfers the payer makes in the window after this one."""
    return t.ow_out_n_f


@F.row(zh="付款方前10天转入笔数", en="payer's transfers in, past window", inputs=TX, kind=COUNT)
def payer_in_past(t: ir.Table) -> ir.Value:
    """Transfers the payer received in the window before paying.

    Money that came in just before it went out again.
    """
    return t.ow_in_n_p


@F.row(zh="付款方前10天新增收款对象", en="payer's new payees, past window", inputs=TX, kind=COUNT)
def payer_new_payees_past(t: ir.Table) -> ir.Value:
    """Accounts the payer paid for the first time in the window before (fan-out burst)."""
    return t.ow_new_out_p


@F.row(zh="付款方后10天新增收款对象", en="payer's new payees, next window", inputs=TX, kind=COUNT)
def payer_new_payees_next(t: ir.Table) -> ir.Value:
    """Accounts the payer pays for the first time in the window after (fan-out burst)."""
    return t.ow_new_out_f


@F.row(zh="付款方前10天新增来款对象", en="payer's new payers, past window", inputs=TX, kind=COUNT)
def payer_new_payers_past(t: ir.Table) -> ir.Value:
    """Accounts that paid the payer for the first time in the window before.

    Gathering from new accounts just before scattering is the gather-scatter pattern.
    """
    return t.ow_new_in_p


@F.row(zh="付款方前10天活跃天数", en="payer's active days, past window", inputs=TX, kind=COUNT)
def payer_days_past(t: ir.Table) -> ir.Value:
    """Days with activity of the payer in the window before."""
    return t.ow_days_p


@F.row(zh="付款方前10天来款/本笔金额", en="payer's receipts in past window / amount", inputs=TX)
def payer_funded(t: ir.Table) -> ir.Value:
    """Money the payer received in the window before, relative to this amount.

    About 1 when this transfer passes on what just came in.
    """
    return _ratio(t.ow_in_amt_p, t.amount)


# -- the payee -------------------------------------------------------------------------


@F.row(zh="收款方转入笔数", en="payee's transfers in", inputs=TX, kind=COUNT)
def payee_in_count(t: ir.Table) -> ir.Value:
    """Transfers the payee received over the whole period."""
    return t.b_in_n


@F.row(zh="收款方转出笔数", en="payee's transfers out", inputs=TX, kind=COUNT)
def payee_out_count(t: ir.Table) -> ir.Value:
    """Transfers the payee made over the whole period."""
    return t.b_out_n


@F.row(zh="收款方来款对象数", en="payee's distinct payers", inputs=TX, kind=COUNT)
def payee_payers(t: ir.Table) -> ir.Value:
    """Distinct accounts that paid the payee (fan-in: a fund pool collects from many)."""
    return t.b_in_cp


@F.row(zh="收款方收款对象数", en="payee's distinct payees", inputs=TX, kind=COUNT)
def payee_payees(t: ir.Table) -> ir.Value:
    """Distinct accounts the payee paid (fan-out)."""
    return t.b_out_cp


@F.row(zh="收款方活跃天数", en="payee's active days", inputs=TX, kind=COUNT, unit=DAYS)
def payee_active_days(t: ir.Table) -> ir.Value:
    """Days on which the payee made or received a transfer."""
    return t.b_active_days


@F.row(zh="收款方账户活动天数", en="days since payee's first transfer", inputs=TX, unit=DAYS)
def payee_age(t: ir.Table) -> ir.Value:
    """Days between the payee's first transfer in the data and this one."""
    return (t.day - t.b_first_day).cast("float64")


@F.row(zh="收款方资金留存率", en="share of payee's receipts kept", inputs=TX, percent=True)
def payee_kept(t: ir.Table) -> ir.Value:
    """(money in − money out) / money in for the payee over the whole period."""
    return _ratio(t.b_in_amt - t.b_out_amt, t.b_in_amt)


@F.row(zh="金额/收款方平均收款额", en="amount / payee's mean receipt", inputs=TX)
def amount_vs_payee_mean(t: ir.Table) -> ir.Value:
    """This amount relative to the payee's average receipt."""
    return _ratio(t.amount, t.b_in_mean)


@F.row(zh="收款方同额收款笔数", en="payee's receipts of this exact amount", inputs=TX, kind=COUNT)
def payee_same_amount(t: ir.Table) -> ir.Value:
    """Receipts of exactly this amount by the payee (gathering equal parts)."""
    return t.b_same_amount


# -- the payee around the transfer -----------------------------------------------------


@F.row(zh="收款方前10天转入笔数", en="payee's transfers in, past window", inputs=TX, kind=COUNT)
def payee_in_past(t: ir.Table) -> ir.Value:
    """Transfers the payee received in the window before."""
    return t.bw_in_n_p


@F.row(zh="收款方后10天转入笔数", en="payee's transfers in, next window", inputs=TX, kind=COUNT)
def payee_in_next(t: ir.Table) -> ir.Value:
    """Transfers the payee receives in the window after."""
    return t.bw_in_n_f


@F.row(zh="收款方后10天转出笔数", en="payee's transfers out, next window", inputs=TX, kind=COUNT)
def payee_out_next(t: ir.Table) -> ir.Value:
    """Transfers the payee makes in the window after receiving this one (onward movement)."""
    return t.bw_out_n_f


@F.row(zh="收款方前10天新增来款对象", en="payee's new payers, past window", inputs=TX, kind=COUNT)
def payee_new_payers_past(t: ir.Table) -> ir.Value:
    """Accounts that paid the payee for the first time in the window before (fan-in burst)."""
    return t.bw_new_in_p


@F.row(zh="收款方后10天新增来款对象", en="payee's new payers, next window", inputs=TX, kind=COUNT)
def payee_new_payers_next(t: ir.Table) -> ir.Value:
    """Accounts that pay the payee for the first time in the window after (fan-in burst)."""
    return t.bw_new_in_f


@F.row(zh="收款方后10天新增收款对象", en="payee's new payees, next window", inputs=TX, kind=COUNT)
def payee_new_payees_next(t: ir.Table) -> ir.Value:
    """Accounts the payee pays for the first time in the window after (gather, then scatter)."""
    return t.bw_new_out_f


@F.row(zh="收款方后10天活跃天数", en="payee's active days, next window", inputs=TX, kind=COUNT)
def payee_days_next(t: ir.Table) -> ir.Value:
    """Days with activity of the payee in the window after."""
    return t.bw_days_f


@F.row(zh="收款方后10天转出/本笔金额", en="payee's payments in next window / amount", inputs=TX)
def payee_forwarded(t: ir.Table) -> ir.Value:
    """Money the payee sends on in the window after, relative to this amount.

    About 1 when the payee passes this money on (快进快出).
    """
    return _ratio(t.bw_out_amt_f, t.amount)


# -- the relation and the patterns -----------------------------------------------------


@F.row(zh="双方往来笔数", en="transfers between payer and payee", inputs=TX, kind=COUNT)
def pair_count(t: ir.Table) -> ir.Value:
    """Transfers from this payer to this payee over the whole period.

    Regular relations (salaries, rent) repeat, scheme transfers are often one-offs.
    """
    return t.pair_n


@F.row(zh="本笔为双方第几笔", en="rank of this transfer in the relation", inputs=TX, kind=COUNT)
def pair_rank(t: ir.Table) -> ir.Value:
    """1 for the first transfer from this payer to this payee, 2 for the second, and so on."""
    return t.pair_seq


@F.row(zh="双方首次往来距今天数", en="days since the relation began", inputs=TX, unit=DAYS)
def pair_age(t: ir.Table) -> ir.Value:
    """Days since the payer first paid this payee (0 for a first transfer)."""
    return (t.day - t.pair_first).cast("float64")


@F.row(zh="反向转账笔数", en="transfers the other way", inputs=TX, kind=COUNT)
def reverse_count(t: ir.Table) -> ir.Value:
    """Transfers from the payee back to the payer (a two-step cycle when money returns)."""
    return t.reverse_n


@F.row(zh="经中转账户的两步路径数", en="two-step paths via relays", inputs=TX, kind=COUNT)
def scatter_gather_relays(t: ir.Table) -> ir.Value:
    """Small relay accounts through which the payer also reached this payee in the window.

    Paths payer → relay → payee: the transfer parallels a scatter-gather.
    """
    return t.sg_relays


@F.row(zh="分散-汇聚：首段", en="scatter-gather, first leg", inputs=TX, kind=COUNT)
def scatter_gather_first_leg(t: ir.Table) -> ir.Value:
    """When the payee is a small relay.

    The most relays the payer used to reach one final payee (0 when the payee relays nothing).
    Many parallel relays = a scatter-gather.
    """
    return t.sg_first_leg


@F.row(zh="分散-汇聚：末段", en="scatter-gather, last leg", inputs=TX, kind=COUNT)
def scatter_gather_last_leg(t: ir.Table) -> ir.Value:
    """When the payer is a small relay.

    The most relays the payee was reached through from one first payer (the gather side of a
    scatter-gather).
    """
    return t.sg_second_leg


@F.row(zh="跨行转账", en="cross-bank transfer", inputs=ACCOUNTS, kind=FLAG)
def cross_bank(t: ir.Table) -> ir.Value:
    """Payer and payee hold their accounts at different banks (empty without an accounts file).

    Layering often moves money across institutions, out of one bank's sight.
    """
    return t.cross_bank


# -- relayed money: one-off relations within days (多层过桥) -----------------------------
# A one-off is a transfer on a relation (payer → payee) used exactly once over the file, at
# least 30 days from the file's first and last day (:mod:`smokewatch.graph.transfer_walk`).
# After the cross-bank flag: the column order of the run in docs/transfers-model.md.


@F.row(zh="本关系前后静默天数", en="days the relation is quiet around this transfer",
       inputs=TX, unit=DAYS)  # fmt: skip
def pair_isolation(t: ir.Table) -> ir.Value:
    """Days to the nearest other transfer from this payer to this payee.

    Ordinary relations repeat on a schedule or in bursts (days apart); money relayed along an
    existing relation is one lone extra payment months away from the relation's other
    payments. For a relation used once: the days the file covers on the shorter side of the
    transfer, so a relation begun days before the file ends does not look isolated.
    """
    return t.pair_isolation.cast("float64")


@F.row(zh="付款方前3天一次性来款笔数", en="payer's one-off receipts, 3 days before", inputs=TX,
       kind=COUNT)  # fmt: skip
def walk_prev(t: ir.Table) -> ir.Value:
    """Transfers the payer received in the 3 days before from payers that pay it only once.

    Money that just arrived through a never-repeated relation and leaves again: a relay.
    Routine one-off receipts are rare on accounts that mostly deal with the same
    counterparties.
    """
    return t.walk_prev


@F.row(zh="收款方后3天一次性转出笔数", en="payee's one-off payments, 3 days after", inputs=TX,
       kind=COUNT)  # fmt: skip
def walk_next(t: ir.Table) -> ir.Value:
    """Transfers the payee makes in the 3 days after to payees it pays only once.

    The payee passes money on within days through a fresh, never-repeated relation (过桥).
    """
    return t.walk_next


@F.row(zh="距付款方最近一次性来款天数", en="days since the payer's last one-off receipt",
       inputs=TX, unit=DAYS)  # fmt: skip
def walk_prev_days(t: ir.Table) -> ir.Value:
    """Days since the payer last received a one-off transfer, looking back 7 days.

    Empty when there was none in that week; 1 when the money came in the day before.
    """
    return t.walk_prev_days.cast("float64")


@F.row(zh="距收款方下一笔一次性转出天数", en="days to the payee's next one-off payment",
       inputs=TX, unit=DAYS)  # fmt: skip
def walk_next_days(t: ir.Table) -> ir.Value:
    """Days until the payee next pays a one-off transfer, looking ahead 7 days.

    Empty when there is none in that week.
    """
    return t.walk_next_days.cast("float64")


@F.row(zh="付款方前3天多层过桥来款笔数", en="payer's relayed one-off receipts, 3 days before",
       inputs=TX, kind=COUNT)  # fmt: skip
def walk_prev2(t: ir.Table) -> ir.Value:
    """Of the payer's one-off receipts in the 3 days before, those relayed already.

    Their payer had itself just received a one-off: the money came down a walk of at least
    two hops before this transfer.
    """
    return t.walk_prev2


@F.row(zh="收款方后3天多层过桥转出笔数", en="payee's one-off payments relayed again, 3 days after",
       inputs=TX, kind=COUNT)  # fmt: skip
def walk_next2(t: ir.Table) -> ir.Value:
    """Of the payee's one-off payments in the 3 days after, those relayed again.

    Their payee passes money on within 3 days to another stranger: a walk of at least three
    hops (多层过桥).
    """
    return t.walk_next2


__all__ = ["TRANSFER_FEATURES"]
