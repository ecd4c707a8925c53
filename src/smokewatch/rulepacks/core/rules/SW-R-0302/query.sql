-- Ponzi payouts (借新还旧): the account pays small sums, repeatedly (at least :min_payouts
-- times each), to many accounts that had paid it before (investors), and the payouts stay
-- below what each investor put in (returns, not refunds). New money: the share of the
-- credits that came from investors whose first payment arrived after the first payout, i.e.
-- old investors are paid while new ones keep paying in.
with base as (
  select payer_account as payer, payee_account as payee, amount,
         cast(booked_at as date) as day,
         date_diff('day', cast(booked_at as date), :as_of) as age
  from transfer
  where amount > 0
    and payer_account <> payee_account
    and cast(booked_at as date) <= :as_of
    and date_diff('day', cast(booked_at as date), :as_of) < :lookback_days
),
invested as (
  select payee as account, payer as investor, sum(amount) as principal, count(*) as n_in,
         max(age) as first_in_age, min(day) as first_in_day
  from base
  group by payee, payer
),
paid_back as (
  select b.payer as account, b.payee as investor, sum(b.amount) as payouts, count(*) as n_out,
         min(b.day) as first_out_day, max(b.day) as last_out_day, max(b.age) as first_out_age
  from base b
  join invested i on i.account = b.payer and i.investor = b.payee
  where b.age < i.first_in_age
  group by b.payer, b.payee
),
returns as (
  select p.account, p.investor, p.payouts, p.n_out, p.first_out_day, p.last_out_day,
         p.first_out_age, i.principal, i.first_in_day
  from paid_back p
  join invested i on i.account = p.account and i.investor = p.investor
  where p.n_out >= :min_payouts
    and cast(p.payouts as double) <= :max_return_share * cast(i.principal as double)
),
per_account as (
  select account,
         count(*) as n_counterparties,
         sum(n_out) as n_payouts,
         sum(payouts) as payouts,
         sum(principal) as principal,
         max(first_out_age) as first_payout_age,
         min(first_out_day) as window_start,
         max(last_out_day) as window_end
  from returns
  group by account
  having count(*) >= :min_investors
),
new_money as (
  select a.account,
         sum(case when i.first_in_age < a.first_payout_age then i.principal else 0 end)
           as new_amount,
         count(case when i.first_in_age < a.first_payout_age then 1 end) as n_new_investors,
         sum(i.principal) as all_in
  from per_account a
  join invested i on i.account = a.account
  group by a.account
),
evidence as (
  select account,
         list_sort(array_agg(investor)) as counterparties,
         to_json(array_agg(struct_pack(
           counterparty := investor, paid_in := principal, first_paid_in := first_in_day,
           paid_back := payouts, payouts := n_out, first_payout := first_out_day
         ))) as evidence
  from (
    select r.*, row_number() over (partition by account order by payouts desc, investor) as rk
    from returns r
  ) ranked
  where rk <= 10
  group by account
),
names as (
  select account_number, min(holder_name) as holder_name
  from account
  group by account_number
)
select a.account as subject_id,
       n.holder_name as subject_name,
       a.window_start,
       a.window_end,
       a.n_counterparties,
       a.n_payouts,
       a.payouts as amount,
       a.principal,
       cast(a.payouts as double) / cast(a.principal as double) as return_share,
       m.n_new_investors,
       m.new_amount,
       cast(m.new_amount as double) / cast(m.all_in as double) as new_money_share,
       e.counterparties,
       e.evidence
from per_account a
join new_money m on m.account = a.account
join evidence e on e.account = a.account
left join names n on n.account_number = a.account
