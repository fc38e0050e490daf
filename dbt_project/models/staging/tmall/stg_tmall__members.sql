with

source as (
    select * from {{ source('tmall', 'member') }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['_business_date', 'member_id']) }}
),

final as (
    select
        _business_date as snapshot_date,
        member_id,
        buyer_nick,
        phone_hash,
        phone_kind,
        bound_at,
        {{ beijing_date('bound_at') }} as bound_date,
        _business_date = max(_business_date) over () as is_latest_snapshot,
        _file as landed_file
    from deduped
)

select * from final
