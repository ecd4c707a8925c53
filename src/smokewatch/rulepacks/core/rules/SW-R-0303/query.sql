-- Rapid pass-through (快进快出), on daily totals so that busy accounts stay cheap: each day's
-- credits are matched with the account's debits on that day and the next :max_days days; the
-- part of the credits they cover has passed through. Per window (:window_days, overlapping by
-- half): most of the money that came in passed through, what went out is close to what came
-- in (little is retained), and the payers and payees are new to the account (at most
-- :max_repeats transfers per pair in the look-back), as for a rented or bought account.
with base as (
  select payer_account as payer, payee_account as payee, amount, payer_balance_after,
         cast(booked_at as date) as day,
         date_diff('day', cast(booked_at as date), :as_of) as age
  from transfer
  where amount > 0
    and payer_account <> payee_account
    and cast(booked_at as date) <= :as_of
    and date_diff('day', cast(booked_at as date), :as_of) < :lookback_days
),
pairs as (
  select payer, payee, count(*) as n_pair
  from base
  group by payer, payee
),
flows as (
  select b.*, p.n_pair <= :max_repeats as is_new
  from base b
  join pairs p on p.payer = b.payer and p.payee = b.payee
),
daily_in as (
  select payee as account, day, age, sum(amount) as amount, count(*) as n,
         count(case when not is_new then 1 end) as n_known
  from flows
  group by payee, day, age
),
daily_out as (
  select payer as account, day, age, sum(amount) as amount, count(*) as n,
         count(case when not is_new then 1 end) as n_known,
         min(payer_balance_after) as balance_after
  from flows
  group by payer, day, age
),
matched as (
  select i.account, i.day, i.age, i.amount, i.n, i.n_known,
         least(i.amount, coalesce(sum(o.amount), 0)) as passed
  from daily_in i
  left join daily_out o
    on o.account = i.account
   and o.age <= i.age
   and o.age >= i.age - :max_days
  group by i.account, i.day, i.age, i.amount, i.n, i.n_known
),
windowed as (
  select m.*, o.h,
         cast(floor((m.age + o.h * :window_days / 2.0) / :window_days) as integer) as w
  from matched m
  cross join (select 0 as h union all select 1 as h) o
),
per_window as (
  select account, h, w,
         sum(n) as n_credits,
         sum(n_known) as n_known_credits,
         sum(amount) as amount,
         sum(passed) as passed,
         min(day) as window_start,
         max(day) as window_end,
         max(age) as start_age,
         min(age) as end_age
  from windowed
  group by account, h, w
  having sum(n) >= :min_credits
),
with_out as (
  select p.account, p.h, p.w, p.n_credits, p.n_known_credits, p.amount, p.passed,
         p.window_start, p.window_end, p.start_age, p.end_age,
         coalesce(sum(d.amount), 0) as out_amount,
         coalesce(sum(d.n), 0) as n_debits,
         coalesce(sum(d.n_known), 0) as n_known_debits,
         min(d.balance_after) as balance_after
  from per_window p
  left join daily_out d
    on d.account = p.account
   and d.age <= p.start_age
   and d.age >= p.end_age - :max_days
  group by p.account, p.h, p.w, p.n_credits, p.n_known_credits, p.amount, p.passed,
           p.window_start, p.window_end, p.start_age, p.end_age
),
best as (
  select *
  from (
    select x.*,
           row_number() over (
             partition by account order by amount desc, n_credits desc, window_end desc, h
           ) as rn
    from with_out x
    where cast(passed as double) >= :min_pass_share * cast(amount as double)
      and cast(out_amount as double) >= (1 - :max_retained_share) * cast(amount as double)
      and cast(out_amount as double) <= (1 + :max_retained_share) * cast(amount as double)
      and n_known_credits + n_known_debits
          <= :max_known_share * (n_credits + n_debits)
  ) ranked
  where rn = 1
),
moves as (
  select b.account, f.payer as counterparty, 'in' as direction, f.amount, f.day
  from best b
  join flows f
    on f.payee = b.account and f.age <= b.start_age and f.age >= b.end_age
  union all
  select b.account, f.payee as counterparty, 'out' as direction, f.amount, f.day
  from best b
  join flows f
    on f.payer = b.account and f.age <= b.start_age and f.age >= b.end_age - :max_days
),
per_counterparty as (
  select account, counterparty, direction, sum(amount) as amount, count(*) as n,
         min(day) as first_day
  from moves
  group by account, counterparty, direction
),
top_moves as (
  select account,
         count(distinct case when direction = 'in' then counterparty end) as n_payers,
         count(distinct case when direction = 'out' then counterparty end) as n_payees
  from per_counterparty
  group by account
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
  where rk <= 5
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
       b.n_credits,
       m.n_payers,
       m.n_payees as n_counterparties,
       b.amount,
       b.out_amount,
       cast(b.passed as double) / cast(b.amount as double) as pass_share,
       b.balance_after,
       e.counterparties,
       e.evidence
from best b
join top_moves m on m.account = b.account
join evidence e on e.account = b.account
left join names n on n.account_number = b.account
