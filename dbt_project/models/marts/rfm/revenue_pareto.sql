{#- Customers of a snapshot sorted by monetary descending fall into percentile bucket
    ceil(100 · row_number / n), computed in integers. All 100 buckets are emitted: with n < 100 some are
    empty and carry the cumulative share forward (0 before the first customer's bucket). Ties are
    ordered by customer_id only to be deterministic; equal amounts give the same cumulative sums. -#}
with

scores as (select * from {{ ref('rfm_scores') }}),

ranked as (
    select
        scores.as_of_date,
        scores.monetary,
        row_number() over (
            partition by scores.as_of_date order by scores.monetary desc, scores.customer_id
        ) as customer_rank,
        count(*) over (partition by scores.as_of_date) as snapshot_customers
    from scores
),

bucket_totals as (
    select
        ranked.as_of_date,
        (100 * ranked.customer_rank + ranked.snapshot_customers - 1) // ranked.snapshot_customers
            as percentile_bucket,
        count(*) as customers,
        sum(ranked.monetary) as net_revenue
    from ranked
    group by ranked.as_of_date, percentile_bucket
),

snapshot_buckets as (
    select distinct
        bucket_totals.as_of_date,
        buckets.percentile_bucket
    from bucket_totals
    cross join range(1, 101) as buckets (percentile_bucket)
),

cumulative as (
    select
        snapshot_buckets.as_of_date,
        snapshot_buckets.percentile_bucket,
        coalesce(bucket_totals.customers, 0) as customers,
        coalesce(bucket_totals.net_revenue, 0) as net_revenue,
        sum(coalesce(bucket_totals.net_revenue, 0)) over (
            partition by snapshot_buckets.as_of_date order by snapshot_buckets.percentile_bucket
        ) as cumulative_net_revenue,
        sum(coalesce(bucket_totals.net_revenue, 0)) over (partition by snapshot_buckets.as_of_date)
            as snapshot_revenue
    from snapshot_buckets
    left join bucket_totals
        on snapshot_buckets.as_of_date = bucket_totals.as_of_date
        and snapshot_buckets.percentile_bucket = bucket_totals.percentile_bucket
),

shares as (
    select
        cumulative.*,
        cast(cumulative.cumulative_net_revenue / nullif(cumulative.snapshot_revenue, 0) as double)
            as cumulative_share_of_revenue
    from cumulative
),

final as (
    select
        shares.as_of_date,
        cast(shares.percentile_bucket as integer) as percentile_bucket,
        shares.customers,
        cast(shares.net_revenue as decimal(18, 2)) as net_revenue,
        cast(shares.cumulative_net_revenue as decimal(18, 2)) as cumulative_net_revenue,
        shares.cumulative_share_of_revenue,
        max(shares.cumulative_share_of_revenue) filter (where shares.percentile_bucket = 20)
            over (partition by shares.as_of_date) as top20_share_of_revenue
    from shares
)

select * from final
