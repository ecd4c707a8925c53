-- Holders of each product: the distinct investors who bought it on or before the assessment
-- date (the cap counts holders cumulatively). Products split into units offered to the
-- public, or whose terms allow more holders than the cap, count too.
with buyers as (
  select venue_uscc, product_code,
         count(distinct investor_hash) as n_holders,
         sum(amount) as amount
  from venue_trade
  where side = 'buy' and cast(traded_at as date) <= :as_of
  group by venue_uscc, product_code
),
products as (
  select p.venue_uscc, p.product_code,
         coalesce(p.product_name, p.product_code) as product_name,
         coalesce(b.n_holders, 0) as n_holders,
         coalesce(b.amount, 0) as amount,
         case when coalesce(b.n_holders, 0) > :max_holders then 1 else 0 end as over_cap,
         case when p.offer_to = 'public' and p.units > 1 then 1 else 0 end as public_split,
         case when p.max_investors > :max_holders then 1 else 0 end as cap_above
  from venue_product p
  left join buyers b on b.venue_uscc = p.venue_uscc and b.product_code = p.product_code
),
flagged as (
  select *, row_number() over (partition by venue_uscc order by n_holders desc, product_code)
              as rk
  from products
  where over_cap + public_split + cap_above > 0
),
per_venue as (
  select venue_uscc,
         sum(over_cap) as n_over,
         sum(public_split) as n_public_split,
         sum(cap_above) as n_cap_above,
         sum(amount) as amount
  from flagged
  group by venue_uscc
),
evidence as (
  select venue_uscc,
         list_sort(array_agg(product_code)) as products,
         to_json(array_agg(struct_pack(
           product := product_code, name := product_name, holders := n_holders,
           bought := amount, public_split := public_split, cap_above := cap_above
         ))) as evidence
  from flagged
  where rk <= 10
  group by venue_uscc
)
select o.id as subject_id,
       o.name as subject_name,
       f.n_holders,
       f.product_code,
       f.product_name,
       v.n_over,
       v.n_public_split,
       v.n_cap_above,
       v.amount,
       e.products,
       e.evidence
from per_venue v
join flagged f on f.venue_uscc = v.venue_uscc and f.rk = 1
join evidence e on e.venue_uscc = v.venue_uscc
join local_org o on o.uscc = v.venue_uscc
