-- Every segment of the English map wins at least one (r_score, fm_score) pair: a priority order
-- that hides a segment behind broader ones (as the usual first-match order does to four of them)
-- fails.
with

segments_en as (select * from {{ ref('rfm_segments_en') }}),

winners as (
    select segments_en.rfm_segment_en
    from range(1, 6) as r_scores (r_score)
    cross join range(2, 11) as fm_halves (fm_half)
    inner join segments_en
        on
            r_scores.r_score between segments_en.r_score_min and segments_en.r_score_max
            and fm_halves.fm_half / 2 between segments_en.fm_score_min and segments_en.fm_score_max
    qualify row_number() over (
        partition by r_scores.r_score, fm_halves.fm_half order by segments_en.priority
    ) = 1
)

select segments_en.rfm_segment_en
from segments_en
where segments_en.rfm_segment_en not in (select winners.rfm_segment_en from winners)
