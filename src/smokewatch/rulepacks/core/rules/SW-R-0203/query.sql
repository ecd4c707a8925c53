-- Platforms whose profile states their association membership, without licence or membership.
select id as subject_id,
       name as subject_name,
       case when icp_licence is not null then 1 else 0 end as has_licence,
       case when association_member then 1 else 0 end as member,
       coalesce(icp_filing, '—') as icp_filing,
       to_json([struct_pack(field := 'icp_licence', value := coalesce(icp_licence, '')),
                struct_pack(field := 'association_member',
                            value := case when association_member then 'true' else 'false' end)])
         as evidence
from platform
where association_member is not null
  and (association_member = false or icp_licence is null)
