-- Promotional documents attributed to an enterprise (USCC, or exact name without USCC),
-- dated within the window: their outlets, cities and growth.
with promotions as (
  select id, subject_uscc, subject_name as named, outlet, substr(adcode, 1, 4) as city,
         published_on
  from document
  where kind in ('ad', 'web_page', 'app_page', 'post', 'sms')
    and published_on <= :as_of
    and date_diff('day', published_on, :as_of) <= :lookback_days
),
linked as (
  select e.id as subject_id, e.name as subject_name, p.id, p.outlet, p.city, p.published_on
  from enterprise e
  join promotions p on p.subject_uscc = e.uscc
  union
  select e.id as subject_id, e.name as subject_name, p.id, p.outlet, p.city, p.published_on
  from enterprise e
  join promotions p on p.subject_uscc is null and p.named = e.name
)
select subject_id,
       min(subject_name) as subject_name,
       count(distinct id) as n_promotions,
       count(distinct outlet) as n_outlets,
       count(distinct city) as n_cities,
       count(distinct case when date_diff('day', published_on, :as_of) <= 90 then id end)
         as n_recent,
       count(distinct case when date_diff('day', published_on, :as_of) > 90
                            and date_diff('day', published_on, :as_of) <= 180 then id end)
         as n_before,
       to_json(array_agg(struct_pack(field := 'promotion', value := id))) as evidence
from linked
group by subject_id
having count(distinct id) >= 2
