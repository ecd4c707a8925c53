-- Small individual holdings: what each individual investor (kind person, or not given) bought
-- of each product in the look-back window, when it stays below :small_amount yuan.
with buys as (
  select venue_uscc, product_code, investor_hash, amount,
         coalesce(investor_kind, 'person') as investor_kind,
         cast(traded_at as date) as day
  from venue_trade
  where side = 'buy'
    and cast(traded_at as date) <= :as_of
    and date_diff('day', cast(traded_at as date), :as_of) < :lookback_days
),
holdings as (
  select venue_uscc, product_code, investor_hash,
         sum(amount) as amount, min(day) as first_day, max(day) as last_day
  from buys
  where investor_kind = 'person'
  group by venue_uscc, product_code, investor_hash
  having cast(sum(amount) as double) < :small_amount
),
all_buys as (
  select venue_uscc, sum(amount) as bought
  from buys
  group by venue_uscc
),
per_product as (
  select venue_uscc, product_code, count(*) as n_small, sum(amount) as amount,
         row_number() over (partition by venue_uscc
                            order by count(*) desc, product_code) as rk
  from holdings
  group by venue_uscc, product_code
),
per_venue as (
  select venue_uscc,
         count(distinct investor_hash) as n_small,
         count(*) as n_holdings,
         sum(amount) as small_amount_total,
         min(first_day) as window_start,
         max(last_day) as window_end,
         count(distinct product_code) as n_products
  from holdings
  group by venue_uscc
),
evidence as (
  select p.venue_uscc,
         list_sort(array_agg(p.product_code)) as products,
         to_json(array_agg(struct_pack(
           product := p.product_code, name := coalesce(vp.product_name, p.product_code),
           small_investors := p.n_small, amount := p.amount
         ))) as evidence
  from per_product p
  left join venue_product vp
    on vp.venue_uscc = p.venue_uscc and vp.product_code = p.product_code
  where p.rk <= 10
  group by p.venue_uscc
)
select o.id as subject_id,
       o.name as subject_name,
       v.window_start,
       v.window_end,
       v.n_small,
       v.small_amount_total,
       cast(v.small_amount_total as double) / cast(v.n_holdings as double) as average_amount,
       cast(v.small_amount_total as double) / cast(a.bought as double) as small_share,
       v.n_products,
       e.products,
       e.evidence
from per_venue v
join all_buys a on a.venue_uscc = v.venue_uscc
join evidence e on e.venue_uscc = v.venue_uscc
join local_org o on o.uscc = v.venue_uscc
where v.n_small >= :min_investors
