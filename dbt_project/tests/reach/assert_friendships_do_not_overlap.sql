{#- A customer and an employee have at most one friendship at a time: ordered by start, each
    friendship of a pair ends (not null) no later than the next one starts. Fails with the later
    friendship. -#}
with

friendships as (select * from {{ ref('int_wecom__friendships') }}),

sequenced as (
    select
        friendships.friendship_id,
        friendships.external_userid,
        friendships.userid,
        friendships.started_at,
        lag(friendships.friendship_id) over pair_order as previous_friendship_id,
        lag(friendships.ended_at) over pair_order as previous_ended_at
    from friendships
    window pair_order as (
        partition by friendships.external_userid, friendships.userid order by friendships.started_at
    )
),

final as (
    select * from sequenced
    where
        previous_friendship_id is not null
        and (
            previous_ended_at is null
            or previous_ended_at > started_at
        )
)

select * from final
