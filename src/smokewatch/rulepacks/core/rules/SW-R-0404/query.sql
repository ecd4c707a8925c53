-- Organisations that may not take public funds, with the lenders of their latest report.
with latest as (
  select r.*,
         row_number() over (partition by r.org_uscc order by r.period_end desc) as rn
  from org_report r
  where r.period_end <= :as_of
)
select o.id as subject_id,
       o.name as subject_name,
       l.period_end,
       l.lenders,
       case o.kind when 'microcredit' then '小额贷款公司' when 'financing_guarantee' then '融资担保公司'
                   when 'pawnshop' then '典当行' when 'finance_leasing' then '融资租赁公司'
                   else '商业保理公司' end as kind_zh,
       case o.kind when 'microcredit' then 'microcredit company'
                   when 'financing_guarantee' then 'financing guarantee company'
                   when 'pawnshop' then 'pawnshop' when 'finance_leasing' then 'finance leasing company'
                   else 'commercial factoring company' end as kind_en,
       to_json(struct_pack(field := 'report', value := l.id)) as evidence
from local_org o
join latest l on l.org_uscc = o.uscc and l.rn = 1
where o.kind in ('microcredit', 'financing_guarantee', 'pawnshop', 'finance_leasing',
                 'commercial_factoring')
  and l.lenders >= :min_lenders
