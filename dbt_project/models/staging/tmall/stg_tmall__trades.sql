{%- set raw = source('tmall', 'trade') -%}
{%- set key = {'order_no': "trim(both '=\"' from order_no)"} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

cleaned as (
    -- Excel exports write the order number as ="1234567890" to stop it turning into a float
    select
        *,
        trim(both '="' from order_no) as cleaned_order_no
    from source
),

latest_file as (
    -- overlapping exports repeat orders: the latest file wins, by folder date then file name
    select * from cleaned
    {{ dedupe_latest(['cleaned_order_no'], ['_business_date', '_file']) }}
),

final as (
    select
        cleaned_order_no as order_no,
        buyer_nick,
        order_status,
        order_status = '交易关闭' as is_closed,
        order_status = '交易关闭' and paid_at is null as is_cancelled,
        created_at,
        {{ beijing_date('created_at') }} as created_date,
        paid_at,
        {{ beijing_date('paid_at') }} as paid_date,
        payable_amount,
        paid_amount,
        refund_amount,
        receiver_phone_hash,
        receiver_phone_kind,
        item_title,
        item_quantity,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from latest_file
)

select * from final
{{ vanished_keys(key, incremental) }}
