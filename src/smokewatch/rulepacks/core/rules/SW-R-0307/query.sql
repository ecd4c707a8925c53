-- Cycles (资金闭环): money that goes round a closed chain of :min_length to :max_length
-- accounts, all links within :max_span_days days. A cycle therefore lies inside one of the
-- windows of 2 * (:max_span_days + 1) days that overlap by half, and links are counted per
-- window: every link a transfer between accounts that rarely deal with each other (at most
-- :max_repeats transfers per pair in the window) that matters to at least one side (at
-- least :min_link_share of what the payer paid out or of what the payee received in the
-- window). Paths and cycles stay inside one window (h, w).
-- The links need not follow each other in time (a pre-arranged round trip is paid in any
-- order); a cycle whose links do follow each other is rated higher (band `ordered`).
--
-- Paths are grown link by link from a seed, the smallest account number of the cycle (so
-- each cycle is found once), and never revisit an account; SQL has no loops that both
-- engines run, so the 9 steps are written out. Every account on a cycle is a subject.
-- Spark inlines a CTE at every reference: the window aggregates, the links, each path step
-- and the cycles are therefore `materialized` stages (computed once, read as tables; see
-- docs/rules.md), which keeps the plan small; without them it held ~10,000 relations.
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
         cast(floor((b.age + o.h * :max_span_days + 1) / (2 * (:max_span_days + 1))) as integer) as w
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
         cast(floor(:context_days / (2 * (:max_span_days + 1))) as integer) as m,
         cast(floor((b.max_age + o.h * :max_span_days + 1) / (2 * (:max_span_days + 1))) as integer) as last_w
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
  select l.h, l.w, l.payer as src, l.payee as dst, l.n, l.amount, l.first_day, l.last_day,
         l.hi, l.lo
  from pair_windows l
  join pairs p on p.h = l.h and p.w = l.w and p.payer = l.payer and p.payee = l.payee
  join paid o on o.h = l.h and o.w = l.w and o.payer = l.payer
  join received i on i.h = l.h and i.w = l.w and i.payee = l.payee
  where cast(p.amount as double) >= :min_link_share * cast(o.total as double)
     or cast(p.amount as double) >= :min_link_share * cast(i.total as double)
),
p1 as (
  select h, w, src as n1, dst as n2, hi, lo, hi as first_hi, lo as last_age, 0 as breaks, amount
  from links
  where dst > src
),
p2 as materialized (
  select p.h, p.w, p.n1, p.n2, l.dst as n3,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo, p.first_hi, l.lo as last_age,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end as breaks,
         p.amount + l.amount as amount
  from p1 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n2
  where l.dst > p.n1
    and l.dst <> p.n2
    and greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 3 <= :max_length
),
p3 as materialized (
  select p.h, p.w, p.n1, p.n2, p.n3, l.dst as n4,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo, p.first_hi, l.lo as last_age,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end as breaks,
         p.amount + l.amount as amount
  from p2 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n3
  where l.dst > p.n1
    and l.dst <> p.n2
    and l.dst <> p.n3
    and greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 4 <= :max_length
),
p4 as materialized (
  select p.h, p.w, p.n1, p.n2, p.n3, p.n4, l.dst as n5,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo, p.first_hi, l.lo as last_age,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end as breaks,
         p.amount + l.amount as amount
  from p3 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n4
  where l.dst > p.n1
    and l.dst <> p.n2
    and l.dst <> p.n3
    and l.dst <> p.n4
    and greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 5 <= :max_length
),
p5 as materialized (
  select p.h, p.w, p.n1, p.n2, p.n3, p.n4, p.n5, l.dst as n6,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo, p.first_hi, l.lo as last_age,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end as breaks,
         p.amount + l.amount as amount
  from p4 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n5
  where l.dst > p.n1
    and l.dst <> p.n2
    and l.dst <> p.n3
    and l.dst <> p.n4
    and l.dst <> p.n5
    and greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 6 <= :max_length
),
p6 as materialized (
  select p.h, p.w, p.n1, p.n2, p.n3, p.n4, p.n5, p.n6, l.dst as n7,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo, p.first_hi, l.lo as last_age,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end as breaks,
         p.amount + l.amount as amount
  from p5 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n6
  where l.dst > p.n1
    and l.dst <> p.n2
    and l.dst <> p.n3
    and l.dst <> p.n4
    and l.dst <> p.n5
    and l.dst <> p.n6
    and greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 7 <= :max_length
),
p7 as materialized (
  select p.h, p.w, p.n1, p.n2, p.n3, p.n4, p.n5, p.n6, p.n7, l.dst as n8,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo, p.first_hi, l.lo as last_age,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end as breaks,
         p.amount + l.amount as amount
  from p6 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n7
  where l.dst > p.n1
    and l.dst <> p.n2
    and l.dst <> p.n3
    and l.dst <> p.n4
    and l.dst <> p.n5
    and l.dst <> p.n6
    and l.dst <> p.n7
    and greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 8 <= :max_length
),
p8 as materialized (
  select p.h, p.w, p.n1, p.n2, p.n3, p.n4, p.n5, p.n6, p.n7, p.n8, l.dst as n9,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo, p.first_hi, l.lo as last_age,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end as breaks,
         p.amount + l.amount as amount
  from p7 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n8
  where l.dst > p.n1
    and l.dst <> p.n2
    and l.dst <> p.n3
    and l.dst <> p.n4
    and l.dst <> p.n5
    and l.dst <> p.n6
    and l.dst <> p.n7
    and l.dst <> p.n8
    and greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 9 <= :max_length
),
p9 as (
  select p.h, p.w, p.n1, p.n2, p.n3, p.n4, p.n5, p.n6, p.n7, p.n8, p.n9, l.dst as n10,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo, p.first_hi, l.lo as last_age,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end as breaks,
         p.amount + l.amount as amount
  from p8 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n9
  where l.dst > p.n1
    and l.dst <> p.n2
    and l.dst <> p.n3
    and l.dst <> p.n4
    and l.dst <> p.n5
    and l.dst <> p.n6
    and l.dst <> p.n7
    and l.dst <> p.n8
    and l.dst <> p.n9
    and greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 10 <= :max_length
),
c3 as (
  select 3 as length, p.h, p.w, p.n1, p.n2, p.n3, cast(null as varchar) as n4, cast(null as varchar) as n5, cast(null as varchar) as n6, cast(null as varchar) as n7, cast(null as varchar) as n8, cast(null as varchar) as n9, cast(null as varchar) as n10,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end
           + case when p.first_hi > l.lo then 1 else 0 end <= 1 as ordered,
         p.amount + l.amount as amount
  from p2 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n3 and l.dst = p.n1
  where greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 3 >= :min_length
    and 3 <= :max_length
),
c4 as (
  select 4 as length, p.h, p.w, p.n1, p.n2, p.n3, p.n4, cast(null as varchar) as n5, cast(null as varchar) as n6, cast(null as varchar) as n7, cast(null as varchar) as n8, cast(null as varchar) as n9, cast(null as varchar) as n10,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end
           + case when p.first_hi > l.lo then 1 else 0 end <= 1 as ordered,
         p.amount + l.amount as amount
  from p3 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n4 and l.dst = p.n1
  where greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 4 >= :min_length
    and 4 <= :max_length
),
c5 as (
  select 5 as length, p.h, p.w, p.n1, p.n2, p.n3, p.n4, p.n5, cast(null as varchar) as n6, cast(null as varchar) as n7, cast(null as varchar) as n8, cast(null as varchar) as n9, cast(null as varchar) as n10,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end
           + case when p.first_hi > l.lo then 1 else 0 end <= 1 as ordered,
         p.amount + l.amount as amount
  from p4 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n5 and l.dst = p.n1
  where greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 5 >= :min_length
    and 5 <= :max_length
),
c6 as (
  select 6 as length, p.h, p.w, p.n1, p.n2, p.n3, p.n4, p.n5, p.n6, cast(null as varchar) as n7, cast(null as varchar) as n8, cast(null as varchar) as n9, cast(null as varchar) as n10,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end
           + case when p.first_hi > l.lo then 1 else 0 end <= 1 as ordered,
         p.amount + l.amount as amount
  from p5 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n6 and l.dst = p.n1
  where greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 6 >= :min_length
    and 6 <= :max_length
),
c7 as (
  select 7 as length, p.h, p.w, p.n1, p.n2, p.n3, p.n4, p.n5, p.n6, p.n7, cast(null as varchar) as n8, cast(null as varchar) as n9, cast(null as varchar) as n10,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end
           + case when p.first_hi > l.lo then 1 else 0 end <= 1 as ordered,
         p.amount + l.amount as amount
  from p6 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n7 and l.dst = p.n1
  where greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 7 >= :min_length
    and 7 <= :max_length
),
c8 as (
  select 8 as length, p.h, p.w, p.n1, p.n2, p.n3, p.n4, p.n5, p.n6, p.n7, p.n8, cast(null as varchar) as n9, cast(null as varchar) as n10,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end
           + case when p.first_hi > l.lo then 1 else 0 end <= 1 as ordered,
         p.amount + l.amount as amount
  from p7 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n8 and l.dst = p.n1
  where greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 8 >= :min_length
    and 8 <= :max_length
),
c9 as (
  select 9 as length, p.h, p.w, p.n1, p.n2, p.n3, p.n4, p.n5, p.n6, p.n7, p.n8, p.n9, cast(null as varchar) as n10,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end
           + case when p.first_hi > l.lo then 1 else 0 end <= 1 as ordered,
         p.amount + l.amount as amount
  from p8 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n9 and l.dst = p.n1
  where greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 9 >= :min_length
    and 9 <= :max_length
),
c10 as (
  select 10 as length, p.h, p.w, p.n1, p.n2, p.n3, p.n4, p.n5, p.n6, p.n7, p.n8, p.n9, p.n10,
         greatest(p.hi, l.hi) as hi, least(p.lo, l.lo) as lo,
         p.breaks + case when l.hi > p.last_age then 1 else 0 end
           + case when p.first_hi > l.lo then 1 else 0 end <= 1 as ordered,
         p.amount + l.amount as amount
  from p9 p
  join links l on l.h = p.h and l.w = p.w and l.src = p.n10 and l.dst = p.n1
  where greatest(p.hi, l.hi) - least(p.lo, l.lo) <= :max_span_days
    and 10 >= :min_length
    and 10 <= :max_length
),
cycles as materialized (
  select c.*, concat_ws('>', n1, n2, n3, n4, n5, n6, n7, n8, n9, n10) as cycle_key
  from (
  select * from c3
  union all
  select * from c4
  union all
  select * from c5
  union all
  select * from c6
  union all
  select * from c7
  union all
  select * from c8
  union all
  select * from c9
  union all
  select * from c10
  ) c
),
positions as (
  select 1 as pos
  union all select 2 as pos
  union all select 3 as pos
  union all select 4 as pos
  union all select 5 as pos
  union all select 6 as pos
  union all select 7 as pos
  union all select 8 as pos
  union all select 9 as pos
  union all select 10 as pos
),
hops as (
  select c.h, c.w, c.cycle_key, c.length, c.hi, c.lo, c.ordered, c.amount, p.pos as position,
         case p.pos
           when 1 then c.n1
           when 2 then c.n2
           when 3 then c.n3
           when 4 then c.n4
           when 5 then c.n5
           when 6 then c.n6
           when 7 then c.n7
           when 8 then c.n8
           when 9 then c.n9
           when 10 then c.n10
         end as account,
         case when p.pos = c.length then c.n1 else case p.pos
           when 1 then c.n2
           when 2 then c.n3
           when 3 then c.n4
           when 4 then c.n5
           when 5 then c.n6
           when 6 then c.n7
           when 7 then c.n8
           when 8 then c.n9
           when 9 then c.n10
         end end as next_account
  from cycles c
  cross join positions p
  where p.pos <= c.length
),
best as (
  select *
  from (
    select h.*,
           row_number() over (
             partition by account
             order by ordered desc, length, hi - lo, lo desc, cycle_key, h
           ) as rn
    from hops h
  ) ranked
  where rn = 1
),
cycle_links as (
  select b.account, b.h, b.w, h.account as payer, h.next_account as payee
  from best b
  join hops h on h.h = b.h and h.w = b.w and h.cycle_key = b.cycle_key
),
partners as (
  select account, list_sort(array_agg(payer)) as counterparties
  from cycle_links
  where payer <> account
  group by account
),
evidence as (
  select x.account,
         min(l.first_day) as window_start,
         max(l.last_day) as window_end,
         to_json(array_agg(struct_pack(
           payer := x.payer, payee := x.payee, amount := l.amount, transfers := l.n,
           first_day := l.first_day
         ))) as evidence
  from cycle_links x
  join links l on l.h = x.h and l.w = x.w and l.src = x.payer and l.dst = x.payee
  group by x.account
),
names as (
  select account_number, min(holder_name) as holder_name
  from account
  group by account_number
)
select b.account as subject_id,
       n.holder_name as subject_name,
       e.window_start,
       e.window_end,
       b.length,
       b.length - 1 as n_counterparties,
       b.hi - b.lo as span_days,
       b.ordered,
       b.amount,
       p.counterparties,
       e.evidence
from best b
join evidence e on e.account = b.account
join partners p on p.account = b.account
left join names n on n.account_number = b.account
