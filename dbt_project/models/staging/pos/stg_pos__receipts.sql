{%- set raw = source('pos', 'receipt') -%}
{%- set key = {'store_code': 'store_code', 'receipt_no': 'receipt_no'} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
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
        _file as landed_file,
        _loaded_at as loaded_at
    from deduped
)

select * from final
{{ vanished_keys(key, incremental) }}
