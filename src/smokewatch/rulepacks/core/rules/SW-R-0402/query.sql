-- The latest report of each financing guarantee company on or before the assessment date.
with latest as (
  select r.*,
         row_number() over (partition by r.org_uscc order by r.period_end desc) as rn
  from org_report r
  where r.period_end <= :as_of
)
select o.id as subject_id,
       o.name as subject_name,
       l.period_end,
       case when l.net_assets > 0
            then cast(l.guarantee_liability as double) / cast(l.net_assets as double) end
         as leverage,
       case when l.net_assets > 0
            then cast(l.largest_client_balance as double) / cast(l.net_assets as double) end
         as single_client,
       cast(l.guarantee_liability as double) as guarantee_liability,
       cast(l.net_assets as double) as net_assets,
       to_json(struct_pack(field := 'report', value := l.id)) as evidence
from local_org o
join latest l on l.org_uscc = o.uscc and l.rn = 1
where o.kind = 'financing_guarantee'
  and l.guarantee_liability > 0
  and l.net_assets is not null
  and (l.net_assets <= 0
       or cast(l.guarantee_liability as double) > :max_leverage * cast(l.net_assets as double)
       or cast(l.largest_client_balance as double) > :max_single_client * cast(l.net_assets as double))
