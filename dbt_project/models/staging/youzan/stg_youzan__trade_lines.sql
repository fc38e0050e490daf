with

trades as (
    select * from {{ ref('stg_youzan__trades') }}
),

lines as (
    select
        trades.tid,
        trades.landed_date,
        line.position as line_number,
        line.value as line_json
    from trades
    cross join
        unnest(from_json(trades.orders_json, '["JSON"]')) with ordinality as line (value, position)
),

final as (
    select
        tid,
        line_json ->> 'oid' as oid,
        line_number,
        line_json ->> 'outer_sku_id' as outer_sku_id,
        line_json ->> 'title' as title,
        try_cast(line_json ->> 'num' as integer) as num,
        try_cast(line_json ->> 'payment' as decimal(18, 2)) as payment_amount,
        coalesce(try_cast(line_json ->> 'is_present' as boolean), false) as is_present,
        landed_date
    from lines
)

select * from final
