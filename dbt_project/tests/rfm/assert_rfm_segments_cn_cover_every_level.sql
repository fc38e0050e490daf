-- Each of the 2 × 2 × 2 high/low combinations of R, F and M names exactly one Chinese segment.
with

segments_cn as (select * from {{ ref('rfm_segments_cn') }}),

levels as (
    select
        r_levels.is_r_high,
        f_levels.is_f_high,
        m_levels.is_m_high
    from (values (true), (false)) as r_levels (is_r_high)
    cross join (values (true), (false)) as f_levels (is_f_high)
    cross join (values (true), (false)) as m_levels (is_m_high)
)

select
    levels.is_r_high,
    levels.is_f_high,
    levels.is_m_high,
    count(segments_cn.rfm_segment_cn) as segments
from levels
left join segments_cn
    on
        levels.is_r_high = segments_cn.is_r_high
        and levels.is_f_high = segments_cn.is_f_high
        and levels.is_m_high = segments_cn.is_m_high
group by levels.is_r_high, levels.is_f_high, levels.is_m_high
having count(segments_cn.rfm_segment_cn) != 1
