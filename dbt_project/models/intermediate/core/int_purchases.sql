{#- Purchases (paid orders with net_amount > 0) of customers, attributed through the identity map.
    Orders of staff, test accounts, other-corp contacts and anonymous receipts have no customer. -#}
with

orders as (select * from {{ ref('int_orders') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
customers as (select * from {{ ref('int_customers') }}),

final as (
    select
        customers.customer_id,
        orders.order_key,
        orders.order_source,
        orders.purchase_at,
        {{ beijing_date('orders.purchase_at') }} as purchase_date,
        orders.paid_amount,
        orders.net_amount,
        orders.is_trial_order,
        orders.store_code,
        orders.is_live_order
    from orders
    inner join customer_map
        on
            orders.buyer_id_type = customer_map.id_type
            and orders.buyer_id_value = customer_map.id_value
    inner join customers on customer_map.customer_id = customers.customer_id
    where orders.is_purchase
)

select * from final
