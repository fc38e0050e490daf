{#- The funnel per acquisition cohort: customers reaching each step of seed funnel_step_definitions,
    conversions and the median time a step took. Every step is a row for every cohort_week ×
    acquisition_channel with customers, reached or not (0). Conversions over a denominator of 0 are
    null; both conversions and the median hours are measured from the previous mandatory step. -#}
with

acquisition as (select * from {{ ref('int_customers__acquisition') }}),
customer_steps as (select * from {{ ref('int_funnel__customer_steps') }}),
steps as (select * from {{ ref('int_funnel__steps') }}),

cohorts as (
    select
        acquisition.customer_id,
        cast(date_trunc('week', acquisition.acquired_date) as date) as cohort_week,
        acquisition.acquisition_channel
    from acquisition
),

step_counts as (
    select
        cohorts.cohort_week,
        cohorts.acquisition_channel,
        customer_steps.step_order,
        count(customer_steps.reached_at) as customers,
        {{ median(
            divide(
                '(' ~ to_epoch_ms('customer_steps.reached_at') ~ ' - '
                ~ to_epoch_ms('customer_steps.previous_reached_at') ~ ')',
                '3600000.0'
            )
        ) }} as median_hours_from_previous
    from customer_steps
    inner join cohorts on customer_steps.customer_id = cohorts.customer_id
    group by cohorts.cohort_week, cohorts.acquisition_channel, customer_steps.step_order
),

final as (
    select
        step_counts.cohort_week,
        step_counts.acquisition_channel,
        step_counts.step_order,
        steps.step_name,
        steps.step_name_cn,
        steps.is_optional,
        cast(step_counts.customers as bigint) as customers,
        cast(step_counts.customers as double) / nullif(previous_counts.customers, 0)
            as conversion_from_previous,
        cast(step_counts.customers as double)
        / nullif(start_counts.customers, 0) as conversion_from_start,
        cast(step_counts.median_hours_from_previous as double) as median_hours_from_previous
    from step_counts
    inner join steps on step_counts.step_order = steps.step_order
    left join step_counts as previous_counts
        on
            step_counts.cohort_week = previous_counts.cohort_week
            and step_counts.acquisition_channel = previous_counts.acquisition_channel
            and steps.previous_mandatory_step_order = previous_counts.step_order
    left join step_counts as start_counts
        on
            step_counts.cohort_week = start_counts.cohort_week
            and step_counts.acquisition_channel = start_counts.acquisition_channel
            and steps.first_step_order = start_counts.step_order
)

select * from final
