-- Client money outside custody: trades settled through the venue's own or a member's
-- account (payouts on sales, receipts on purchases), and traded products with no custody bank.
with trades as (
  select t.venue_uscc, t.product_code, t.side, t.amount,
         case when t.settlement in ('venue_account', 'member_account') then 1 else 0 end
           as pooled,
         cast(t.traded_at as date) as day
  from venue_trade t
  where cast(t.traded_at as date) <= :as_of
    and date_diff('day', cast(t.traded_at as date), :as_of) < :lookback_days
),
per_product as (
  select t.venue_uscc, t.product_code,
         sum(case when t.pooled = 1 and t.side = 'sell' then 1 else 0 end) as n_pooled_payouts,
         sum(case when t.pooled = 1 and t.side = 'sell' then t.amount else 0 end)
           as pooled_payouts,
         sum(case when t.pooled = 1 and t.side = 'buy' then 1 else 0 end) as n_pooled_receipts,
         sum(case when t.pooled = 1 and t.side = 'buy' then t.amount else 0 end)
           as pooled_receipts,
         sum(t.amount) as traded,
         min(t.day) as first_day,
         max(t.day) as last_day
  from trades t
  group by t.venue_uscc, t.product_code
),
products as (
  select pp.*,
         p.custody_bank,
         case when p.custody_bank is null or trim(p.custody_bank) = '' then 1 else 0 end
           as no_custody
  from per_product pp
  left join venue_product p
    on p.venue_uscc = pp.venue_uscc and p.product_code = pp.product_code
),
flagged as (
  select *,
         row_number() over (partition by venue_uscc
                            order by pooled_payouts + pooled_receipts desc, traded desc,
                                     product_code) as rk
  from products
  where n_pooled_payouts + n_pooled_receipts + no_custody > 0
),
per_venue as (
  select venue_uscc,
         min(first_day) as window_start,
         max(last_day) as window_end,
         sum(n_pooled_payouts) as n_pooled_payouts,
         sum(pooled_payouts) as pooled_payouts,
         sum(n_pooled_receipts) as n_pooled_receipts,
         sum(pooled_receipts) as pooled_receipts,
         sum(no_custody) as n_no_custody,
         sum(case when no_custody = 1 then traded else 0 end) as no_custody_traded
  from flagged
  group by venue_uscc
),
evidence as (
  select venue_uscc,
         list_sort(array_agg(product_code)) as products,
         to_json(array_agg(struct_pack(
           product := product_code, custody_bank := custody_bank,
           pooled_payouts := n_pooled_payouts, paid_out := pooled_payouts,
           pooled_receipts := n_pooled_receipts, received := pooled_receipts, traded := traded
         ))) as evidence
  from flagged
  where rk <= 10
  group by venue_uscc
)
select o.id as subject_id,
       o.name as subject_name,
       v.window_start,
       v.window_end,
       v.n_pooled_payouts,
       v.pooled_payouts,
       v.n_pooled_receipts,
       v.pooled_receipts,
       v.n_no_custody,
       v.no_custody_traded,
       e.products,
       e.evidence
from per_venue v
join evidence e on e.venue_uscc = v.venue_uscc
join local_org o on o.uscc = v.venue_uscc
