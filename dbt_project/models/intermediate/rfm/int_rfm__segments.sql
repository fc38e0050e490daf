{#- The English segment comes from the seed's (r, fm) rectangles, the lowest priority winning an
    overlap. A Chinese level is high when strictly better than the snapshot's mean, decided as value
    × n against the snapshot's sum: integer and decimal arithmetic only, like the scores, so a value
    equal to the mean is never nudged to high by a rounded average. -#}
with

scores as (select * from {{ ref('int_rfm__scores') }}),
segments_cn as (select * from {{ ref('rfm_segments_cn') }}),
segments_en as (select * from {{ ref('rfm_segments_en') }}),

leveled as (
    select
        scores.*,
        cast((scores.f_score + scores.m_score) / 2 as decimal(2, 1)) as fm_score,
        scores.recency_days * count(*) over snapshot < sum(scores.recency_days) over snapshot
            as is_r_high,
        scores.frequency * count(*) over snapshot > sum(scores.frequency) over snapshot
            as is_f_high,
        scores.monetary * count(*) over snapshot > sum(scores.monetary) over snapshot as is_m_high
    from scores
    window snapshot as (partition by scores.as_of_date)
),

segmented_en as (
    select
        leveled.as_of_date,
        leveled.customer_id,
        segments_en.rfm_segment_en
    from leveled
    inner join segments_en
        on
            leveled.r_score between segments_en.r_score_min and segments_en.r_score_max
            and leveled.fm_score between segments_en.fm_score_min and segments_en.fm_score_max
    qualify row_number() over (
        partition by leveled.as_of_date, leveled.customer_id order by segments_en.priority
    ) = 1
),

final as (
    select
        leveled.as_of_date,
        leveled.customer_id,
        leveled.recency_days,
        leveled.frequency,
        leveled.monetary,
        leveled.r_score,
        leveled.f_score,
        leveled.m_score,
        leveled.fm_score,
        segments_cn.rfm_segment_cn,
        segmented_en.rfm_segment_en,
        leveled.is_super_user,
        leveled.is_r_high,
        leveled.is_f_high,
        leveled.is_m_high,
        leveled.last_purchase_date,
        leveled.revenue_365d
    from leveled
    left join segments_cn
        on
            leveled.is_r_high = segments_cn.is_r_high
            and leveled.is_f_high = segments_cn.is_f_high
            and leveled.is_m_high = segments_cn.is_m_high
    left join segmented_en
        on
            leveled.as_of_date = segmented_en.as_of_date
            and leveled.customer_id = segmented_en.customer_id
)

select * from final
