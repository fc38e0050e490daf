with

group_chats as (
    select * from {{ ref('stg_wecom__group_chats') }}
),

members as (
    select
        group_chats.snapshot_date,
        group_chats.chat_id,
        group_chats.owner_userid,
        group_chats.is_latest_snapshot,
        member.position as member_position,
        member.value as member_json
    from group_chats
    cross join
        unnest(from_json(group_chats.member_list_json, '["JSON"]')) with ordinality
            as member (value, position)
),

flattened as (
    select
        snapshot_date,
        chat_id,
        owner_userid,
        member_json ->> 'userid' as member_userid,
        try_cast(member_json ->> 'type' as integer) as member_type,
        member_json ->> 'unionid' as unionid,
        to_timestamp(try_cast(member_json ->> 'join_time' as bigint)) as joined_at,
        try_cast(member_json ->> 'join_scene' as integer) as join_scene,
        member_json ->> '$.invitor.userid' as invitor_userid,
        is_latest_snapshot
    from members
    -- a member listed twice in one group counts once
    qualify row_number() over (
        partition by snapshot_date, chat_id, member_userid order by member_position
    ) = 1
),

final as (
    select
        snapshot_date,
        chat_id,
        owner_userid,
        member_userid,
        member_type,
        member_type = 2 as is_external,
        case when member_type = 2 then member_userid end as external_userid,
        unionid,
        joined_at,
        {{ beijing_date('joined_at') }} as joined_date,
        join_scene,
        invitor_userid,
        is_latest_snapshot
    from flattened
)

select * from final
