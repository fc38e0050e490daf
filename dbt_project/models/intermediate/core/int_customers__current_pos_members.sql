{#- The POS members of the latest member snapshot: its rows, and for a member whose row there the
    loader quarantined with the card number readable (stg_loads__unreadable_snapshot_rows), their
    latest loaded row: the member is still on the list, so their home store and exclusive guide
    stay. A card the latest snapshot does not show at all has left the list. -#}
with

pos_members as (select * from {{ ref('stg_pos__members') }}),
unreadable as (
    select * from {{ ref('stg_loads__unreadable_snapshot_rows') }}
    where origin = 'pos/member'
),

latest as (
    select max(pos_members.snapshot_date) as snapshot_date from pos_members
),

unreadable_now as (
    -- cards quarantined in the latest snapshot that have no loaded row in it
    select distinct unreadable.card_no
    from unreadable
    inner join latest on unreadable.snapshot_date = latest.snapshot_date
    where not exists (
        select 1 from pos_members
        where pos_members.is_latest_snapshot and pos_members.card_no = unreadable.card_no
    )
),

earlier_rows as (
    select pos_members.*
    from pos_members
    inner join unreadable_now on pos_members.card_no = unreadable_now.card_no
    qualify row_number() over (
        partition by pos_members.card_no order by pos_members.snapshot_date desc
    ) = 1
),

current_rows as (
    select pos_members.* from pos_members
    where pos_members.is_latest_snapshot
    union all
    select * from earlier_rows
),

final as (
    select
        current_rows.snapshot_date,
        current_rows.card_no,
        current_rows.phone_hash,
        current_rows.phone_kind,
        current_rows.birthday_month_day,
        current_rows.registered_store_code,
        current_rows.registered_at,
        current_rows.guide_userid
    from current_rows
)

select * from final
