{#- The as-of dates of the RFM snapshots: the latest loaded business date always, plus history for
    segment transitions from the first purchase on — every month-end by default, every day with
    `rfm_snapshot_grain: day` (~30× the rows: 2 years × 100k buyers is up to 73M rows). -#}
{%- set grain = var('rfm_snapshot_grain', 'month') -%}
{%- if grain not in ['month', 'day'] -%}
    {{ exceptions.raise_compiler_error(
        "rfm_snapshot_grain must be 'month' or 'day', not '" ~ grain ~ "'"
    ) }}
{%- endif -%}
with

purchases as (select * from {{ ref('int_purchases') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

history_span as (
    select
        min(purchases.purchase_date) as first_purchase_date,
        bounds.last_date
    from purchases
    cross join bounds
    group by bounds.last_date
),

history_range as (
    -- no range before the first purchase (Spark's sequence would count down)
    select
        history_span.first_purchase_date,
        history_span.last_date
    from history_span
    where history_span.first_purchase_date <= history_span.last_date
),

history_days as (
    select cast(history_day.generate_series as date) as calendar_date
    from history_range
    {{ generate_series_join(
        'history_range.first_purchase_date', 'history_range.last_date', 'interval 1 day',
        'history_day'
    ) }}
),

history_dates as (
    select history_days.calendar_date as as_of_date
    from history_days
    {%- if grain == 'month' %}
    where history_days.calendar_date = last_day(history_days.calendar_date)
    {%- endif %}
),

final as (
    select history_dates.as_of_date from history_dates
    union
    select bounds.last_date from bounds
    where bounds.last_date is not null
)

select * from final
