-- The export and the aggregate tell one story: per cohort_week × channel, the customers with a
-- timestamp in a step column of funnel_customers are the customers funnel_steps counts on that
-- step.
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'funnel_customers'}}}) }}
with

funnel as (select * from {{ ref('funnel_steps') }}),
customers as (select * from {{ ref('funnel_customers') }}),

exported as (
    select
        customers.cohort_week,
        customers.acquisition_channel,
        count(customers.acquired_at) as acquired,
        count(customers.pooled_at) as pooled,
        count(customers.fission_at) as fission,
        count(customers.first_purchase_at) as first_purchase,
        count(customers.repurchase_at) as repurchase,
        count(customers.referral_at) as referral
    from customers
    group by customers.cohort_week, customers.acquisition_channel
),

exported_steps as (
    -- one row per step column (DuckDB's unpivot, spelled out so Spark reads it too)
    {%- for step in ['acquired', 'pooled', 'fission', 'first_purchase', 'repurchase', 'referral'] %}
    select
        exported.cohort_week,
        exported.acquisition_channel,
        '{{ step }}' as step_name,
        exported.{{ step }} as customers
    from exported
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    exported_steps.*,
    funnel.customers as funnel_customers
from exported_steps
inner join funnel
    on
        exported_steps.cohort_week = funnel.cohort_week
        and exported_steps.acquisition_channel = funnel.acquisition_channel
        and exported_steps.step_name = funnel.step_name
where exported_steps.customers != funnel.customers
