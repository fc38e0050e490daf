{#- Per guide and day, the friendship book: opening, adds, losses by side, transfers, closing. -#}
with

days as (select * from {{ ref('int_guides__days') }}),
friendships as (select * from {{ ref('int_guides__customer_friendships') }}),

final as (
    select
        days.userid,
        days.business_date,
        count(
            *) filter (
            where friendships.started_at < days.day_start_at
            and (friendships.ended_at is null or friendships.ended_at >= days.day_start_at)
        ) as opening_customers,
        count(
            *) filter (
            where friendships.start_kind = 'add'
            and friendships.started_at >= days.day_start_at
            and friendships.started_at < days.day_end_at
        ) as added_customers,
        count(
            *) filter (
            where friendships.start_kind = 'transfer_in'
            and friendships.started_at >= days.day_start_at
            and friendships.started_at < days.day_end_at
        ) as transferred_in,
        count(
            *) filter (
            where friendships.end_kind = 'del_follow_user'
            and friendships.ended_at >= days.day_start_at and friendships.ended_at < days.day_end_at
        ) as lost_by_customer,
        count(
            *) filter (
            where friendships.end_kind = 'del_external_contact'
            and friendships.ended_at >= days.day_start_at and friendships.ended_at < days.day_end_at
        ) as lost_by_guide,
        count(
            *) filter (
            where friendships.end_kind = 'transfer_out'
            and friendships.ended_at >= days.day_start_at and friendships.ended_at < days.day_end_at
        ) as transferred_out,
        count(
            *) filter (
            where friendships.started_at < days.day_end_at
            and (friendships.ended_at is null or friendships.ended_at >= days.day_end_at)
        ) as closing_customers
    from days
    left join friendships
        on
            days.userid = friendships.userid
            and friendships.started_at < days.day_end_at
            and (friendships.ended_at is null or friendships.ended_at >= days.day_start_at)
    group by days.userid, days.business_date
)

select * from final
