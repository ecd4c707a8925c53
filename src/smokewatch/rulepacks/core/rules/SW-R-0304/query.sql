-- Fan-out (分散转出): in one window, the account pays many payees that are new to it (at most
-- :max_debits_per_payee transfers to each in the window) and for whom it is a main source
-- (at least :min_payee_share of everything they received in the window came from it), like
-- the dispersal of pooled money to many accounts, not the payment of regular suppliers.
-- Windows of :window_days overlap by half; novelty and shares are counted per window; the
-- strongest window per account is reported.
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
windowed as (
  select b.*, o.h,
         cast(floor((b.age + o.h * :window_days / 2.0) / (:window_days)) as integer) as w
  from base b
  cross join (select 0 as h union all select 1 as h) o
),
pair_windows as materialized (
  select h, w, payer, payee, count(*) as n, sum(amount) as amount
  from windowed
  group by h, w, payer, payee
),
reach as (
  select o.h,
         cast(floor(:context_days / (:window_days)) as integer) as m,
         cast(floor((b.max_age + o.h * :window_days / 2.0) / (:window_days)) as integer) as last_w
  from (select max(age) as max_age from base) b
  cross join (select 0 as h union all select 1 as h) o
),
pair_context as (
  select a.h, a.w, a.payer, a.payee, sum(b.n) as n, sum(b.amount) as amount
  from pair_windows a
  join reach r on r.h = a.h
  join pair_windows b on b.h = a.h and b.payer = a.payer and b.payee = a.payee
  where b.w between least(greatest(a.w - r.m, 0), greatest(r.last_w - 2 * r.m, 0))
                and least(greatest(a.w - r.m, 0), greatest(r.last_w - 2 * r.m, 0)) + 2 * r.m
  group by a.h, a.w, a.payer, a.payee
),
in_windows as (
  select h, w, payee, sum(amount) as amount
  from pair_windows
  group by h, w, payee
),
in_context as (
  select a.h, a.w, a.payee, sum(b.amount) as amount
  from in_windows a
  join reach r on r.h = a.h
  join in_windows b on b.h = a.h and b.payee = a.payee
  where b.w between least(greatest(a.w - r.m, 0), greatest(r.last_w - 2 * r.m, 0))
                and least(greatest(a.w - r.m, 0), greatest(r.last_w - 2 * r.m, 0)) + 2 * r.m
  group by a.h, a.w, a.payee
),
pairs as (
  select h, w, payer as account, payee, sum(n) as n_pair, sum(amount) as pair_amount
  from pair_context
  group by h, w, payer, payee
),
received as (
  select h, w, payee, sum(amount) as in_amount
  from in_context
  group by h, w, payee
),
debits as materialized (
  select b.payer as account, b.payee, b.amount, b.day, b.age, b.h, b.w,
         p.n_pair <= :max_debits_per_payee
           and cast(p.pair_amount as double) >= :min_payee_share * cast(r.in_amount as double)
           as is_new
  from windowed b
  join pairs p on p.h = b.h and p.w = b.w and p.account = b.payer and p.payee = b.payee
  join received r on r.h = b.h and r.w = b.w and r.payee = b.payee
),
per_window as (
  select account, h, w,
         count(distinct payee) as n_all_payees,
         count(distinct case when is_new then payee end) as n_counterparties,
         count(case when is_new then 1 end) as n_debits,
         sum(case when is_new then amount end) as amount,
         min(case when is_new then day end) as window_start,
         max(case when is_new then day end) as window_end,
         max(case when is_new then age end) as start_age,
         min(case when is_new then age end) as end_age
  from debits
  group by account, h, w
),
best as (
  select *
  from (
    select p.*,
           row_number() over (
             partition by account
             order by n_counterparties desc, amount desc, window_end desc, h
           ) as rn
    from per_window p
    where n_counterparties >= :min_payees
  ) ranked
  where rn = 1
),
inflow as (
  select b.account, sum(t.amount) as in_amount, count(distinct t.payer) as n_sources
  from best b
  join base t on t.payee = b.account
   and t.age <= b.start_age + :lead_days
   and t.age >= b.end_age
  group by b.account
),
payees as (
  select x.account, x.payee, sum(x.amount) as amount, count(*) as n, min(x.day) as first_day
  from debits x
  join best b on b.account = x.account and b.h = x.h and b.w = x.w
  where x.is_new
  group by x.account, x.payee
),
top_payees as (
  select account,
         list_sort(array_agg(payee)) as counterparties,
         to_json(array_agg(struct_pack(
           counterparty := payee, direction := 'out', amount := amount, transfers := n,
           first_day := first_day
         ))) as evidence
  from (
    select p.*, row_number() over (partition by account order by amount desc, payee) as rk
    from payees p
  ) ranked
  where rk <= 10
  group by account
),
names as (
  select account_number, min(holder_name) as holder_name
  from account
  group by account_number
)
select b.account as subject_id,
       n.holder_name as subject_name,
       b.window_start,
       b.window_end,
       b.n_counterparties,
       b.n_all_payees,
       b.n_debits,
       b.amount,
       coalesce(i.in_amount, 0) as in_amount,
       coalesce(i.n_sources, 0) as n_sources,
       least(cast(coalesce(i.in_amount, 0) as double) / cast(b.amount as double), 1.0)
         as funded_share,
       p.counterparties,
       p.evidence
from best b
join top_payees p on p.account = b.account
left join inflow i on i.account = b.account
left join names n on n.account_number = b.account
