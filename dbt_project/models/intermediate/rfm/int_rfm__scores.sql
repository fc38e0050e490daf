{#- R, F and M scores, high/low levels and the super-user flag per as-of date and customer, without
    sorting the customers. A score depends on a value only through rank − 1, the customers ranked
    strictly before it (rank(): ties share the smallest rank, so equal values score alike), so each
    distinct value is scored once from a running count of customers per value: at 1M purchases 30
    recencies, 11 frequencies and ~103k amounts are sorted, not 487k customers four times. A score
    never falls as the value gets better, so a customer scores 1 plus the cuts (first values
    scoring 2, 3, 4, 5) it reaches: one row per snapshot to compare with (joining ~103k scored
    amounts back took ~15 % more CPU). Scores least(5, 1 + 5·(rank − 1) div (n − 1)) and levels
    (value × n against the snapshot's sum) in integers and decimals, so no float nudges a value
    across a cut; n = 1 scores 1. One model, past 80 lines: its unit tests go from customers'
    values to their scores, where a split would mock the cuts in between. -#}
{%- set score_orders = [
    ('r', 'recency_days', 'desc'), ('f', 'frequency', 'asc'), ('m', 'monetary', 'asc')
] -%}
with

snapshots as (select * from {{ ref('int_rfm__customer_snapshots') }}),

value_scores as (
    {%- for score, column, direction in score_orders %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    select
        snapshots.as_of_date,
        '{{ score }}' as score_name,
        cast(snapshots.{{ column }} as decimal(18, 2)) as value,
        count(*) as customers,
        least(5, 1 + {{ integer_divide(
            '5 * (sum(count(*)) over (partition by snapshots.as_of_date order by snapshots.'
            ~ column ~ ' ' ~ direction ~ ') - count(*))',
            'greatest(sum(count(*)) over (partition by snapshots.as_of_date) - 1, 1)'
        ) }}) as value_score
    from snapshots
    group by snapshots.as_of_date, snapshots.{{ column }}
    {%- endfor %}
    union all
    -- 's': revenue scores 2 within the super users' cut, rank (descending) ≤ ceil(share × n),
    -- else 1; a decimal share keeps the cut exact (in floating point ceil(0.07 × 100) is 8, not 7)
    select
        snapshots.as_of_date,
        's' as score_name,
        snapshots.revenue_365d as value,
        count(*) as customers,
        case when sum(count(*)) over (
            partition by snapshots.as_of_date order by snapshots.revenue_365d desc
        ) - count(*) + 1 <= ceil(
            cast({{ var('super_user_share') }} as decimal(9, 6))
            * sum(count(*)) over (partition by snapshots.as_of_date)
        ) then 2 else 1 end as value_score
    from snapshots
    group by snapshots.as_of_date, snapshots.revenue_365d
),

snapshot_cuts as (
    -- per snapshot: each score's cuts (the first value, in the score's order, scoring 2 … 5), the
    -- lowest revenue within the super users' cut, and the totals and count the levels compare with
    select
        value_scores.as_of_date,
        {%- for score, column, direction in score_orders %}
        sum(value_scores.value * value_scores.customers) filter (
            where value_scores.score_name = '{{ score }}'
        ) as {{ column }}_total,
        {%- for k in range(2, 6) %}
        {{ 'max' if direction == 'desc' else 'min' }}(value_scores.value) filter (
            where value_scores.score_name = '{{ score }}' and value_scores.value_score >= {{ k }}
        ) as {{ score }}_cut_{{ k }},
        {%- endfor %}
        {%- endfor %}
        min(value_scores.value) filter (
            where value_scores.score_name = 's' and value_scores.value_score = 2
        ) as super_user_cut,
        sum(value_scores.customers) filter (where value_scores.score_name = 's') as customers
    from value_scores
    group by value_scores.as_of_date
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
        {%- for score, column, direction in score_orders %}
        cast(
            1
            {%- for k in range(2, 6) %}
            + coalesce(cast(
                snapshots.{{ column }} {{ '<=' if direction == 'desc' else '>=' }}
                snapshot_cuts.{{ score }}_cut_{{ k }} as integer
            ), 0)
            {%- endfor %}
            as integer
        ) as {{ score }}_score,
        {%- endfor %}
        snapshots.revenue_365d > 0
        and coalesce(snapshots.revenue_365d >= snapshot_cuts.super_user_cut, false)
            as is_super_user,
        snapshots.recency_days * snapshot_cuts.customers
        < snapshot_cuts.recency_days_total as is_r_high,
        snapshots.frequency * snapshot_cuts.customers > snapshot_cuts.frequency_total as is_f_high,
        snapshots.monetary * snapshot_cuts.customers > snapshot_cuts.monetary_total as is_m_high
    from snapshots
    inner join snapshot_cuts on snapshots.as_of_date = snapshot_cuts.as_of_date
)

select * from final
