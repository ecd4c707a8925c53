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
       case when l.net_assets > 0
            then -cast(l.net_profit as double) / cast(l.net_assets as double) end as loss_share,
       -cast(l.net_profit as double) as net_loss,
       cast(l.net_assets as double) as net_assets,
       to_json(struct_pack(field := 'report', value := l.id)) as evidence
from local_org o
join latest l on l.org_uscc = o.uscc and l.rn = 1
where l.net_profit < 0
