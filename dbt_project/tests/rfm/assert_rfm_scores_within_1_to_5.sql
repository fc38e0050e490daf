-- R, F and M scores are 1–5, and fm_score is their mean's half-steps 1, 1.5 … 5.
select
    scores.as_of_date,
    scores.customer_id,
    scores.r_score,
    scores.f_score,
    scores.m_score,
    scores.fm_score
from {{ ref('rfm_scores') }} as scores
where
    scores.r_score not between 1 and 5
    or scores.f_score not between 1 and 5
    or scores.m_score not between 1 and 5
    or scores.fm_score * 2 != scores.f_score + scores.m_score
