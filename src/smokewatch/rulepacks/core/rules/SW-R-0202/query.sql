-- Platforms whose protection model or promise to investors makes the platform the guarantor.
with stated as (
  select id, name,
         coalesce(protection, '') as protection_text,
         coalesce(protection_note, '') as note_text,
         risk_reserve,
         risk_reserve_amount
  from platform
),
judged as (
  select id, name, protection_text, note_text, risk_reserve_amount,
         case when regexp_matches(protection_text || ' ' || note_text,
                                  '平台垫付|保本|保息|本息保障|本金保障|刚性兑付|100%本金')
              then 1 else 0 end as promises,
         case when risk_reserve = true
                   or regexp_matches(protection_text || ' ' || note_text,
                                     '风险准备金|风险备用金|风险备付金|风险保障金|风险保证金')
              then 1 else 0 end as reserve
  from stated
)
select id as subject_id,
       name as subject_name,
       promises,
       reserve,
       round(cast(risk_reserve_amount as double) / 10000, 1) as reserve_wan,
       trim(protection_text || ' ' || note_text) as statement,
       to_json([struct_pack(field := 'protection', value := protection_text),
                struct_pack(field := 'protection_note', value := note_text)]) as evidence
from judged
where promises = 1 or reserve = 1
