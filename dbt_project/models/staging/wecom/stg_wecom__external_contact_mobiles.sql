-- The phones a guide noted on a contact (备注手机号), one row per list position, so the identity
-- layer can link on them without unnesting arrays itself.
with

external_contacts as (
    select * from {{ ref('stg_wecom__external_contacts') }}
),

flattened as (
    select
        external_contacts.snapshot_date,
        external_contacts.external_userid,
        external_contacts.userid,
        mobile.position as mobile_position,
        external_contacts.remark_mobile_hashes[mobile.position] as mobile_hash,
        mobile.kind as mobile_kind,
        external_contacts.is_latest_snapshot
    from external_contacts
    cross join
        unnest(external_contacts.remark_mobile_kinds) with ordinality as mobile (kind, position)
),

final as (
    select * from flattened
)

select * from final
