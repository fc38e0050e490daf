-- Each scheme partitions the snapshot: customer and revenue shares sum to 1 per as_of_date × scheme
-- (1e-9 allows for summing floats), and the customers add up to the snapshot's.
{#- the Dagster asset check attaches here -#}
{{ config(meta={'dagster': {'ref': {'name': 'rfm_segment_summary'}}}) }}
with

summary as (select * from {{ ref('rfm_segment_summary') }}),
scores as (select * from {{ ref('rfm_scores') }}),

snapshot_customers as (
    select
        scores.as_of_date,
        count(*) as customers
    from scores
    group by scores.as_of_date
),

scheme_totals as (
    select
        summary.as_of_date,
        summary.segment_scheme,
        sum(summary.customers) as customers,
        sum(summary.share_of_customers) as share_of_customers,
        sum(summary.share_of_revenue) as share_of_revenue
    from summary
    group by summary.as_of_date, summary.segment_scheme
)

select
    scheme_totals.*,
    snapshot_customers.customers as snapshot_customers
from scheme_totals
left join snapshot_customers on scheme_totals.as_of_date = snapshot_customers.as_of_date
where
    abs(scheme_totals.share_of_customers - 1) > 1e-9
    or abs(scheme_totals.share_of_revenue - 1) > 1e-9
    or scheme_totals.customers is distinct from snapshot_customers.customers
