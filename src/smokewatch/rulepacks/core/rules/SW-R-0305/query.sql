-- Scatter-gather (分散转出后集中归集): a source pays several intermediaries, and each of them
-- passes at least :min_forward_share of what it got (and no more) on to one common target
-- within :max_days days. The whole pattern lies within :window_days days, so it lies inside
-- one of the windows of 2 * :window_days days that overlap by half; legs are counted per
-- window: pairs with at most :max_repeats transfers in the window; the source's leg is at
-- least :min_link_share of what the intermediary received in the window, and the
-- intermediary's leg at least :min_link_share of what it paid out (it exists for this).
-- Both ends are subjects: the source (role `source`) and the target (role `target`), each
-- with its strongest pattern.
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
         cast(floor((b.age + o.h * :window_days) / (2 * :window_days)) as integer) as w
  from base b
  cross join (select 0 as h union all select 1 as h) o
),
pair_windows as materialized (
  select h, w, payer, payee, count(*) as n, sum(amount) as amount,
         min(day) as first_day, max(day) as last_day, max(age) as hi, min(age) as lo
  from windowed
  group by h, w, payer, payee
),
reach as (
  select o.h,
         cast(floor(:context_days / (2 * :window_days)) as integer) as m,
         cast(floor((b.max_age + o.h * :window_days) / (2 * :window_days)) as integer) as last_w
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
links as materialized (
  select l.h, l.w, l.payer, l.payee, l.n, l.amount, l.first_day, l.last_day, l.hi, l.lo,
         cast(p.amount as double) / cast(o.total as double) as payer_share,
         cast(p.amount as double) / cast(i.total as double) as payee_share
  from pair_windows l
  join pairs p on p.h = l.h and p.w = l.w and p.payer = l.payer and p.payee = l.payee
  join paid o on o.h = l.h and o.w = l.w and o.payer = l.payer
  join received i on i.h = l.h and i.w = l.w and i.payee = l.payee
),
legs as (
  select a.h, a.w, a.payer as source, a.payee as via, c.payee as target,
         a.amount as amount_out, c.amount as amount_in,
         a.first_day as out_day, c.last_day as in_day, a.hi, c.lo
  from links a
  join links c on c.h = a.h and c.w = a.w and c.payer = a.payee
  where c.payee <> a.payer
    and a.payee_share >= :min_link_share
    and c.payer_share >= :min_link_share
    and c.hi <= a.hi
    and c.lo >= a.lo - :max_days
    and cast(c.amount as double) >= :min_forward_share * cast(a.amount as double)
    and c.amount <= a.amount
),
patterns as (
  select h, w, source, target,
         count(*) as n_vias,
         sum(amount_out) as amount,
         sum(amount_in) as gathered,
         min(out_day) as window_start,
         max(in_day) as window_end
  from legs
  group by h, w, source, target
  having count(*) >= :min_vias
     and max(hi) - min(lo) <= :window_days
),
roles as (
  select h, w, source as account, 'source' as role, target as partner, source, target, n_vias,
         amount, gathered, window_start, window_end
  from patterns
  union all
  select h, w, target as account, 'target' as role, source as partner, source, target, n_vias,
         amount, gathered, window_start, window_end
  from patterns
),
best as (
  select *
  from (
    select r.*,
           row_number() over (
             partition by account order by n_vias desc, amount desc, window_end desc, partner, h
           ) as rn
    from roles r
  ) ranked
  where rn = 1
),
vias as (
  select b.account, l.via, l.amount_out, l.amount_in, l.out_day, l.in_day
  from best b
  join legs l on l.h = b.h and l.w = b.w and l.source = b.source and l.target = b.target
),
evidence as (
  select account,
         list_sort(array_agg(via)) as intermediaries,
         to_json(array_agg(struct_pack(
           intermediary := via, received := amount_out, forwarded := amount_in,
           received_on := out_day, forwarded_on := in_day
         ))) as evidence
  from vias
  group by account
),
parties as (
  select account, list_sort(array_agg(counterparty)) as counterparties
  from (
    select account, via as counterparty from vias
    union all
    select account, partner as counterparty from best
  ) p
  group by account
),
names as (
  select account_number, min(holder_name) as holder_name
  from account
  group by account_number
)
select b.account as subject_id,
       n.holder_name as subject_name,
       b.role,
       case when b.role = 'source' then '源账户（分散方）' else '目标账户（归集方）' end as role_zh,
       case when b.role = 'source' then 'source (scatters)' else 'target (gathers)' end as role_en,
       b.partner,
       b.window_start,
       b.window_end,
       b.n_vias,
       b.n_vias + 1 as n_counterparties,
       b.amount,
       b.gathered,
       p.counterparties,
       e.intermediaries,
       e.evidence
from best b
join evidence e on e.account = b.account
join parties p on p.account = b.account
left join names n on n.account_number = b.account
