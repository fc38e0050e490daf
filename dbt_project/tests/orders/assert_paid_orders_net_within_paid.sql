{#- A refund never adds money: a paid order's net amount is at most what the buyer paid. -#}
select
    orders.order_key,
    orders.paid_amount,
    orders.refunded_amount,
    orders.net_amount
from {{ ref('int_orders') }} as orders
where
    orders.is_paid_order
    and (
        orders.net_amount > orders.paid_amount
        or orders.net_amount != orders.paid_amount - orders.refunded_amount
    )
