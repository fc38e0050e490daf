{%- set raw = source('douyin', 'after_sale') -%}
{%- set key = {'aftersale_id': 'aftersale_id'} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

latest_version as (
    select * from source
    {{ dedupe_latest(['aftersale_id'], ['update_time']) }}
),

final as (
    select
        aftersale_id,
        order_id,
        aftersale_type,
        aftersale_status,
        refund_status,
        refund_status = 3 as is_refunded,
        refund_amount,
        create_time as created_at,
        {{ beijing_date('create_time') }} as created_date,
        update_time as updated_at,
        {{ beijing_date('update_time') }} as updated_date,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from latest_version
)

select * from final
{{ vanished_keys(key, incremental) }}
