{#- No friendship ends before it starts (a disappearance is dated at a snapshot's midnight, which
    can precede a same-day add: the model moves such ends to the start). -#}
with

friendships as (select * from {{ ref('int_wecom__friendships') }}),

final as (
    select * from friendships
    where ended_at < started_at
)

select * from final
