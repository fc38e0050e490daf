with

source as (
    select * from {{ source('org', 'employee') }}
),

latest_snapshot as (
    select * from source
    where _business_date = (select max(snapshots._business_date) from source as snapshots)
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
