{#- When each spend cohort earned its spend back: the first Beijing date on which the cumulative net
    revenue of the cohort's customers (purchases paid at or after each customer's acquisition)
    reaches the month's spend. Grain: acquisition channel × campaign × cohort month with spend > 0
    that paid back by the latest loaded date; cohorts not yet paid back (or without customers) have
    no row. -#}
with

spends as (select * from {{ ref('int_economics__spends') }}),
acquisition as (select * from {{ ref('int_customers__acquisition') }}),
purchases as (select * from {{ ref('int_purchases') }}),

daily_revenue as (
    select
        acquisition.acquisition_channel,
        acquisition.acquisition_campaign,
        cast(date_trunc('month', acquisition.acquired_date) as date) as cohort_month,
        purchases.purchase_date,
        sum(purchases.net_amount) as net_revenue
    from acquisition
    inner join purchases
        on
            acquisition.customer_id = purchases.customer_id
            and purchases.purchase_at >= acquisition.acquired_at
    group by all
),

cumulative as (
    select
        daily_revenue.*,
        sum(daily_revenue.net_revenue) over (
            partition by
                daily_revenue.acquisition_channel,
                daily_revenue.acquisition_campaign,
                daily_revenue.cohort_month
            order by daily_revenue.purchase_date
        ) as cumulative_net_revenue
    from daily_revenue
),

final as (
    select
        spends.acquisition_channel,
        spends.acquisition_campaign,
        spends.cohort_month,
        min(cumulative.purchase_date) as payback_date,
        cast(
            {{ days_between('spends.cohort_month', 'min(cumulative.purchase_date)') }} as integer
        ) as payback_days
    from spends
    inner join cumulative
        on
            spends.acquisition_channel = cumulative.acquisition_channel
            and spends.acquisition_campaign is not distinct from cumulative.acquisition_campaign
            and spends.cohort_month = cumulative.cohort_month
            and cumulative.cumulative_net_revenue >= spends.spend
    where spends.spend > 0
    group by spends.acquisition_channel, spends.acquisition_campaign, spends.cohort_month
)

select * from final
