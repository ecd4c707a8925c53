-- Problem events on or before the assessment date, linked to their platform.
with known as (
  select * from platform_event where event_date <= :as_of
),
linked as (
  select p.id as subject_id, p.name as subject_name, e.id as event_id, e.kind, e.event_date
  from platform p join known e on e.provider_id = p.provider_id
  union
  select p.id as subject_id, p.name as subject_name, e.id as event_id, e.kind, e.event_date
  from platform p join known e on e.provider_id is null and e.platform_name = p.name
),
ranked as (
  select *, row_number() over (partition by subject_id order by event_date desc, event_id) as back
  from linked
)
select subject_id,
       min(subject_name) as subject_name,
       max(case when back = 1 then kind end) as kind,
       max(case when back = 1 then
             case kind when 'ceased' then '停业' when 'withdrawal_blocked' then '提现困难'
                       when 'absconded' then '跑路' when 'police' then '经侦介入' else '转型' end
           end) as kind_zh,
       max(case when back = 1 then
             case kind when 'ceased' then 'ceased operating'
                       when 'withdrawal_blocked' then 'withdrawals blocked'
                       when 'absconded' then 'absconded' when 'police' then 'police investigation'
                       else 'converted to another business' end
           end) as kind_en,
       max(event_date) as event_date,
       count(*) as n_events,
       max(case when kind in ('ceased', 'withdrawal_blocked', 'absconded', 'police') then 1 else 0 end)
         as failed,
       to_json(array_agg(struct_pack(field := 'platform_event', value := event_id))) as evidence
from ranked
group by subject_id
