{#- Recency, frequency and monetary per as-of date and customer, from each customer's running totals
    by purchase date: an ASOF join picks the totals as of a date, so a snapshot costs one row per
    customer rather than one per purchase (daily snapshots of 2 years over 1M purchases join up to
    730M rows the plain way). A window's sum is the running total at as_of_date minus the one at the
    window's start. `rfm_window_days` (default none = all history) limits R, F and M to
    purchase_date in (as_of_date − rfm_window_days, as_of_date]; revenue_365d always spans
    `super_user_window_days`. -#}
{%- set rfm_window_days = var('rfm_window_days', none) -%}
with

purchases as (select * from {{ ref('int_purchases') }}),
snapshot_dates as (select * from {{ ref('int_rfm__snapshot_dates') }}),

running_totals as (
    select
        purchases.customer_id,
        purchases.purchase_date,
        sum(count(*)) over customer_history as purchases_to_date,
        sum(sum(purchases.net_amount)) over customer_history as net_amount_to_date
    from purchases
    group by purchases.customer_id, purchases.purchase_date
    window customer_history as (partition by purchases.customer_id order by purchases.purchase_date)
),

first_purchases as (
    select
        purchases.customer_id,
        min(purchases.purchase_date) as first_purchase_date
    from purchases
    group by purchases.customer_id
),

customer_dates as (
    select
        snapshot_dates.as_of_date,
        first_purchases.customer_id
    from snapshot_dates
    inner join first_purchases on snapshot_dates.as_of_date >= first_purchases.first_purchase_date
),

as_of_totals as (
    select
        customer_dates.as_of_date,
        customer_dates.customer_id,
        latest.purchase_date as last_purchase_date,
        {%- if rfm_window_days is none %}
        latest.purchases_to_date as frequency,
        latest.net_amount_to_date as monetary,
        {%- else %}
        latest.purchases_to_date - coalesce(before_rfm_window.purchases_to_date, 0) as frequency,
        latest.net_amount_to_date - coalesce(before_rfm_window.net_amount_to_date, 0) as monetary,
        {%- endif %}
        latest.net_amount_to_date
        - coalesce(before_revenue_window.net_amount_to_date, 0) as revenue_365d
    from customer_dates
    asof inner join running_totals as latest
        on
            customer_dates.customer_id = latest.customer_id
            and customer_dates.as_of_date >= latest.purchase_date
    asof left join running_totals as before_revenue_window
        on
            customer_dates.customer_id = before_revenue_window.customer_id
            and customer_dates.as_of_date - {{ var('super_user_window_days') }}
            >= before_revenue_window.purchase_date
    {%- if rfm_window_days is not none %}
    -- read in the `else` above; ST11 sees that `if` take its other branch (it renders both)
    asof left join running_totals as before_rfm_window  -- noqa: ST11
        on
            customer_dates.customer_id = before_rfm_window.customer_id
            and customer_dates.as_of_date - {{ rfm_window_days }} >= before_rfm_window.purchase_date
    {%- endif %}
),

final as (
    select
        as_of_totals.as_of_date,
        as_of_totals.customer_id,
        as_of_totals.last_purchase_date,
        cast(as_of_totals.as_of_date - as_of_totals.last_purchase_date as integer) as recency_days,
        cast(as_of_totals.frequency as bigint) as frequency,
        cast(as_of_totals.monetary as decimal(18, 2)) as monetary,
        cast(as_of_totals.revenue_365d as decimal(18, 2)) as revenue_365d
    from as_of_totals
    where as_of_totals.frequency > 0
)

select * from final
