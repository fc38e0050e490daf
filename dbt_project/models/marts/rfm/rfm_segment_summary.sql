{#- Every segment of both maps for every snapshot, empty ones as 0 customers, so a segment's time
    series has no gaps. Shares are over the snapshot's customers and net revenue. -#}
with

scores as (select * from {{ ref('int_rfm__segments') }}),
segments_cn as (select * from {{ ref('rfm_segments_cn') }}),
segments_en as (select * from {{ ref('rfm_segments_en') }}),

segments as (
    select
        'cn' as segment_scheme,
        segments_cn.rfm_segment_cn as segment
    from segments_cn
    union
    select
        'en' as segment_scheme,
        segments_en.rfm_segment_en as segment
    from segments_en
),

snapshot_totals as (
    select
        scores.as_of_date,
        count(*) as snapshot_customers,
        sum(scores.monetary) as snapshot_revenue
    from scores
    group by scores.as_of_date
),

customer_segments as (
    select
        scores.as_of_date,
        'cn' as segment_scheme,
        scores.rfm_segment_cn as segment,
        scores.monetary
    from scores
    union all
    select
        scores.as_of_date,
        'en' as segment_scheme,
        scores.rfm_segment_en as segment,
        scores.monetary
    from scores
),

segment_totals as (
    select
        customer_segments.as_of_date,
        customer_segments.segment_scheme,
        customer_segments.segment,
        count(*) as customers,
        sum(customer_segments.monetary) as net_revenue
    from customer_segments
    group by
        customer_segments.as_of_date, customer_segments.segment_scheme, customer_segments.segment
),

final as (
    select
        snapshot_totals.as_of_date,
        segments.segment_scheme,
        segments.segment,
        coalesce(segment_totals.customers, 0) as customers,
        coalesce(segment_totals.customers, 0) / nullif(snapshot_totals.snapshot_customers, 0)
            as share_of_customers,
        cast(coalesce(segment_totals.net_revenue, 0) as decimal(18, 2)) as net_revenue,
        cast(
            {{ divide(
                'coalesce(segment_totals.net_revenue, 0)',
                'nullif(snapshot_totals.snapshot_revenue, 0)'
            ) }}
            as double
        )
            as share_of_revenue
    from snapshot_totals
    cross join segments
    left join segment_totals
        on
            snapshot_totals.as_of_date = segment_totals.as_of_date
            and segments.segment_scheme = segment_totals.segment_scheme
            and segments.segment = segment_totals.segment
)

select * from final
