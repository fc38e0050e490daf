{#- R, F and M scores, high/low levels and the super-user flag per as-of date and customer, with no
    sort of the customers: a score depends on a value only through rank − 1, the customers ranked
    strictly before it (rank(): ties share the smallest rank, so equal values score alike), so each
    distinct value is scored once from a running count of customers per value and joined back — at
    1M purchases 30 recencies, 11 frequencies and ~103k amounts are sorted, not 487k customers four
    times. Scores least(5, 1 + 5·(rank − 1) div (n − 1)) and levels (value × n against the snapshot's
    sum: strictly better than the mean) in integers and decimals: no float nudges a value across a
    cut; n = 1 gives 5·0 div 1 = 0, i.e. score 1. -#}
{%- set score_orders = [
    ('r', 'recency_days', 'desc'), ('f', 'frequency', 'asc'), ('m', 'monetary', 'asc')
] -%}
with

snapshots as (select * from {{ ref('int_rfm__customer_snapshots') }}),

{%- for score, column, direction in score_orders %}

{{ score }}_scores as (
    select
        snapshots.as_of_date,
        snapshots.{{ column }},
        cast(least(5, 1 + 5 * (
            sum(count(*)) over (
                partition by snapshots.as_of_date order by snapshots.{{ column }} {{ direction }}
            ) - count(*)
        ) // greatest(sum(count(*)) over (partition by snapshots.as_of_date) - 1, 1)) as integer)
            as {{ score }}_score
    from snapshots
    group by snapshots.as_of_date, snapshots.{{ column }}
),
{%- endfor %}

super_user_revenues as (
    -- rank by revenue (descending) ≤ ceil(share × n); a decimal share keeps the cut exact: in
    -- binary floating point ceil(0.07 × 100) is 8, not 7
    select
        snapshots.as_of_date,
        snapshots.revenue_365d,
        snapshots.revenue_365d > 0
        and sum(count(*)) over (
            partition by snapshots.as_of_date order by snapshots.revenue_365d desc
        ) - count(*) + 1
        <= ceil(
            cast({{ var('super_user_share') }} as decimal(9, 6))
            * sum(count(*)) over (partition by snapshots.as_of_date)
        ) as is_super_user
    from snapshots
    group by snapshots.as_of_date, snapshots.revenue_365d
),

snapshot_totals as (
    select
        snapshots.as_of_date,
        count(*) as snapshot_customers,
        sum(snapshots.recency_days) as recency_days_total,
        sum(snapshots.frequency) as frequency_total,
        sum(snapshots.monetary) as monetary_total
    from snapshots
    group by snapshots.as_of_date
),

final as (
    select
        snapshots.as_of_date,
        snapshots.customer_id,
        snapshots.last_purchase_date,
        snapshots.recency_days,
        snapshots.frequency,
        snapshots.monetary,
        snapshots.revenue_365d,
        r_scores.r_score,
        f_scores.f_score,
        m_scores.m_score,
        super_user_revenues.is_super_user,
        snapshots.recency_days * snapshot_totals.snapshot_customers
        < snapshot_totals.recency_days_total as is_r_high,
        snapshots.frequency * snapshot_totals.snapshot_customers
        > snapshot_totals.frequency_total as is_f_high,
        snapshots.monetary * snapshot_totals.snapshot_customers
        > snapshot_totals.monetary_total as is_m_high
    from snapshots
    inner join snapshot_totals on snapshots.as_of_date = snapshot_totals.as_of_date
    {%- for score, column, direction in score_orders %}
    inner join {{ score }}_scores
        on
            snapshots.as_of_date = {{ score }}_scores.as_of_date
            and snapshots.{{ column }} = {{ score }}_scores.{{ column }}
    {%- endfor %}
    inner join super_user_revenues
        on
            snapshots.as_of_date = super_user_revenues.as_of_date
            and snapshots.revenue_365d = super_user_revenues.revenue_365d
)

select * from final
