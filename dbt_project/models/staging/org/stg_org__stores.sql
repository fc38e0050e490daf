with

source as (
    select * from {{ source('org', 'store') }}
),

latest_snapshot as (
    -- the latest snapshot; a row quarantined there keeps its key's latest loaded row
    select * from source
    where {{ in_latest_snapshot('source', 'store_code', 'org/store') }}
    {{ dedupe_latest(['store_code']) }}
),

final as (
    select
        store_code,
        store_name,
        city,
        region,
        open_date,
        _business_date as snapshot_date,
        _file as landed_file
    from latest_snapshot
)

select * from final
