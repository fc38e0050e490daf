-- Reconciliation across stages, like with like: user_assets holds every purchase of the included
-- customers, whenever paid (history older than the first landing folder included: a refund today
-- updates an order of last year); daily_kpis holds the purchases paid on the loaded days of its
-- calendar, customers' and anonymous ones (no buyer identifier at all). Each is compared with the
-- staged orders of the same scope: purchases are paid orders with a positive net amount. Every sum
-- is coalesced, so an empty input (no orders, no customers, no day) compares 0 with 0, not NULL.
-- A row is returned for every figure that differs.
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'daily_kpis'}}}) }}
with

orders as (select * from {{ ref('int_orders') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
customers as (select * from {{ ref('int_customers') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

staged_purchases as (
    -- customers' and anonymous purchases; staff's, test accounts', unresolved buyers' are neither
    select
        orders.net_amount,
        customers.customer_id is not null as is_customers,
        (customers.customer_id is not null or orders.buyer_id_type is null)
        and {{ beijing_date('orders.purchase_at') }} between bounds.first_date and bounds.last_date
            as is_in_calendar
    from orders
    cross join bounds
    left join customer_map
        on
            orders.buyer_id_type = customer_map.id_type
            and orders.buyer_id_value = customer_map.id_value
    left join customers on customer_map.customer_id = customers.customer_id
    where orders.is_purchase
),

staged as (
    select
        count(*) filter (where staged_purchases.is_customers) as customer_purchases,
        coalesce(sum(staged_purchases.net_amount) filter (where staged_purchases.is_customers), 0)
            as customer_net_revenue,
        count(*) filter (where staged_purchases.is_in_calendar) as calendar_purchases,
        coalesce(sum(staged_purchases.net_amount) filter (where staged_purchases.is_in_calendar), 0)
            as calendar_net_revenue
    from staged_purchases
),

assets as (
    select
        coalesce(sum(user_assets.orders_count), 0) as purchases,
        coalesce(sum(user_assets.net_revenue), 0) as net_revenue
    from {{ ref('user_assets') }} as user_assets
),

kpis as (
    select
        coalesce(sum(daily_kpis.purchases), 0) as purchases,
        coalesce(sum(daily_kpis.net_revenue), 0) as net_revenue
    from {{ ref('daily_kpis') }} as daily_kpis
),

figures as (
    select
        'user_assets' as mart,
        assets.purchases,
        assets.net_revenue,
        staged.customer_purchases as staged_purchases,
        staged.customer_net_revenue as staged_net_revenue
    from assets cross join staged
    union all
    select
        'daily_kpis',
        kpis.purchases,
        kpis.net_revenue,
        staged.calendar_purchases,
        staged.calendar_net_revenue
    from kpis cross join staged
)

select * from figures
where
    purchases != staged_purchases
    or net_revenue != staged_net_revenue
