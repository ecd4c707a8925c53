-- Margin trading on local trading venues: products whose terms allow leverage, and trades in
-- the look-back window paid with a margin only (amount / margin). One row per venue; the
-- product with the highest leverage names the finding, every product is in the evidence.
with trades as (
  select t.venue_uscc, t.product_code, t.amount, t.margin,
         cast(t.amount as double) / cast(t.margin as double) as trade_leverage
  from venue_trade t
  where cast(t.traded_at as date) <= :as_of
    and date_diff('day', cast(t.traded_at as date), :as_of) < :lookback_days
    and t.margin > 0
    and t.margin < t.amount
),
margin_trades as (
  select venue_uscc, product_code, count(*) as n_margin_trades,
         sum(amount) as margin_traded, sum(margin) as margin_paid,
         max(trade_leverage) as max_trade_leverage
  from trades
  group by venue_uscc, product_code
),
products as (
  select p.venue_uscc, p.product_code, p.product_name,
         greatest(coalesce(p.leverage, 1.0), coalesce(m.max_trade_leverage, 1.0)) as leverage,
         coalesce(m.n_margin_trades, 0) as n_margin_trades,
         coalesce(m.margin_traded, 0) as margin_traded,
         coalesce(m.margin_paid, 0) as margin_paid
  from venue_product p
  left join margin_trades m
    on m.venue_uscc = p.venue_uscc and m.product_code = p.product_code
  where coalesce(p.leverage, 1.0) > :max_leverage or m.n_margin_trades > 0
),
ranked as (
  select *, row_number() over (partition by venue_uscc order by leverage desc, product_code)
              as rk
  from products
),
per_venue as (
  select venue_uscc,
         count(*) as n_products,
         sum(n_margin_trades) as n_margin_trades,
         sum(margin_traded) as margin_traded,
         sum(margin_paid) as margin_paid
  from ranked
  group by venue_uscc
),
evidence as (
  select venue_uscc,
         list_sort(array_agg(product_code)) as products,
         to_json(array_agg(struct_pack(
           product := product_code, name := product_name, leverage := leverage,
           margin_trades := n_margin_trades, traded := margin_traded, margin := margin_paid
         ))) as evidence
  from ranked
  where rk <= 10
  group by venue_uscc
)
select o.id as subject_id,
       o.name as subject_name,
       r.leverage,
       r.product_code,
       coalesce(r.product_name, r.product_code) as product_name,
       v.n_products,
       v.n_margin_trades,
       v.margin_traded,
       v.margin_paid,
       e.products,
       e.evidence
from per_venue v
join evidence e on e.venue_uscc = v.venue_uscc
join ranked r on r.venue_uscc = v.venue_uscc and r.rk = 1
join local_org o on o.uscc = v.venue_uscc
