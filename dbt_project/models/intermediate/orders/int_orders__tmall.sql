{#- Tmall orders in the common order shape. The export carries the money refunded (退款金额) on the
    order itself, as of the latest export of it. 订单状态 等待买家付款 awaits payment whatever 付款时间
    says: the status decides (marts.md). -#}
with

trades as (select * from {{ ref('stg_tmall__trades') }}),

final as (
    select
        'tmall:' || trades.order_no as order_key,
        'tmall' as order_source,
        trades.order_no as order_id,
        case when trades.buyer_nick is not null then 'tmall_buyer_nick' end as buyer_id_type,
        trades.buyer_nick as buyer_id_value,
        trades.created_at,
        trades.paid_at,
        coalesce(trades.is_cancelled, false) as is_cancelled_before_payment,
        coalesce(trim(trades.order_status) = '等待买家付款', false) as is_awaiting_payment,
        cast(trades.paid_amount as decimal(18, 2)) as paid_amount,
        cast(coalesce(trades.refund_amount, 0) as decimal(18, 2)) as refunded_amount,
        {{ as_text('null') }} as store_code,
        {{ as_text('null') }} as cashier_code,
        false as is_live_order,
        false as is_offline_order
    from trades
)

select * from final
