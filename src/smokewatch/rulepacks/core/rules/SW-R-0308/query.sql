-- Loan-intermediary fee (贷款中介收费): right after a loan is disbursed to a borrower (channel
-- `loan`, or a memo saying 放款 / 贷款发放), the borrower pays a third party — not the lender —
-- a share of the loan between :min_fee_share and :max_fee_share within :max_days days. The
-- third party is the subject when :min_borrowers borrowers or more paid it like this.
with base as (
  select id, payer_account as payer, payee_account as payee, amount, channel, memo,
         cast(booked_at as date) as day,
         date_diff('day', cast(booked_at as date), :as_of) as age
  from transfer
  where amount > 0
    and payer_account <> payee_account
    and cast(booked_at as date) <= :as_of
    and date_diff('day', cast(booked_at as date), :as_of) < :lookback_days
),
loans as (
  select id, payer as lender, payee as borrower, amount, day, age
  from base
  where coalesce(channel, '') = 'loan'
     or coalesce(memo, '') like '%放款%'
     or coalesce(memo, '') like '%贷款发放%'
),
fees as (
  select f.payee as agent, l.borrower, l.lender, l.amount as loan, l.day as loan_day,
         f.amount as fee, f.day as fee_day,
         row_number() over (
           partition by f.id order by l.age, l.id
         ) as pick
  from loans l
  join base f
    on f.payer = l.borrower
   and f.payee <> l.lender
   and f.age <= l.age
   and f.age >= l.age - :max_days
   and cast(f.amount as double) >= :min_fee_share * cast(l.amount as double)
   and cast(f.amount as double) <= :max_fee_share * cast(l.amount as double)
  where coalesce(f.channel, '') <> 'loan'
),
per_agent as (
  select agent,
         count(distinct borrower) as n_counterparties,
         count(*) as n_fees,
         sum(fee) as amount,
         sum(loan) as loans,
         min(fee_day) as window_start,
         max(fee_day) as window_end
  from fees
  where pick = 1
  group by agent
  having count(distinct borrower) >= :min_borrowers
),
evidence as (
  select f.agent,
         list_sort(array_agg(distinct f.borrower)) as counterparties,
         to_json(array_agg(struct_pack(
           borrower := f.borrower, lender := f.lender, loan := f.loan, loan_day := f.loan_day,
           fee := f.fee, fee_day := f.fee_day
         ))) as evidence
  from fees f
  join per_agent a on a.agent = f.agent
  where f.pick = 1
  group by f.agent
),
names as (
  select account_number, min(holder_name) as holder_name
  from account
  group by account_number
)
select a.agent as subject_id,
       n.holder_name as subject_name,
       a.window_start,
       a.window_end,
       a.n_counterparties,
       a.n_fees,
       a.amount,
       a.loans,
       cast(a.amount as double) / cast(a.loans as double) as fee_share,
       e.counterparties,
       e.evidence
from per_agent a
join evidence e on e.agent = a.agent
left join names n on n.account_number = a.agent
