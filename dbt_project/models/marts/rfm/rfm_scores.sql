{#- The segmented scores as the contract publishes them; int_rfm__segments holds the logic, which
    user_assets, customer_tags, rfm_segment_summary and revenue_pareto read too. -#}
with

segments as (select * from {{ ref('int_rfm__segments') }}),

final as (
    select
        segments.as_of_date,
        segments.customer_id,
        segments.recency_days,
        segments.frequency,
        segments.monetary,
        segments.r_score,
        segments.f_score,
        segments.m_score,
        segments.fm_score,
        segments.rfm_segment_cn,
        segments.rfm_segment_en,
        segments.is_super_user,
        segments.is_r_high,
        segments.is_f_high,
        segments.is_m_high,
        segments.last_purchase_date,
        segments.revenue_365d
    from segments
)

select * from final
