-- Within a snapshot, customers with the same recency_days, frequency or monetary share the score.
with

scores as (select * from {{ ref('rfm_scores') }}),

value_scores as (
    select
        scores.as_of_date,
        'r' as dimension,
        cast(scores.recency_days as decimal(18, 2)) as score_value,
        scores.r_score as score
    from scores
    union all
    select
        scores.as_of_date,
        'f' as dimension,
        cast(scores.frequency as decimal(18, 2)) as score_value,
        scores.f_score as score
    from scores
    union all
    select
        scores.as_of_date,
        'm' as dimension,
        scores.monetary as score_value,
        scores.m_score as score
    from scores
)

select
    value_scores.as_of_date,
    value_scores.dimension,
    value_scores.score_value,
    count(distinct value_scores.score) as distinct_scores
from value_scores
group by value_scores.as_of_date, value_scores.dimension, value_scores.score_value
having count(distinct value_scores.score) > 1
