-- T+0-like trading on local trading venues. A sale is short when the same investor bought the
-- same product fewer than :min_holding_days calendar days before it (same day: a round trip).
-- Products whose terms use centralised trading or a minimum holding below T+5 count too.
with trades as (
  select t.id, t.venue_uscc, t.product_code, t.investor_hash, t.side, t.amount,
         cast(t.traded_at as date) as day
  from venue_trade t
  where cast(t.traded_at as date) <= :as_of
    and date_diff('day', cast(t.traded_at as date), :as_of) < :lookback_days
),
sales as (
  select * from trades where side = 'sell'
),
held as (
  select s.id, min(date_diff('day', b.day, s.day)) as held_days
  from sales s
  join trades b
    on b.venue_uscc = s.venue_uscc and b.product_code = s.product_code
   and b.investor_hash = s.investor_hash and b.side = 'buy'
   and b.day <= s.day
   and date_diff('day', b.day, s.day) < :min_holding_days
  group by s.id
),
per_product as (
  select s.venue_uscc, s.product_code,
         count(*) as n_sales,
         count(h.id) as n_short,
         sum(case when h.held_days = 0 then 1 else 0 end) as n_same_day,
         sum(case when h.id is not null then s.amount else 0 end) as short_amount,
         min(s.day) as window_start,
         max(s.day) as window_end
  from sales s
  left join held h on h.id = s.id
  group by s.venue_uscc, s.product_code
),
terms as (
  select venue_uscc, product_code,
         case when trading_mode = 'centralised' then 1 else 0 end as centralised,
         case when min_holding_days < :min_trading_days then 1 else 0 end as short_terms
  from venue_product
),
products as (
  select coalesce(p.venue_uscc, t.venue_uscc) as venue_uscc,
         coalesce(p.product_code, t.product_code) as product_code,
         coalesce(p.n_sales, 0) as n_sales,
         coalesce(p.n_short, 0) as n_short,
         coalesce(p.n_same_day, 0) as n_same_day,
         coalesce(p.short_amount, 0) as short_amount,
         p.window_start, p.window_end,
         coalesce(t.centralised, 0) as centralised,
         coalesce(t.short_terms, 0) as short_terms
  from per_product p
  full outer join terms t on t.venue_uscc = p.venue_uscc and t.product_code = p.product_code
),
flagged as (
  select *, row_number() over (partition by venue_uscc
                               order by n_short desc, centralised + short_terms desc,
                                        product_code) as rk
  from products
  where n_short > 0 or centralised > 0 or short_terms > 0
),
per_venue as (
  select p.venue_uscc,
         min(p.window_start) as window_start,
         max(p.window_end) as window_end,
         sum(p.n_sales) as n_sales,
         sum(p.n_short) as n_short,
         sum(p.n_same_day) as n_same_day,
         sum(p.short_amount) as short_amount,
         sum(p.centralised) as n_centralised,
         sum(p.short_terms) as n_short_terms
  from products p
  group by p.venue_uscc
  having sum(p.n_short) > 0 or sum(p.centralised) > 0 or sum(p.short_terms) > 0
),
investors as (
  select s.venue_uscc, count(distinct s.investor_hash) as n_investors
  from sales s
  join held h on h.id = s.id
  group by s.venue_uscc
),
evidence as (
  select venue_uscc,
         list_sort(array_agg(product_code)) as products,
         to_json(array_agg(struct_pack(
           product := product_code, sales := n_sales, short_sales := n_short,
           same_day := n_same_day, short_amount := short_amount,
           centralised := centralised, short_terms := short_terms
         ))) as evidence
  from flagged
  where rk <= 10
  group by venue_uscc
)
select o.id as subject_id,
       o.name as subject_name,
       v.window_start,
       v.window_end,
       v.n_sales,
       v.n_short,
       v.n_same_day,
       case when v.n_sales > 0 then cast(v.n_short as double) / cast(v.n_sales as double)
            else 0.0 end as short_share,
       v.short_amount,
       coalesce(i.n_investors, 0) as n_investors,
       v.n_centralised,
       v.n_short_terms,
       e.products,
       e.evidence
from per_venue v
join evidence e on e.venue_uscc = v.venue_uscc
left join investors i on i.venue_uscc = v.venue_uscc
join local_org o on o.uscc = v.venue_uscc
