-- Every cohort has every month offset from 0 to the latest loaded month, exactly once, and each
-- cohort's size is the same on all its rows.
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'cohort_retention'}}}) }}
with

retention as (select * from {{ ref('cohort_retention') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

per_cohort as (
    select
        retention.cohort_month,
        count(*) as offsets,
        min(retention.months_since_acquisition) as first_offset,
        max(retention.months_since_acquisition) as last_offset,
        count(distinct retention.cohort_customers) as cohort_sizes,
        {{ month_boundaries('retention.cohort_month', 'any_value(bounds.last_date)') }}
            as expected_last_offset
    from retention
    cross join bounds
    group by retention.cohort_month
)

select * from per_cohort
where
    first_offset != 0
    or last_offset != expected_last_offset
    or offsets != expected_last_offset + 1
    or cohort_sizes != 1
