{#- What the CLV step fits (value/warehouse.py PURCHASES): every purchase of a customer of
    user_assets, whose customers are int_customers' (a left join from it), with the as-of date. Built before the
    marts, so that under `siyu run` the fit can start while dbt goes on (value/handoff.py): the
    post-hook writes these rows to a Parquet file beside the warehouse for the fit's worker. -#}
{{ config(post_hook="{{ clv_handoff(this) }}") }}

with

purchases as (select * from {{ ref('int_purchases') }}),
customers as (select * from {{ ref('int_customers') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

final as (
    select
        purchases.customer_id,
        purchases.purchase_date,
        cast(purchases.net_amount as double) as net_amount,
        bounds.last_date as as_of_date
    from purchases
    cross join bounds
    where purchases.customer_id in (select customers.customer_id from customers)
)

select * from final
