-- The latest report of each licensed organisation on or before the assessment date, judged
-- against the thresholds of its kind (guarantors, lessors and factors: their leverage caps).
with latest as (
  select r.*,
         row_number() over (partition by r.org_uscc order by r.period_end desc) as rn
  from org_report r
  where r.period_end <= :as_of
),
judged as (
  select o.id as subject_id,
         o.name as subject_name,
         o.kind,
         l.period_end,
         l.id as report_id,
         cast(l.net_assets as double) / cast(l.outstanding_balance as double) as capital_ratio,
         case o.kind
           when 'financing_guarantee' then :guarantee_thin
           when 'finance_leasing' then :leasing_thin
           when 'commercial_factoring' then :factoring_thin
           else :thin
         end as thin_at,
         case o.kind
           when 'financing_guarantee' then :guarantee_low
           when 'finance_leasing' then :leasing_low
           when 'commercial_factoring' then :factoring_low
           else :low
         end as low_at
  from local_org o
  join latest l on l.org_uscc = o.uscc and l.rn = 1
  where l.outstanding_balance > 0 and l.net_assets is not null
)
select subject_id,
       subject_name,
       kind,
       period_end,
       capital_ratio,
       cast(thin_at as double) as thin_at,
       cast(low_at as double) as low_at,
       to_json(struct_pack(field := 'report', value := report_id)) as evidence
from judged
where capital_ratio < low_at or capital_ratio <= 0
