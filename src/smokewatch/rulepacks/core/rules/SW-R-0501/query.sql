-- Network risk (关联风险): the lines `graph build` wrote, one per enterprise record, seed and
-- path, summed per enterprise and capped at :cap; the strongest line explains the finding and
-- every line is evidence.
with lines as (
  select target_id, target_name, seed, seed_id, seed_name, seed_grade, hops, path, points
  from network_risk_contribution
  where points > 0
),
totals as (
  select target_id, sum(points) as raw_points, count(distinct seed) as n_seeds
  from lines
  group by target_id
),
best as (
  select *
  from (
    select l.*,
           row_number() over (
             partition by target_id order by points desc, hops, seed_name, seed, path
           ) as rn
    from lines l
  ) ranked
  where rn = 1
),
evidence as (
  select target_id,
         to_json(array_agg(struct_pack(
           seed := seed_id, seed_name := seed_name, grade := seed_grade, hops := hops,
           path := path, points := points
         ))) as evidence
  from lines
  group by target_id
)
select b.target_id as subject_id,
       b.target_name as subject_name,
       round(least(t.raw_points, :cap), 2) as network_points,
       t.n_seeds,
       b.seed_id,
       b.seed_name,
       b.seed_grade,
       case when b.seed_grade = 'red' then '红色' else '橙色' end as seed_grade_zh,
       b.hops,
       b.path,
       replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
         b.path, 'legal_representative', '同一法定代表人'), 'owns', '持股'),
         'director', '同一董事'), 'supervisor', '同一监事'), 'manager', '同一经理'),
         'partner', '同一执行事务合伙人'), 'has_phone', '同一电话'), 'has_address', '同一地址'),
         'transfers', '资金往来'), 'same_name', '同名法定代表人'), '>', '→') as path_zh,
       replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
         b.path, 'legal_representative', 'a shared legal representative'), 'owns', 'ownership'),
         'director', 'a shared director'), 'supervisor', 'a shared supervisor'),
         'manager', 'a shared manager'), 'partner', 'a shared executive partner'),
         'has_phone', 'a shared phone'), 'has_address', 'a shared address'),
         'transfers', 'transfers'), 'same_name', 'a legal representative of the same name'),
         '>', ' then ') as path_en,
       round(b.points, 2) as seed_points,
       e.evidence
from best b
join totals t on t.target_id = b.target_id
join evidence e on e.target_id = b.target_id
