{#- Acquisition cohorts (channel × campaign × Beijing month of acquisition) and their LTV per window
    of var ltv_windows (days, default 30/90/180/365): the average over the cohort's customers of the
    net revenue of their purchases paid from acquisition to acquisition + N days (both ends
    inclusive); customers without purchases count as 0. An LTV is null until every customer of the
    cohort has had the full N days: latest loaded date − Beijing date of the cohort's last
    acquisition ≥ N. -#}
{%- set ltv_windows = var('ltv_windows') -%}
with

acquisition as (select * from {{ ref('int_customers__acquisition') }}),
purchases as (select * from {{ ref('int_purchases') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

customer_revenue as (
    select
        acquisition.customer_id,
        acquisition.acquisition_channel,
        acquisition.acquisition_campaign,
        cast(date_trunc('month', acquisition.acquired_date) as date) as cohort_month,
        acquisition.acquired_date,
    {%- for days in ltv_windows %}
    coalesce(sum(purchases.net_amount) filter (
        where purchases.purchase_at <= {{ add_days('acquisition.acquired_at', days) }}
        ), 0) as revenue_{{ days }}d{{ ',' if not loop.last }}
    {%- endfor %}
    from acquisition
    left join purchases
        on
            acquisition.customer_id = purchases.customer_id
            and purchases.purchase_at >= acquisition.acquired_at
    group by all
),

final as (
    select
        customer_revenue.acquisition_channel,
        customer_revenue.acquisition_campaign,
        customer_revenue.cohort_month,
        count(*) as new_customers,
        max(customer_revenue.acquired_date) as last_acquired_date,
    {%- for days in ltv_windows %}
    case
        when {{ days_between(
            'max(customer_revenue.acquired_date)', 'any_value(bounds.last_date)'
        ) }} >= {{ days }}
            then {{ divide('sum(customer_revenue.revenue_' ~ days ~ 'd)', 'count(*)') }}
    end as ltv_{{ days }}d{{ ',' if not loop.last }}
    {%- endfor %}
    from customer_revenue
    cross join bounds
    group by
        customer_revenue.acquisition_channel,
        customer_revenue.acquisition_campaign,
        customer_revenue.cohort_month
)

select * from final
