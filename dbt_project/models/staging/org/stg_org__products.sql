with

source as (
    select * from {{ source('org', 'product') }}
),

latest_snapshot as (
    select * from source
    where _business_date = (select max(snapshots._business_date) from source as snapshots)
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
