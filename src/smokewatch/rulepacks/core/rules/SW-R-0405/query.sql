-- Complaints describing violent or intimidating collection, attributed to an organisation by
-- USCC, or by its exact name when the complaint has no USCC.
with complaints as (
  select id, subject_uscc, subject_name, published_on
  from document
  where kind = 'complaint'
    and (published_on is null
         or (published_on <= :as_of and date_diff('day', published_on, :as_of) <= :lookback_days))
    and regexp_matches(coalesce(title, '') || ' ' || coalesce(text, ''),
                       '暴力催收|软暴力|威胁|恐吓|辱骂|骚扰(我的)?(家人|亲友|同事|通讯录|联系人)|爆通讯录|通讯录催收|上门(催收|滋扰|堵门)|P图|PS图|侮辱')
),
linked as (
  select o.id as subject_id, o.name as subject_name, c.id as document_id
  from local_org o
  join complaints c on c.subject_uscc = o.uscc
  union
  select o.id as subject_id, o.name as subject_name, c.id as document_id
  from local_org o
  join complaints c on c.subject_uscc is null and c.subject_name = o.name
)
select subject_id,
       min(subject_name) as subject_name,
       count(distinct document_id) as n_complaints,
       to_json(array_agg(struct_pack(field := 'complaint', value := document_id))) as evidence
from linked
group by subject_id
