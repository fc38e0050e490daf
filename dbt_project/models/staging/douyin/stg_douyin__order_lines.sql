with

orders as (
    select * from {{ ref('stg_douyin__orders') }}
),

lines as (
    select
        orders.order_id,
        orders.landed_date,
        line.position as line_number,
        line.value as line_json
    from orders
    cross join
        unnest(from_json(orders.sku_order_list_json, '["JSON"]')) with ordinality
            as line (value, position)
),

final as (
    select
        order_id,
        -- a line's own id is its order_id (the shop order's id is its parent_order_id)
        line_json ->> 'order_id' as sku_order_id,
        line_number,
        line_json ->> 'code' as code,
        line_json ->> 'product_name' as product_name,
        try_cast(line_json ->> 'item_num' as integer) as item_num,
        -- Douyin money is in 分
        cast(try_cast(line_json ->> 'pay_amount' as decimal(18, 0)) * 0.01 as decimal(18, 2))
            as pay_amount,
        -- live-stream attribution: '0' means none
        nullif(line_json ->> 'author_id', '0') as author_id,
        nullif(line_json ->> 'room_id', '0') as room_id,
        nullif(line_json ->> 'video_id', '0') as video_id,
        landed_date
    from lines
)

select * from final
