{#- Customers of a snapshot sorted by monetary descending fall into percentile bucket ceil(100 ·
    row_number / n), computed in integers. All 100 buckets are emitted: with n < 100 some are empty
    and carry the cumulative share forward (0 before the first customer's bucket). Ties are ordered
    by customer_id only to be deterministic; equal amounts give the same cumulative sums. The
    headline top20 share is not bucket 20: it counts the customers ranked (descending, ties sharing
    the smallest rank) ≤ ceil(0.2 · n), as is_super_user does — of 212 buyers the top 43, where
    bucket 20 holds 42; customers tied at the boundary are all in. -#}
with

scores as (select * from {{ ref('int_rfm__segments') }}),

ranked as (
    select
        scores.as_of_date,
        scores.monetary,
        row_number() over (
            partition by scores.as_of_date order by scores.monetary desc, scores.customer_id asc
        ) as customer_rank,
        rank() over (partition by scores.as_of_date order by scores.monetary desc) as revenue_rank,
        count(*) over (partition by scores.as_of_date) as snapshot_customers
    from scores
),

top20_revenues as (
    -- ceil(n / 5) in integers, so no float puts a customer on the wrong side of the cut
    select
        ranked.as_of_date,
        sum(ranked.monetary) filter (
            where
            ranked.revenue_rank
            <= {{ integer_divide('(ranked.snapshot_customers + 4)', '5') }}
        ) as top20_revenue,
        sum(ranked.monetary) as snapshot_revenue
    from ranked
    group by ranked.as_of_date
),

top20 as (
    select
        top20_revenues.as_of_date,
        {{ divide('top20_revenues.top20_revenue', 'nullif(top20_revenues.snapshot_revenue, 0)') }}
            as top20_share_of_revenue
    from top20_revenues
),

bucket_totals as (
    select
        ranked.as_of_date,
        {{ integer_divide(
            '(100 * ranked.customer_rank + ranked.snapshot_customers - 1)',
            'ranked.snapshot_customers'
        ) }} as percentile_bucket,
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
    cross join {{ range_relation(1, 101, 'buckets', 'percentile_bucket') }}
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
        on
            snapshot_buckets.as_of_date = bucket_totals.as_of_date
            and snapshot_buckets.percentile_bucket = bucket_totals.percentile_bucket
),

shares as (
    select
        cumulative.*,
        cast({{ divide(
            'cumulative.cumulative_net_revenue', 'nullif(cumulative.snapshot_revenue, 0)'
        ) }} as double) as cumulative_share_of_revenue
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
        cast(top20.top20_share_of_revenue as double) as top20_share_of_revenue
    from shares
    inner join top20 on shares.as_of_date = top20.as_of_date
)

select * from final
