{#- Douyin shop orders in the common order shape. Refunds: after-sales with refund_status 3 (退款成功),
    summed per order; amounts arrive in 分 and are 元 from the loader on. order_status 1 (unpaid)
    awaits payment whatever pay_time says: the status decides (marts.md). -#}
with

orders as (select * from {{ ref('stg_douyin__orders') }}),
after_sales as (select * from {{ ref('stg_douyin__after_sales') }}),

refunded as (
    select
        after_sales.order_id,
        sum(after_sales.refund_amount) as refunded_amount
    from after_sales
    where after_sales.is_refunded
    group by after_sales.order_id
),

final as (
    select
        'douyin:' || orders.order_id as order_key,
        'douyin' as order_source,
        orders.order_id,
        case when orders.doudian_open_id is not null then 'doudian_open_id' end as buyer_id_type,
        orders.doudian_open_id as buyer_id_value,
        orders.created_at,
        orders.paid_at,
        -- status 4 (已取消) without a payment time; a paid order cancelled later is refunded instead
        coalesce(orders.is_cancelled and orders.paid_at is null, false)
            as is_cancelled_before_payment,
        coalesce(orders.order_status = 1, false) as is_awaiting_payment,
        cast(orders.pay_amount as decimal(18, 2)) as paid_amount,
        cast(coalesce(refunded.refunded_amount, 0) as decimal(18, 2)) as refunded_amount,
        {{ as_text('null') }} as store_code,
        {{ as_text('null') }} as cashier_code,
        coalesce(orders.is_live_order, false) as is_live_order,
        false as is_offline_order
    from orders
    left join refunded on orders.order_id = refunded.order_id
)

select * from final
