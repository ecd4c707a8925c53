-- Months complete on the assessment date (a month counts from its last day on); the market is
-- the average of every platform's rate over the same months, each platform counting once.
with bounds as (
  select year(:as_of + interval 1 day) * 12 + month(:as_of + interval 1 day) - 1 as last_idx
),
indexed as (
  select *, cast(substr(month, 1, 4) as integer) * 12 + cast(substr(month, 6, 2) as integer) as idx
  from platform_metric
),
in_window as (
  select i.* from indexed i cross join bounds b
  where i.idx <= b.last_idx and i.idx > b.last_idx - :recent_months and i.rate_pct is not null
    and i.rate_pct > 0 and i.rate_pct < 100
),
reporters as (
  select coalesce(provider_id, platform_name) as reporter, avg(rate_pct) as rate
  from in_window
  group by coalesce(provider_id, platform_name)
),
market as (
  select avg(rate) as market_pct, count(*) as market_platforms,
         (select min(month) from in_window) as first_month,
         (select max(month) from in_window) as last_month
  from reporters
),
linked as (
  select p.id as subject_id, w.rate_pct, w.month
  from platform p join in_window w on w.provider_id = p.provider_id
  union all
  select p.id as subject_id, w.rate_pct, w.month
  from platform p join in_window w on w.provider_id is null and w.platform_name = p.name
),
own as (
  select subject_id, avg(rate_pct) as recent_pct from linked group by subject_id
),
rated as (
  select p.id as subject_id,
         p.name as subject_name,
         o.recent_pct,
         try_cast(regexp_extract(p.advertised_return, '([0-9]+([.][0-9]+)?)', 1) as double) as advertised_pct
  from platform p left join own o on o.subject_id = p.id
)
select r.subject_id,
       r.subject_name,
       round(coalesce(r.recent_pct, r.advertised_pct), 2) as rate_pct,
       case when r.recent_pct is not null then 'figures' else 'advertised' end as rate_source,
       round(m.market_pct, 2) as market_pct,
       round(100 * (coalesce(r.recent_pct, r.advertised_pct) / m.market_pct - 1), 1) as deviation_pct,
       m.market_platforms,
       m.first_month,
       m.last_month,
       to_json([struct_pack(field := 'rate', value := cast(round(coalesce(r.recent_pct, r.advertised_pct), 2) as varchar)),
                struct_pack(field := 'market_rate', value := cast(round(m.market_pct, 2) as varchar))])
         as evidence
from rated r cross join market m
where m.market_platforms >= :min_platforms
  and coalesce(r.recent_pct, r.advertised_pct) is not null
  and coalesce(r.recent_pct, r.advertised_pct) > 0
  and coalesce(r.recent_pct, r.advertised_pct) < 100
