{#- One row per customer with the time each default funnel step was reached (null if not), for
    exporting drop-offs. The step columns are the default step names of seed funnel_step_definitions
    (a contract cannot grow columns from data); furthest_step_* follows whatever steps the seed
    holds. -#}
with

acquisition as (select * from {{ ref('int_customers__acquisition') }}),
customer_steps as (select * from {{ ref('int_funnel__customer_steps') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

pivoted as (
    select
        customer_steps.customer_id,
        {%- for step_name in ['pooled', 'fission', 'first_purchase', 'repurchase', 'referral'] %}
        max(customer_steps.reached_at) filter (where customer_steps.step_name = '{{ step_name }}')
            as {{ step_name }}_at,
        {%- endfor %}
        max(customer_steps.step_order) filter (
            where not customer_steps.is_optional and customer_steps.reached_at is not null
        ) as furthest_step_order,
        {{ arg_max('customer_steps.step_name', 'customer_steps.step_order') }} filter (
            where not customer_steps.is_optional and customer_steps.reached_at is not null
        ) as furthest_step_name
    from customer_steps
    group by customer_steps.customer_id
),

final as (
    select
        acquisition.customer_id,
        cast(date_trunc('week', acquisition.acquired_date) as date) as cohort_week,
        acquisition.acquisition_channel,
        acquisition.acquisition_campaign,
        acquisition.acquired_at,
        pivoted.pooled_at,
        pivoted.fission_at,
        pivoted.first_purchase_at,
        pivoted.repurchase_at,
        pivoted.referral_at,
        cast(pivoted.furthest_step_order as integer) as furthest_step_order,
        pivoted.furthest_step_name,
        {{ add_days('acquisition.acquired_at', var('funnel_window_days')) }} as window_ends_at,
        -- complete once the window ended before the end (Beijing midnight) of the latest loaded
        -- date
        {{ add_days('acquisition.acquired_at', var('funnel_window_days')) }}
        < bounds.loaded_until_at
            as is_window_complete
    from acquisition
    inner join pivoted on acquisition.customer_id = pivoted.customer_id
    cross join bounds
)

select * from final
