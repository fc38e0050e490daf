with

source as (
    select * from {{ source('org', 'test_account') }}
),

latest_snapshot as (
    select * from source
    where _business_date = (select max(snapshots._business_date) from source as snapshots)
    {{ dedupe_latest(['id_type', 'id_value']) }}
),

final as (
    select
        id_type,
        id_value,
        -- the loader stores these id types' values as keyed phone hashes (contract `phone_when`)
        id_type in ('phone', 'mobile', 'phone_number', 'telephone') as is_phone_hash,
        note,
        _business_date as snapshot_date,
        _file as landed_file
    from latest_snapshot
)

select * from final
