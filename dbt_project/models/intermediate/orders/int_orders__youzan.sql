{#- Youzan orders in the common order shape. Refunds: only SUCCESS returns money; each refund counts
    once in its latest version (staging keeps it), summed per order whenever it succeeded.
    The status decides payment (marts.md): WAIT_BUYER_PAY awaits it even with a pay_time. -#}
with

trades as (select * from {{ ref('stg_youzan__trades') }}),
refunds as (select * from {{ ref('stg_youzan__refunds') }}),

refunded as (
    select
        refunds.tid,
        sum(refunds.refund_amount) as refunded_amount
    from refunds
    where refunds.is_successful
    group by refunds.tid
),

final as (
    select
        'youzan:' || trades.tid as order_key,
        'youzan' as order_source,
        trades.tid as order_id,
        case when trades.yz_open_id is not null then 'yz_open_id' end as buyer_id_type,
        trades.yz_open_id as buyer_id_value,
        trades.created_at,
        trades.paid_at,
        coalesce(trades.is_cancelled, false) as is_cancelled_before_payment,
        coalesce(trades.status = 'WAIT_BUYER_PAY', false) as is_awaiting_payment,
        cast(trades.payment_amount as decimal(18, 2)) as paid_amount,
        cast(coalesce(refunded.refunded_amount, 0) as decimal(18, 2)) as refunded_amount,
        {{ as_text('null') }} as store_code,
        trades.cashier_id as cashier_code,
        false as is_live_order,
        coalesce(trades.is_offline_order, false) as is_offline_order
    from trades
    left join refunded on trades.tid = refunded.tid
)

select * from final
