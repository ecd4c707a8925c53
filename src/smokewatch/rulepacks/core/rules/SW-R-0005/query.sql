-- Valid licences per enterprise, matched by USCC (or by the exact name when the licence
-- has no USCC). Valid: status active, started, not ended on the assessment date.
with valid as (
  select id, holder_uscc, holder_name, kind
  from licence
  where status = 'active'
    and (valid_from is null or valid_from <= :as_of)
    and (valid_to is null or valid_to >= :as_of)
),
held as (
  select e.id as subject_id, e.name as subject_name, v.id as licence_id, v.kind
  from enterprise e
  join valid v on v.holder_uscc = e.uscc
  union
  select e.id as subject_id, e.name as subject_name, v.id as licence_id, v.kind
  from enterprise e
  join valid v on v.holder_uscc is null and v.holder_name = e.name
)
select subject_id,
       min(subject_name) as subject_name,
       array_to_string(array_sort(array_distinct(array_agg(kind))), ',') as kinds,
       count(distinct licence_id) as n_licences,
       to_json(array_agg(struct_pack(field := 'licence', value := licence_id))) as evidence
from held
group by subject_id
