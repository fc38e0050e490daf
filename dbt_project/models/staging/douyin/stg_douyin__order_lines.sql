{#- Incremental by the parent's key (macros/incremental_staging.sql, touched_parent_rows): a night
    unnests again only the lines of the orders it changed; a table either way, since several models
    and tests read the lines (as a view each unnested the whole history again). -#}
{%- set parent = ref('stg_douyin__orders') -%}
{{ incremental_lines_config('order_id', 'line_number') }}
{%- set raw = source('douyin', 'order') -%}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, {'order_id': 'order_id'}, incremental) }}

orders as (
    {{ touched_parent_rows(parent, 'order_id', incremental) }}
),

order_lists as (
    select
        orders.order_id,
        orders.landed_date,
        orders.loaded_at,
        {{ json_list('orders.sku_order_list_json', 'JSON') }} as line_list
    from orders
),

lines as (
    select
        order_id,
        landed_date,
        loaded_at,
        {{ unnest_with_position('line_list', value='line_json', position='line_number') }}
    from order_lists
),

final as (
    select
        order_id,
        -- a line's own id is its order_id (the shop order's id is its parent_order_id)
        {{ json_text('line_json', 'order_id') }} as sku_order_id,
        line_number,
        {{ json_text('line_json', 'code') }} as code,
        {{ json_text('line_json', 'product_name') }} as product_name,
        try_cast({{ json_text('line_json', 'item_num') }} as integer) as item_num,
        -- Douyin money is in 分
        cast(
            try_cast({{ json_text('line_json', 'pay_amount') }} as decimal(18, 0)) * 0.01
            as decimal(18, 2)
        )
            as pay_amount,
        -- live-stream attribution: '0' means none
        nullif({{ json_text('line_json', 'author_id') }}, '0') as author_id,
        nullif({{ json_text('line_json', 'room_id') }}, '0') as room_id,
        nullif({{ json_text('line_json', 'video_id') }}, '0') as video_id,
        landed_date,
        loaded_at
    from lines
)

select * from final
{{ vanished_keys({'order_id': 'order_id'}, incremental) }}
