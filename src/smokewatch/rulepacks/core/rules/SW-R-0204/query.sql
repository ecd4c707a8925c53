-- Platforms with a large registered capital of which little or nothing is paid in.
select id as subject_id,
       name as subject_name,
       round(cast(registered_capital as double) / 10000, 1) as registered_wan,
       round(cast(paid_in_capital as double) / 10000, 1) as paid_in_wan,
       round(100 * cast(paid_in_capital as double) / cast(registered_capital as double), 1)
         as paid_share_pct,
       to_json([struct_pack(field := 'registered_capital', value := cast(registered_capital as varchar)),
                struct_pack(field := 'paid_in_capital', value := cast(paid_in_capital as varchar))])
         as evidence
from platform
where paid_in_capital is not null
  and registered_capital >= :min_capital
  and registered_capital > 0
  and paid_in_capital < :max_paid_share * registered_capital
