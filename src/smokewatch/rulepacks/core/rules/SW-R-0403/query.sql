-- The latest report of each microcredit company on or before the assessment date.
with latest as (
  select r.*,
         row_number() over (partition by r.org_uscc order by r.period_end desc) as rn
  from org_report r
  where r.period_end <= :as_of
)
select o.id as subject_id,
       o.name as subject_name,
       l.period_end,
       cast(l.bank_borrowings as double) / cast(l.net_assets as double) as borrowing_ratio,
       cast(l.largest_client_balance as double) / cast(l.net_assets as double) as single_borrower,
       to_json(struct_pack(field := 'report', value := l.id)) as evidence
from local_org o
join latest l on l.org_uscc = o.uscc and l.rn = 1
where o.kind = 'microcredit'
  and l.net_assets > 0
  and (cast(l.bank_borrowings as double) > :max_borrowing * cast(l.net_assets as double)
       or cast(l.largest_client_balance as double)
          > :max_single_borrower * cast(l.net_assets as double))
