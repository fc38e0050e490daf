{#- The snapshot dates of each group whose group_chat record the loader quarantined, with its
    chat_id readable, on a day the group has no loaded record (one garbled member quarantines the
    whole group): every group_chat snapshot date but those, each with its neighbours. The group was
    there on those days, its members unknown, so those snapshots do not count for it:
    int_wecom__group_memberships runs its periods over them, where the group's members all left
    and came back. Other groups follow int_wecom__group_chat_snapshot_dates. -#}
with

group_chats as (select * from {{ ref('stg_wecom__group_chats') }}),
chat_snapshot_dates as (select * from {{ ref('int_wecom__group_chat_snapshot_dates') }}),
unreadable as (select * from {{ ref('stg_loads__unreadable_snapshot_rows') }}),

unreadable_chats as (
    select distinct
        unreadable.chat_id,
        unreadable.snapshot_date
    from unreadable
    where
        unreadable.origin = 'wecom/group_chat'
        and not exists (
            select 1 from group_chats
            where
                group_chats.chat_id = unreadable.chat_id
                and group_chats.snapshot_date = unreadable.snapshot_date
        )
),

final as (
    select
        chats.chat_id,
        chat_snapshot_dates.snapshot_date,
        lag(chat_snapshot_dates.snapshot_date) over chat_order as previous_snapshot_date,
        lead(chat_snapshot_dates.snapshot_date) over chat_order as next_snapshot_date
    from (select distinct unreadable_chats.chat_id from unreadable_chats) as chats
    cross join chat_snapshot_dates
    where
        not exists (
            select 1 from unreadable_chats
            where
                unreadable_chats.chat_id = chats.chat_id
                and unreadable_chats.snapshot_date = chat_snapshot_dates.snapshot_date
        )
    window chat_order as (partition by chats.chat_id order by chat_snapshot_dates.snapshot_date)
)

select * from final
