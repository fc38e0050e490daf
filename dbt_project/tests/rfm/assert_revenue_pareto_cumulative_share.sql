-- Every snapshot has buckets 1–100; the cumulative share never falls and ends at 1.0 when the
-- snapshot has net revenue.
with

pareto as (select * from {{ ref('revenue_pareto') }}),

checked as (
    select
        pareto.as_of_date,
        count(*) as buckets,
        min(pareto.percentile_bucket) as first_bucket,
        max(pareto.percentile_bucket) as last_bucket,
        sum(pareto.net_revenue) as snapshot_revenue,
        max(pareto.cumulative_share_of_revenue) filter (where pareto.percentile_bucket = 100)
            as final_share,
        count(*) filter (where pareto.cumulative_share_of_revenue < pareto.previous_share)
            as decreases
    from (
        select
            pareto.*,
            lag(pareto.cumulative_share_of_revenue) over (
                partition by pareto.as_of_date order by pareto.percentile_bucket
            ) as previous_share
        from pareto
    ) as pareto
    group by pareto.as_of_date
)

select *
from checked
where
    buckets != 100
    or first_bucket != 1
    or last_bucket != 100
    or decreases > 0
    or (snapshot_revenue > 0 and final_share is distinct from 1.0)
