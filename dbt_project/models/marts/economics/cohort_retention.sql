{#- Monthly purchase retention of acquisition cohorts. Every cohort gets every month offset from 0
    up to the latest loaded month, zeros where nobody bought. A purchase is a repeat purchase when
    it was paid strictly after the customer's first purchase ever (orders paid at that same instant
    are part of the first purchase, as in the funnel's repurchase step). -#}
with

acquisition as (select * from {{ ref('int_customers__acquisition') }}),
purchases as (select * from {{ ref('int_purchases') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

cohorts as (
    select
        cast(date_trunc('month', acquisition.acquired_date) as date) as cohort_month,
        count(*) as cohort_customers
    from acquisition
    group by cast(date_trunc('month', acquisition.acquired_date) as date)
),

offsets as (
    select
        cohorts.cohort_month,
        cohorts.cohort_customers,
        {{ unnest_range(0, month_boundaries('cohorts.cohort_month', 'bounds.last_date') ~ ' + 1') }}
            as months_since_acquisition
    from cohorts
    cross join bounds
),

cohort_purchases as (
    select
        cast(date_trunc('month', acquisition.acquired_date) as date) as cohort_month,
        -- date_diff counts month boundaries crossed: Jan 31 → Feb 1 is 1
        {{ month_boundaries('acquisition.acquired_date', 'purchases.purchase_date') }}
            as months_since_acquisition,
        purchases.customer_id,
        purchases.net_amount,
        purchases.purchase_at > min(purchases.purchase_at) over (partition by purchases.customer_id)
            as is_repeat_purchase
    from purchases
    inner join acquisition on purchases.customer_id = acquisition.customer_id
),

monthly as (
    select
        cohort_purchases.cohort_month,
        cohort_purchases.months_since_acquisition,
        count(distinct cohort_purchases.customer_id) as purchasing_customers,
        count(distinct cohort_purchases.customer_id) filter (
            where cohort_purchases.is_repeat_purchase
        )
            as repurchasing_customers,
        sum(cohort_purchases.net_amount) as net_revenue
    from cohort_purchases
    group by cohort_purchases.cohort_month, cohort_purchases.months_since_acquisition
),

final as (
    select
        offsets.cohort_month,
        cast(offsets.months_since_acquisition as integer) as months_since_acquisition,
        cast(offsets.cohort_customers as bigint) as cohort_customers,
        cast(coalesce(monthly.purchasing_customers, 0) as bigint) as purchasing_customers,
        cast(coalesce(monthly.repurchasing_customers, 0) as bigint) as repurchasing_customers,
        cast(coalesce(monthly.net_revenue, 0) as decimal(18, 2)) as net_revenue,
        cast(coalesce(monthly.purchasing_customers, 0) as double)
        / nullif(offsets.cohort_customers, 0)
            as purchasing_rate
    from offsets
    left join monthly
        on
            offsets.cohort_month = monthly.cohort_month
            and offsets.months_since_acquisition = monthly.months_since_acquisition
)

select * from final
