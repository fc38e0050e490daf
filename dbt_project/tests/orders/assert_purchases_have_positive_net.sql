{#- A purchase is a paid order with net_amount > 0, timed at its payment (spec/marts.md). -#}
select
    orders.order_key,
    orders.is_paid_order,
    orders.net_amount,
    orders.paid_at,
    orders.purchase_at
from {{ ref('int_orders') }} as orders
where
    orders.is_purchase
    and (
        not orders.is_paid_order
        or orders.net_amount <= 0
        or orders.purchase_at is distinct from orders.paid_at
    )
