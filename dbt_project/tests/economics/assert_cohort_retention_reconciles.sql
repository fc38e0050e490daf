-- Cohorts hold every customer once and every purchase's net revenue once: Σ of the first offset's
-- cohort_customers = customers, Σ net_revenue = Σ net_amount of customers' purchases.
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'cohort_retention'}}}) }}
with

retention as (select * from {{ ref('cohort_retention') }}),
acquisition as (select * from {{ ref('int_customers__acquisition') }}),
purchases as (select * from {{ ref('int_purchases') }}),

marts as (
    select
        sum(retention.cohort_customers) filter (where retention.months_since_acquisition = 0)
            as customers,
        coalesce(sum(retention.net_revenue), 0) as net_revenue
    from retention
),

truth as (
    select
        (select count(*) from acquisition) as customers,
        (
            select coalesce(sum(purchases.net_amount), 0) from purchases
            inner join acquisition on purchases.customer_id = acquisition.customer_id
        ) as net_revenue
)

select
    marts.*,
    truth.customers as expected_customers,
    truth.net_revenue as expected_net_revenue
from marts
cross join truth
where
    coalesce(marts.customers, 0) != truth.customers
    or marts.net_revenue != truth.net_revenue
