-- The latest report of each licensed organisation on or before the assessment date.
with latest as (
  select r.*,
         row_number() over (partition by r.org_uscc order by r.period_end desc) as rn
  from org_report r
  where r.period_end <= :as_of
)
select o.id as subject_id,
       o.name as subject_name,
       l.period_end,
       cast(l.cash as double) / cast(l.bank_borrowings as double) as cash_cover,
       to_json(struct_pack(field := 'report', value := l.id)) as evidence
from local_org o
join latest l on l.org_uscc = o.uscc and l.rn = 1
where l.bank_borrowings > 0 and l.cash is not null and cast(l.cash as double) < :tight * cast(l.bank_borrowings as double)
