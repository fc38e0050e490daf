{#- A table, not a view: the lines unnested from their parent's JSON are read by several models and
    their tests, and a view unnests every night's whole history again for each (~37 s of a 250,000-
    customer 30-day night went to these four views' not_null tests alone). Incremental by snapshot
    day (incremental_snapshot_lines_config): a night unnests the days it loaded. -#}
{%- set raw = source('wecom', 'group_chat') -%}
{{ incremental_snapshot_lines_config('stg_wecom__group_chats', 'chat_id') }}
{%- set incremental = is_incremental() %}

with

{{ touched_keys(raw, {'snapshot_date': '_business_date'}, incremental, landed='snapshot_date') }}

group_chats as (
    {{ touched_parent_rows(ref('stg_wecom__group_chats'), 'snapshot_date', incremental) }}
),

member_lists as (
    select
        group_chats.snapshot_date,
        group_chats.chat_id,
        group_chats.owner_userid,
        group_chats.is_latest_snapshot,
        group_chats.loaded_at,
        {{ json_list('group_chats.member_list_json', 'JSON') }} as member_list
    from group_chats
),

members as (
    select
        snapshot_date,
        chat_id,
        owner_userid,
        is_latest_snapshot,
        loaded_at,
        {{ unnest_with_position('member_list', value='member_json', position='member_position') }}
    from member_lists
),

flattened as (
    select
        snapshot_date,
        chat_id,
        owner_userid,
        {{ json_text('member_json', 'userid') }} as member_userid,
        try_cast({{ json_text('member_json', 'type') }} as integer) as member_type,
        {{ json_text('member_json', 'unionid') }} as unionid,
        {{ from_epoch_seconds(
            'try_cast(' ~ json_text('member_json', 'join_time') ~ ' as bigint)'
        ) }} as joined_at,
        try_cast({{ json_text('member_json', 'join_scene') }} as integer) as join_scene,
        {{ json_text('member_json', '$.invitor.userid') }} as invitor_userid,
        is_latest_snapshot,
        loaded_at
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
        is_latest_snapshot,
        loaded_at
    from flattened
)

select * from final
{{ vanished_keys({'snapshot_date': none}, incremental) }}
