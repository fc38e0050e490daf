-- Down the funnel, a mandatory step never has more customers than the mandatory step before it
-- (each is reached only after that one). The optional step is exempt: it is not a gate.
with

funnel as (select * from {{ ref('funnel_steps') }}),

mandatory as (
    select
        funnel.cohort_week,
        funnel.acquisition_channel,
        funnel.step_order,
        funnel.customers,
        lag(funnel.customers) over (
            partition by funnel.cohort_week, funnel.acquisition_channel order by funnel.step_order
        ) as previous_customers
    from funnel
    where not funnel.is_optional
)

select * from mandatory
where customers > previous_customers
