-- Complaints attributed to an enterprise: by USCC, or by the exact name when the complaint
-- has no USCC. Undated complaints count (the source did not say when).
with complaints as (
  select id, subject_uscc, subject_name, published_on
  from document
  where kind = 'complaint'
    and (published_on is null
         or (published_on <= :as_of and date_diff('day', published_on, :as_of) <= :lookback_days))
),
linked as (
  select e.id as subject_id, e.name as subject_name, c.id as document_id, c.published_on
  from enterprise e
  join complaints c on c.subject_uscc = e.uscc
  union
  select e.id as subject_id, e.name as subject_name, c.id as document_id, c.published_on
  from enterprise e
  join complaints c on c.subject_uscc is null and c.subject_name = e.name
)
select subject_id,
       min(subject_name) as subject_name,
       count(distinct document_id) as n_complaints,
       count(distinct case when date_diff('day', published_on, :as_of) <= 90 then document_id end)
         as n_recent,
       to_json(array_agg(struct_pack(field := 'complaint', value := document_id))) as evidence
from linked
group by subject_id
having count(distinct document_id) >= :min_complaints
