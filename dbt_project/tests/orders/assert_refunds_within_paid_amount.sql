{{ config(severity='warn') }}
{#- Refunds above the amount paid (net_amount < 0) mean source data disagree (a refund recorded
    twice under two ids, a return bigger than its sale). Only a warning: the order's figures are
    still what the sources say, and blocking every mart on one shop's bookkeeping would hide all
    other days. -#}
select
    orders.order_key,
    orders.paid_amount,
    orders.refunded_amount
from {{ ref('int_orders') }} as orders
where orders.refunded_amount > orders.paid_amount
