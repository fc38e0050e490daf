{#- The business dates with a group_chat snapshot loaded, each with its neighbours. Snapshots need
    not come daily (one holds until the next), so a member's "next snapshot" is the next one loaded.
-#}
with

group_chats as (select * from {{ ref('stg_wecom__group_chats') }}),

final as (
    select
        group_chats.snapshot_date,
        lag(group_chats.snapshot_date) over snapshot_order as previous_snapshot_date,
        lead(group_chats.snapshot_date) over snapshot_order as next_snapshot_date
    from group_chats
    group by group_chats.snapshot_date
    window snapshot_order as (order by group_chats.snapshot_date)
)

select * from final
