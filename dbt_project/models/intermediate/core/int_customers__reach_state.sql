{#- Each customer's reach at the end of the latest loaded business date: touchpoints, primary guide
    (the employee of the oldest still-active friendship) and when reach was lost. -#}
with

customers as (select * from {{ ref('int_customers') }}),
intervals as (select * from {{ ref('int_reach__intervals') }}),
friendships as (select * from {{ ref('int_wecom__friendships') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

touchpoint_state as (
    select
        intervals.customer_id,
        bool_or(
            intervals.touchpoint = 'wecom'
            and (intervals.ended_at is null or intervals.ended_at > bounds.loaded_until_at)
        )
            as is_wecom_friend,
        bool_or(
            intervals.touchpoint = 'oa'
            and (intervals.ended_at is null or intervals.ended_at > bounds.loaded_until_at)
        )
            as is_oa_follower,
        bool_or(
            intervals.touchpoint = 'group'
            and (intervals.ended_at is null or intervals.ended_at > bounds.loaded_until_at)
        )
            as is_group_member,
        max(
            case
                when intervals.touchpoint = 'any'
                    then coalesce(intervals.ended_at, {{ instant_literal('9999-12-31') }})
            end
        )
            as last_any_end
    from intervals
    cross join bounds
    group by intervals.customer_id
),

primary_guide as (
    select
        customer_map.customer_id,
        friendships.userid
    from friendships
    inner join customer_map
        on
            customer_map.id_type = 'external_userid'
            and customer_map.id_value = friendships.external_userid
    cross join bounds
    where
        not friendships.is_other_corp
        and (friendships.ended_at is null or friendships.ended_at > bounds.loaded_until_at)
    qualify row_number() over (
        partition by customer_map.customer_id order by friendships.started_at, friendships.userid
    ) = 1
),

final as (
    select
        customers.customer_id,
        coalesce(touchpoint_state.is_wecom_friend, false) as is_wecom_friend,
        coalesce(touchpoint_state.is_oa_follower, false) as is_oa_follower,
        coalesce(touchpoint_state.is_group_member, false) as is_group_member,
        primary_guide.userid as primary_guide_userid,
        touchpoint_state.customer_id is not null as was_ever_reachable,
        case
            when touchpoint_state.last_any_end <= bounds.loaded_until_at
                then touchpoint_state.last_any_end
        end as lost_at
    from customers
    cross join bounds
    left join touchpoint_state on customers.customer_id = touchpoint_state.customer_id
    left join primary_guide on customers.customer_id = primary_guide.customer_id
)

select * from final
