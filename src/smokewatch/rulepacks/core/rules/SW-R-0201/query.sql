-- Platforms whose profile states that investors' funds are not in bank custody.
select id as subject_id,
       name as subject_name,
       case when custody_note like '%银行%' then 1 else 0 end as claims_bank,
       case when payment_escrow is not null or custody_note like '%第三方%'
                 or custody_note like '%支付%' then 1 else 0 end as escrow_only,
       coalesce(custody_note, payment_escrow, '') as statement,
       to_json([struct_pack(field := 'bank_custody', value := 'false'),
                struct_pack(field := 'custody_note', value := coalesce(custody_note, '')),
                struct_pack(field := 'payment_escrow', value := coalesce(payment_escrow, ''))])
         as evidence
from platform
where bank_custody = false
