{%- set raw = source('douyin', 'order') -%}
{%- set key = {'order_id': 'order_id'} -%}
{{ incremental_staging_config(key) }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, key, incremental) }}

source as (
    {{ touched_rows(raw, key, incremental) }}
),

latest_version as (
    select * from source
    {{ dedupe_latest(['order_id'], ['update_time']) }}
),

final as (
    select
        order_id,
        doudian_open_id,
        order_status,
        order_status = 4 as is_cancelled,
        create_time as created_at,
        {{ beijing_date('create_time') }} as created_date,
        pay_time as paid_at,
        {{ beijing_date('pay_time') }} as paid_date,
        update_time as updated_at,
        pay_amount,
        mask_post_tel_hash,
        mask_post_tel_kind,
        -- a line bought in a live room names it; the API writes 0 (or nothing) otherwise
        {{ json_array_any_set('sku_order_list', 'room_id', ['0', '']) }} as is_live_order,
        sku_order_list as sku_order_list_json,
        _business_date as landed_date,
        _file as landed_file,
        _loaded_at as loaded_at
    from latest_version
)

select * from final
{{ vanished_keys(key, incremental) }}
