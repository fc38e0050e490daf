with

source as (
    select * from {{ source('pos', 'member') }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['_business_date', 'card_no']) }}
),

final as (
    select
        _business_date as snapshot_date,
        card_no,
        phone_hash,
        phone_kind,
        birthday as birthday_month_day,
        store_code as registered_store_code,
        registered_at,
        {{ beijing_date('registered_at') }} as registered_date,
        guide_userid,
        _business_date = max(_business_date) over () as is_latest_snapshot,
        _file as landed_file
    from deduped
)

select * from final
