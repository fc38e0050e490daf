with

source as (
    select * from {{ source('org', 'employee') }}
),

latest_snapshot as (
    -- the latest snapshot; a row quarantined there keeps its key's latest loaded row
    select * from source
    where {{ in_latest_snapshot('source', 'userid', 'org/employee') }}
    {{ dedupe_latest(['userid']) }}
),

final as (
    select
        userid,
        store_code,
        role,
        status,
        status = 'active' as is_active,
        pos_cashier_code,
        mobile_hash,
        mobile_kind,
        _business_date as snapshot_date,
        _file as landed_file
    from latest_snapshot
)

select * from final
