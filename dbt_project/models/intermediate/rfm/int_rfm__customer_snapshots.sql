{#- Recency, frequency and monetary per as-of date and customer: one hash group-by over the
    purchases each snapshot counts, as pandas' groupby does for one snapshot, with no sort. The
    purchases meet the snapshots through their purchase day (at most days of history × snapshots
    rows), so a million purchases probe a small table by equality. Each snapshot re-reads the
    purchases it counts, so the rows hashed are the purchases × the snapshots that count them:
    1M for the latest snapshot of 1M purchases, ~6.5M for 12 month-ends of a year (the RFM chain
    11 s where running totals and ASOF joins took 19 s, bench data of 200k buyers); daily
    snapshots of long histories cost the most (400 days of 300k purchases with a 90-day window:
    133 s, before 169 s). `rfm_window_days` (default none = all history) limits R, F and M to
    purchase_date in (as_of_date − rfm_window_days, as_of_date]; revenue_365d always spans
    `super_user_window_days`. A view, read once by int_rfm__scores. -#}
{%- set rfm_window_days = var('rfm_window_days', none) -%}
{%- set revenue_window_days = var('super_user_window_days') -%}
with

purchases as (select * from {{ ref('int_purchases') }}),
snapshot_dates as (select * from {{ ref('int_rfm__snapshot_dates') }}),

purchase_days as (
    select distinct purchases.purchase_date
    from purchases
),

day_snapshots as (
    select
        purchase_days.purchase_date,
        snapshot_dates.as_of_date,
        {%- if rfm_window_days is none %}
        true as is_in_rfm_window,
        {%- else %}
        purchase_days.purchase_date > snapshot_dates.as_of_date - {{ rfm_window_days }}
            as is_in_rfm_window,
        {%- endif %}
        purchase_days.purchase_date > snapshot_dates.as_of_date - {{ revenue_window_days }}
            as is_in_revenue_window
    from purchase_days
    inner join snapshot_dates
        on
            purchase_days.purchase_date <= snapshot_dates.as_of_date
            {%- if rfm_window_days is not none %}
            -- a day in neither window is no concern of the snapshot's
            and purchase_days.purchase_date
            > snapshot_dates.as_of_date - {{ [rfm_window_days, revenue_window_days] | max }}
            {%- endif %}
),

as_of_totals as (
    select
        day_snapshots.as_of_date,
        purchases.customer_id,
        max(purchases.purchase_date) filter (where day_snapshots.is_in_rfm_window)
            as last_purchase_date,
        count(*) filter (where day_snapshots.is_in_rfm_window) as frequency,
        sum(purchases.net_amount) filter (where day_snapshots.is_in_rfm_window) as monetary,
        sum(purchases.net_amount) filter (where day_snapshots.is_in_revenue_window) as revenue_365d
    from purchases
    inner join day_snapshots on purchases.purchase_date = day_snapshots.purchase_date
    group by day_snapshots.as_of_date, purchases.customer_id
),

final as (
    select
        as_of_totals.as_of_date,
        as_of_totals.customer_id,
        as_of_totals.last_purchase_date,
        cast(as_of_totals.as_of_date - as_of_totals.last_purchase_date as integer) as recency_days,
        cast(as_of_totals.frequency as bigint) as frequency,
        cast(as_of_totals.monetary as decimal(18, 2)) as monetary,
        cast(coalesce(as_of_totals.revenue_365d, 0) as decimal(18, 2)) as revenue_365d
    from as_of_totals
    where as_of_totals.frequency > 0
)

select * from final
