-- Every r_score 1–5 × fm_score 1, 1.5 … 5 (45 pairs) matches at least one rectangle of the English
-- map, and exactly one at the winning (lowest) priority.
with

segments_en as (select * from {{ ref('rfm_segments_en') }}),

score_pairs as (
    select
        r_scores.r_score,
        cast(fm_halves.fm_half / 2 as decimal(2, 1)) as fm_score
    from range(1, 6) as r_scores (r_score)
    cross join range(2, 11) as fm_halves (fm_half)
),

matches as (
    select
        score_pairs.r_score,
        score_pairs.fm_score,
        segments_en.priority,
        min(segments_en.priority) over (
            partition by score_pairs.r_score, score_pairs.fm_score
        ) as best_priority
    from score_pairs
    left join segments_en
        on
            score_pairs.r_score between segments_en.r_score_min and segments_en.r_score_max
            and score_pairs.fm_score between segments_en.fm_score_min and segments_en.fm_score_max
)

select
    matches.r_score,
    matches.fm_score,
    count(matches.priority) as winning_rows
from matches
where matches.priority = matches.best_priority or matches.priority is null
group by matches.r_score, matches.fm_score
having count(matches.priority) != 1
