-- Reconciliation across stages: customers' net revenue and purchase count are the same in the
-- staged orders (paid orders with a positive net amount, bought by an included customer) and in
-- user_assets; daily_kpis holds those plus the anonymous purchases (no buyer identifier at all).
-- A row is returned for every figure that differs.
{{ config(meta={'dagster': {'ref': {'name': 'daily_kpis'}}}) }}  {#- the Dagster asset check attaches here #}
with

orders as (select * from {{ ref('int_orders') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
customers as (select * from {{ ref('int_customers') }}),

staged as (
    select count(*) as purchases, coalesce(sum(orders.net_amount), 0) as net_revenue
    from orders
    inner join customer_map
        on orders.buyer_id_type = customer_map.id_type and orders.buyer_id_value = customer_map.id_value
    inner join customers on customer_map.customer_id = customers.customer_id
    where orders.is_purchase
),

assets as (
    select sum(orders_count) as purchases, coalesce(sum(net_revenue), 0) as net_revenue
    from {{ ref('user_assets') }}
),

anonymous as (
    select count(*) as purchases, coalesce(sum(orders.net_amount), 0) as net_revenue
    from orders
    where orders.is_purchase and orders.buyer_id_type is null
),

kpis as (
    select
        sum(daily_kpis.purchases) - any_value(anonymous.purchases) as purchases,
        coalesce(sum(daily_kpis.net_revenue), 0) - any_value(anonymous.net_revenue) as net_revenue
    from {{ ref('daily_kpis') }} as daily_kpis
    cross join anonymous
),

figures as (
    select 'user_assets' as mart, assets.purchases, assets.net_revenue from assets
    union all
    select 'daily_kpis', kpis.purchases, kpis.net_revenue from kpis
)

select figures.mart, figures.purchases, staged.purchases as staged_purchases,
    figures.net_revenue, staged.net_revenue as staged_net_revenue
from figures cross join staged
where figures.purchases is distinct from staged.purchases
    or figures.net_revenue is distinct from staged.net_revenue
