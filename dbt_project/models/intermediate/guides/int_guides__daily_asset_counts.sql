{#- 导购客群资产数 per guide and day: distinct customers the guide reaches directly at day end —
    active friends ∪ external members of the groups the guide owns. -#}
with

days as (select * from {{ ref('int_guides__days') }}),
friendships as (select * from {{ ref('int_guides__customer_friendships') }}),
memberships as (select * from {{ ref('int_wecom__group_memberships') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
customers as (select * from {{ ref('int_customers') }}),

group_customers as (
    select
        memberships.owner_userid as userid,
        customers.customer_id,
        memberships.joined_at as started_at,
        memberships.left_at as ended_at
    from memberships
    inner join customer_map
        on
            customer_map.id_type = 'external_userid'
            and customer_map.id_value = memberships.external_userid
    inner join customers on customer_map.customer_id = customers.customer_id
),

reachable as (
    select
        friendships.userid,
        friendships.customer_id,
        friendships.started_at,
        friendships.ended_at
    from friendships
    union all
    select
        group_customers.userid,
        group_customers.customer_id,
        group_customers.started_at,
        group_customers.ended_at
    from group_customers
),

final as (
    select
        days.userid,
        days.business_date,
        count(distinct reachable.customer_id) as customer_asset_count
    from days
    left join reachable
        on
            days.userid = reachable.userid
            and reachable.started_at < days.day_end_at
            and (reachable.ended_at is null or reachable.ended_at >= days.day_end_at)
    group by days.userid, days.business_date
)

select * from final
