{#- The segments of each scored customer, by equality joins on two small maps: the Chinese one by
    the three high/low levels (seed rfm_segments_cn), the English one by (r_score, fm_score), whose
    seed rectangles (the lowest priority winning an overlap) are resolved once for the 45 pairs a
    customer can have. The table where the RFM chain (views from int_rfm__snapshot_dates on) is
    computed and stored, once. -#}
with

scores as (select * from {{ ref('int_rfm__scores') }}),
segments_cn as (select * from {{ ref('rfm_segments_cn') }}),
segments_en as (select * from {{ ref('rfm_segments_en') }}),

score_pairs as (
    -- r 1–5 and fm 1, 1.5 … 5
    select
        r_scores.r_score,
        cast(fm_halves.fm_half / 2 as decimal(2, 1)) as fm_score
    from {{ range_relation(1, 6, 'r_scores', 'r_score') }}
    cross join {{ range_relation(2, 11, 'fm_halves', 'fm_half') }}
),

pair_segments_en as (
    select
        score_pairs.r_score,
        score_pairs.fm_score,
        segments_en.rfm_segment_en
    from score_pairs
    inner join segments_en
        on
            score_pairs.r_score between segments_en.r_score_min and segments_en.r_score_max
            and score_pairs.fm_score between segments_en.fm_score_min and segments_en.fm_score_max
    qualify row_number() over (
        partition by score_pairs.r_score, score_pairs.fm_score order by segments_en.priority
    ) = 1
),

paired as (
    select
        scores.*,
        cast((scores.f_score + scores.m_score) / 2 as decimal(2, 1)) as fm_score
    from scores
),

final as (
    select
        paired.as_of_date,
        paired.customer_id,
        paired.recency_days,
        paired.frequency,
        paired.monetary,
        paired.r_score,
        paired.f_score,
        paired.m_score,
        paired.fm_score,
        segments_cn.rfm_segment_cn,
        pair_segments_en.rfm_segment_en,
        paired.is_super_user,
        paired.is_r_high,
        paired.is_f_high,
        paired.is_m_high,
        paired.last_purchase_date,
        paired.revenue_365d
    from paired
    left join segments_cn
        on
            paired.is_r_high = segments_cn.is_r_high
            and paired.is_f_high = segments_cn.is_f_high
            and paired.is_m_high = segments_cn.is_m_high
    left join pair_segments_en
        on
            paired.r_score = pair_segments_en.r_score
            and paired.fm_score = pair_segments_en.fm_score
)

select * from final
