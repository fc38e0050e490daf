{#- The day spine MetricFlow (the dbt semantic layer) joins cumulative metrics to: one row per date
    from 2010-01-01 (before any brand's back-catalogue of orders) to the latest loaded date. It ends
    there because a cumulative metric runs to the spine's end: a spine to 2040 showed customer_assets
    for 14 years nobody has loaded. -#}
with

bounds as (select * from {{ ref('int_calendar__bounds') }}),

days as (
    select cast(day.generate_series as date) as date_day
    from bounds
    {{ generate_series_join("date '2010-01-01'", 'bounds.last_date', 'interval 1 day', 'day') }}
),

final as (
    select days.date_day
    from days
)

select * from final
