with

source as (
    select * from {{ source('mp', 'user') }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['_business_date', 'openid']) }}
),

final as (
    select
        _business_date as snapshot_date,
        openid,
        unionid,
        phone_number_hash,
        phone_number_kind,
        country_code,
        created_at,
        {{ beijing_date('created_at') }} as created_date,
        _business_date = max(_business_date) over () as is_latest_snapshot,
        _file as landed_file
    from deduped
)

select * from final
