with

source as (
    select * from {{ source('pos', 'receipt') }}
),

deduped as (
    select * from source
    {{ dedupe_latest(['store_code', 'receipt_no']) }}
),

final as (
    select
        store_code,
        receipt_no,
        traded_at,
        {{ beijing_date('traded_at') }} as traded_date,
        card_no,
        phone_hash,
        phone_kind,
        amount,
        discount as discount_amount,
        amount < 0 as is_return,
        original_receipt_no,
        cashier_code,
        is_late_swipe,
        _business_date as landed_date,
        _file as landed_file
    from deduped
)

select * from final
