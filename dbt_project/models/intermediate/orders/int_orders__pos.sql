{#- POS sale receipts in the common order shape: one order per receipt that is not a return. Returns
    are not orders; their absolute amounts net into the sale they name (int_orders__pos_returns).
    The buyer is the member card, else the receipt's valid phone hash; anonymous receipts have none.
-#}
with

receipts as (select * from {{ ref('stg_pos__receipts') }}),
pos_returns as (select * from {{ ref('int_orders__pos_returns') }}),

returned as (
    select
        pos_returns.order_key,
        sum(pos_returns.returned_amount) as returned_amount
    from pos_returns
    where pos_returns.order_key is not null
    group by pos_returns.order_key
),

sales as (
    select
        'pos:' || receipts.store_code || ':' || receipts.receipt_no as order_key,
        receipts.*
    from receipts
    where not receipts.is_return
),

final as (
    select
        sales.order_key,
        'pos' as order_source,
        sales.receipt_no as order_id,
        case
            when sales.card_no is not null then 'pos_card_no'
            when sales.phone_kind = 'valid' and sales.phone_hash is not null then 'phone'
        end as buyer_id_type,
        case
            when sales.card_no is not null then sales.card_no
            when sales.phone_kind = 'valid' then sales.phone_hash
        end as buyer_id_value,
        sales.traded_at as created_at,
        -- a store sale is paid at the till
        sales.traded_at as paid_at,
        false as is_cancelled_before_payment,
        -- a receipt has no status: the till took the money
        false as is_awaiting_payment,
        cast(sales.amount as decimal(18, 2)) as paid_amount,
        cast(coalesce(returned.returned_amount, 0) as decimal(18, 2)) as refunded_amount,
        sales.store_code,
        sales.cashier_code,
        false as is_live_order,
        true as is_offline_order
    from sales
    left join returned on sales.order_key = returned.order_key
)

select * from final
