-- Complete months of the look-back window (a month counts from its last day on), each linked
-- to its platform by provider id, else by name; one row per platform and month.
with bounds as (
  select year(:as_of + interval 1 day) * 12 + month(:as_of + interval 1 day) - 1 as last_idx
),
indexed as (
  select *, cast(substr(month, 1, 4) as integer) * 12 + cast(substr(month, 6, 2) as integer) as idx
  from platform_metric
),
in_window as (
  select i.* from indexed i cross join bounds b
  where i.idx <= b.last_idx and i.idx > b.last_idx - :lookback_months
),
linked as (
  select p.id as subject_id, p.name as subject_name, 1 as link_rank, w.*
  from platform p join in_window w on w.provider_id = p.provider_id
  union all
  select p.id as subject_id, p.name as subject_name, 2 as link_rank, w.*
  from platform p join in_window w on w.provider_id is null and w.platform_name = p.name
),
deduped as (
  select *, row_number() over (partition by subject_id, month order by link_rank, platform_code) as dup
  from linked
),
ranked as (
  select *, row_number() over (partition by subject_id order by idx desc) as back,
         count(*) over (partition by subject_id) as n_months
  from deduped
  where dup = 1
)
,
per_platform as (
  select subject_id,
         min(subject_name) as subject_name,
         max(n_months) as n_months,
         max(case when back = 1 then month end) as last_month,
         avg(case when back <= :recent_months then cast(investors as double) end) as recent_inv,
         avg(case when back > :recent_months then cast(investors as double) end) as earlier_inv,
         avg(case when back <= :recent_months then volume_wan end) as recent_vol,
         avg(case when back > :recent_months then volume_wan end) as earlier_vol,
         array_agg(struct_pack(field := 'investors', month := month,
                               value := cast(investors as varchar))) as items
  from ranked
  where investors is not null
  group by subject_id
)
select subject_id,
       subject_name,
       round(recent_inv, 1) as recent_investors,
       round(earlier_inv, 1) as earlier_investors,
       round(100 * (1 - recent_inv / earlier_inv), 1) as investor_drop_pct,
       coalesce(round(100 * (1 - recent_vol / nullif(earlier_vol, 0)), 1), 0) as volume_drop_pct,
       n_months,
       last_month,
       to_json(items) as evidence
from per_platform
where earlier_inv > 0
