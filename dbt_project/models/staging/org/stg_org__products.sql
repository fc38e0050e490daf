with

source as (
    select * from {{ source('org', 'product') }}
),

latest_snapshot as (
    -- the latest snapshot; a row quarantined there keeps its key's latest loaded row
    select * from source
    where {{ in_latest_snapshot('source', 'sku', 'org/product') }}
    {{ dedupe_latest(['sku']) }}
),

final as (
    select
        sku,
        title,
        category,
        category = 'sample' as is_sample,
        is_trial,
        list_price as list_price_amount,
        _business_date as snapshot_date,
        _file as landed_file
    from latest_snapshot
)

select * from final
