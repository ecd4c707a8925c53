-- Fund pool: in one window, many payers that are new to the account (they paid it at most
-- :max_credits_per_payer times in the window) and for whom it is a main destination (at
-- least :min_payer_share of everything they paid out in the window went to it), like
-- individual investors, not suppliers or customers with many other payees.
-- Windows of :window_days overlap by half (offset h = 0 or 1), so a burst shorter than half
-- a window always lies inside one. Novelty and shares are counted per window, so a payer
-- that is new within its window counts however busy it was a year earlier. The strongest
-- window per account is reported.
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
out_windows as (
  select h, w, payer, sum(amount) as amount
  from pair_windows
  group by h, w, payer
),
out_context as (
  select a.h, a.w, a.payer, sum(b.amount) as amount
  from out_windows a
  join reach r on r.h = a.h
  join out_windows b on b.h = a.h and b.payer = a.payer
  where b.w between least(greatest(a.w - r.m, 0), greatest(r.last_w - 2 * r.m, 0))
                and least(greatest(a.w - r.m, 0), greatest(r.last_w - 2 * r.m, 0)) + 2 * r.m
  group by a.h, a.w, a.payer
),
pairs as (
  select h, w, payee as account, payer, sum(n) as n_pair, sum(amount) as pair_amount
  from pair_context
  group by h, w, payee, payer
),
spent as (
  select h, w, payer, sum(amount) as out_amount
  from out_context
  group by h, w, payer
),
credits as materialized (
  select b.payee as account, b.payer, b.amount, b.day, b.age, b.h, b.w,
         p.n_pair <= :max_credits_per_payer
           and cast(p.pair_amount as double) >= :min_payer_share * cast(s.out_amount as double)
           as is_new
  from windowed b
  join pairs p on p.h = b.h and p.w = b.w and p.account = b.payee and p.payer = b.payer
  join spent s on s.h = b.h and s.w = b.w and s.payer = b.payer
),
per_window as (
  select account, h, w,
         count(distinct payer) as n_all_payers,
         count(distinct case when is_new then payer end) as n_counterparties,
         count(case when is_new then 1 end) as n_credits,
         sum(case when is_new then amount end) as amount,
         count(case when is_new and amount % :round_unit = 0 then 1 end) as n_round,
         min(case when is_new then day end) as window_start,
         max(case when is_new then day end) as window_end,
         max(case when is_new then age end) as start_age,
         min(case when is_new then age end) as end_age
  from credits
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
    where n_counterparties >= :min_payers
  ) ranked
  where rn = 1
),
outflow as (
  select b.account, t.payee, sum(t.amount) as amount
  from best b
  join base t on t.payer = b.account
   and t.age <= b.start_age
   and t.age >= b.end_age - :follow_days
  group by b.account, t.payee
),
out_summary as (
  select account,
         sum(amount) as out_amount,
         sum(case when rk <= 3 then amount else 0 end) as top3_amount
  from (
    select o.*, row_number() over (partition by account order by amount desc, payee) as rk
    from outflow o
  ) ranked
  group by account
),
payers as (
  select x.account, x.payer, sum(x.amount) as amount, count(*) as n, min(x.day) as first_day
  from credits x
  join best b on b.account = x.account and b.h = x.h and b.w = x.w
  where x.is_new
  group by x.account, x.payer
),
top_payers as (
  select account,
         list_sort(array_agg(payer)) as counterparties,
         to_json(array_agg(struct_pack(
           counterparty := payer, amount := amount, transfers := n, first_day := first_day
         ))) as evidence
  from (
    select p.*, row_number() over (partition by account order by amount desc, payer) as rk
    from payers p
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
       b.n_all_payers,
       b.n_credits,
       b.amount,
       cast(b.n_round as double) / b.n_credits as round_share,
       coalesce(o.out_amount, 0) as out_amount,
       least(cast(coalesce(o.top3_amount, 0) as double) / cast(b.amount as double), 1.0)
         as concentration,
       p.counterparties,
       p.evidence
from best b
join top_payers p on p.account = b.account
left join out_summary o on o.account = b.account
left join names n on n.account_number = b.account
