{{ config(severity='warn') }}
{#- A POS return whose 原单流水号 names no sale (or several in other stores) nets into no order, so
    its money is missing from net revenue. A warning: the original may arrive in a later export, and
    the rest of the day's orders are right meanwhile. -#}
select
    pos_returns.return_key,
    pos_returns.original_receipt_no,
    pos_returns.returned_amount
from {{ ref('int_orders__pos_returns') }} as pos_returns
where pos_returns.order_key is null
