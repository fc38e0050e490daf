{#- R, F and M scores and the super-user flag per as-of date and customer. Ranks are SQL rank()
    (ties share the smallest rank), so equal values always get equal scores. A score is least(5, 1 +
    5·(rank − 1) div (n − 1)) in integers: no float can put a customer on the wrong side of a cut. n
    = 1 gives 5·0 div 1 = 0, i.e. score 1. -#}
with

snapshots as (select * from {{ ref('int_rfm__customer_snapshots') }}),

ranked as (
    select
        snapshots.*,
        count(*) over (partition by snapshots.as_of_date) as snapshot_customers,
        rank()
            over (partition by snapshots.as_of_date order by snapshots.recency_days desc)
            as r_rank,
        rank() over (partition by snapshots.as_of_date order by snapshots.frequency) as f_rank,
        rank() over (partition by snapshots.as_of_date order by snapshots.monetary) as m_rank,
        rank()
            over (partition by snapshots.as_of_date order by snapshots.revenue_365d desc)
            as revenue_rank
    from snapshots
),

final as (
    select
        ranked.as_of_date,
        ranked.customer_id,
        ranked.last_purchase_date,
        ranked.recency_days,
        ranked.frequency,
        ranked.monetary,
        ranked.revenue_365d,
        cast(
            least(
                5, 1 + (5 * (ranked.r_rank - 1)) // greatest(ranked.snapshot_customers - 1, 1)
            ) as integer
        )
            as r_score,
        cast(
            least(
                5, 1 + (5 * (ranked.f_rank - 1)) // greatest(ranked.snapshot_customers - 1, 1)
            ) as integer
        )
            as f_score,
        cast(
            least(
                5, 1 + (5 * (ranked.m_rank - 1)) // greatest(ranked.snapshot_customers - 1, 1)
            ) as integer
        )
            as m_score,
        -- a decimal share keeps the cut exact: in binary floating point ceil(0.07 × 100) is 8, not
        -- 7
        ranked.revenue_365d > 0
        and ranked.revenue_rank
        <= ceil(cast({{ var('super_user_share') }} as decimal(9, 6)) * ranked.snapshot_customers)
            as is_super_user
    from ranked
)

select * from final
