-- Platforms with an institutional backer (a qualifier of the platform smoke index).
select id as subject_id,
       name as subject_name,
       backer,
       case backer
         when 'state_controlled' then '国资控股'
         when 'state_minority' then '国资参股'
         when 'listed_controlled' then '上市公司控股'
         when 'listed_minority' then '上市公司参股'
         when 'listed' then '股权上市'
         when 'bank' then '银行系'
         else '风投系'
       end as backer_zh,
       case backer
         when 'state_controlled' then 'state controlled'
         when 'state_minority' then 'state minority stake'
         when 'listed_controlled' then 'listed-company controlled'
         when 'listed_minority' then 'listed-company minority stake'
         when 'listed' then 'listed itself'
         when 'bank' then 'bank backed'
         else 'venture-capital backed'
       end as backer_en,
       to_json([struct_pack(field := 'backer', value := backer)]) as evidence
from platform
where backer in ('state_controlled', 'state_minority', 'listed_controlled', 'listed_minority',
                 'listed', 'bank', 'venture')
