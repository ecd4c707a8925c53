-- Gather-scatter (集中归集后分散转出): in one window (:window_days, overlapping by half) an
-- account collects from several payers and then pays several payees, and both sides are
-- dedicated links: pairs with at most :max_repeats transfers in the window that carry at
-- least :min_link_share of what the payer paid out (credits) or of what the payee received
-- (debits) in the window. The first such debit comes after the first such credit.
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
paid as (
  select h, w, payer, sum(amount) as total
  from out_context
  group by h, w, payer
),
received as (
  select h, w, payee, sum(amount) as total
  from in_context
  group by h, w, payee
),
pairs as (
  select h, w, payer, payee, sum(n) as n, sum(amount) as amount
  from pair_context
  group by h, w, payer, payee
  having sum(n) <= :max_repeats
),
moves as materialized (
  select b.h, b.w, b.payee as account, b.payer as counterparty, 'in' as direction, b.amount,
         b.day, b.age
  from windowed b
  join pairs p on p.h = b.h and p.w = b.w and p.payer = b.payer and p.payee = b.payee
  join paid o on o.h = b.h and o.w = b.w and o.payer = b.payer
  where cast(p.amount as double) >= :min_link_share * cast(o.total as double)
  union all
  select b.h, b.w, b.payer as account, b.payee as counterparty, 'out' as direction, b.amount,
         b.day, b.age
  from windowed b
  join pairs p on p.h = b.h and p.w = b.w and p.payer = b.payer and p.payee = b.payee
  join received i on i.h = b.h and i.w = b.w and i.payee = b.payee
  where cast(p.amount as double) >= :min_link_share * cast(i.total as double)
),
per_window as (
  select account, h, w,
         count(distinct case when direction = 'in' then counterparty end) as n_payers,
         count(distinct case when direction = 'out' then counterparty end) as n_payees,
         sum(case when direction = 'in' then amount end) as in_amount,
         sum(case when direction = 'out' then amount end) as out_amount,
         max(case when direction = 'in' then age end) as first_in_age,
         max(case when direction = 'out' then age end) as first_out_age,
         min(day) as window_start,
         max(day) as window_end
  from moves
  group by account, h, w
),
best as (
  select *
  from (
    select p.*,
           row_number() over (
             partition by account
             order by n_payers + n_payees desc, in_amount desc, window_end desc, h
           ) as rn
    from per_window p
    where n_payers >= :min_payers
      and n_payees >= :min_payees
      and first_out_age <= first_in_age
  ) ranked
  where rn = 1
),
per_counterparty as (
  select x.account, x.counterparty, x.direction, sum(x.amount) as amount, count(*) as n,
         min(x.day) as first_day
  from moves x
  join best b on b.account = x.account and b.h = x.h and b.w = x.w
  group by x.account, x.counterparty, x.direction
),
evidence as (
  select account,
         list_sort(array_agg(counterparty)) as counterparties,
         to_json(array_agg(struct_pack(
           counterparty := counterparty, direction := direction, amount := amount,
           transfers := n, first_day := first_day
         ))) as evidence
  from (
    select p.*,
           row_number() over (
             partition by account, direction order by amount desc, counterparty
           ) as rk
    from per_counterparty p
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
       b.n_payers,
       b.n_payees,
       b.n_payers + b.n_payees as n_counterparties,
       b.in_amount as amount,
       b.out_amount,
       least(cast(b.out_amount as double) / cast(b.in_amount as double), 9.99) as out_share,
       e.counterparties,
       e.evidence
from best b
join evidence e on e.account = b.account
left join names n on n.account_number = b.account
