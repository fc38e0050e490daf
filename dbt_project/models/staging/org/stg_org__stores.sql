with

source as (
    select * from {{ source('org', 'store') }}
),

latest_snapshot as (
    select * from source
    where _business_date = (select max(snapshots._business_date) from source as snapshots)
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
