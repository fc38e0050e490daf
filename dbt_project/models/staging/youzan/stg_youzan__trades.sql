{%- set raw = source('youzan', 'trade') -%}
{%- set key = {'tid': 'tid'} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

latest_version as (
    -- one line per order version: the latest update_time wins
    select * from source
    {{ dedupe_latest(['tid'], ['update_time']) }}
),

final as (
    select
        tid,
        yz_open_id,
        outer_user_id,
        buyer_phone_hash,
        buyer_phone_kind,
        status,
        status = 'TRADE_CLOSED' as is_closed,
        status = 'TRADE_CLOSED' and pay_time is null as is_cancelled,
        refund_state,
        is_offline_order,
        cashier_id,
        created as created_at,
        {{ beijing_date('created') }} as created_date,
        pay_time as paid_at,
        {{ beijing_date('pay_time') }} as paid_date,
        success_time as succeeded_at,
        update_time as updated_at,
        payment as payment_amount,
        post_fee as post_fee_amount,
        orders as orders_json,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from latest_version
)

select * from final
{{ vanished_keys(key, incremental) }}
