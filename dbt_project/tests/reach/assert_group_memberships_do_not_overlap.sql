{#- A member is in a group at most once at a time, and no membership ends before it starts.
    Fails with the offending period. -#}
with

memberships as (select * from {{ ref('int_wecom__group_memberships') }}),

sequenced as (
    select
        memberships.*,
        lag(memberships.membership_id) over member_order as previous_membership_id,
        lag(memberships.left_at) over member_order as previous_left_at
    from memberships
    window member_order as (
        partition by memberships.chat_id, memberships.external_userid order by memberships.joined_at
    )
),

final as (
    select * from sequenced
    where
        left_at < joined_at
        or (
            previous_membership_id is not null
            and (
                previous_left_at is null
                or previous_left_at > joined_at
            )
        )
)

select * from final
