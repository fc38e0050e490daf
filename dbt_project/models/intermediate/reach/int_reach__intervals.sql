{#- Reachable intervals per customer and touchpoint (wecom, oa, group) and across them (`any`):
    overlapping spans merged into islands. ended_at null = reachable at the end of the data. -#}
with

spans as (select * from {{ ref('int_reach__spans') }}),

per_touchpoint as (
    {{ merge_intervals('spans', ['customer_id', 'touchpoint']) }}
),

any_touchpoint as (
    select
        customer_id,
        'any' as touchpoint,
        started_at,
        ended_at
    from ({{ merge_intervals('spans', ['customer_id']) }})
),

final as (
    select
        customer_id,
        touchpoint,
        started_at,
        ended_at
    from per_touchpoint
    union all
    select
        customer_id,
        touchpoint,
        started_at,
        ended_at
    from any_touchpoint
)

select * from final
