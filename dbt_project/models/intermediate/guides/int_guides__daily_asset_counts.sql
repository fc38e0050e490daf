{#- 导购客群资产数 per guide and day: distinct customers the guide reaches directly at day end —
    active friends ∪ external members of the groups the guide owns. A reach (friendship or
    membership) covers the Beijing dates from its start's to the day before its end's (a day
    counts what is open at its end); a customer's overlapping or adjacent reaches with one guide
    merge into islands, so each customer is one island on a date it is reached, and a day's count
    is the islands begun by then less those over before it: running sums, not a join of every day
    with every reach (guides × days × reaches, the night's fastest-growing cost). -#}
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

covered as (
    -- the dates each reach covers: [first_date, last_date], last_date null while open
    select
        reachable.userid,
        reachable.customer_id,
        {{ beijing_date('reachable.started_at') }} as first_date,
        {{ beijing_date('reachable.ended_at') }} - 1 as last_date
    from reachable
    where reachable.started_at is not null and reachable.customer_id is not null
),

ordered as (
    select
        covered.*,
        max(coalesce(covered.last_date, date '9999-12-31')) over (
            partition by covered.userid, covered.customer_id order by covered.first_date
            rows between unbounded preceding and 1 preceding
        ) as reached_before
    from covered
    where covered.last_date is null or covered.last_date >= covered.first_date
),

numbered as (
    select
        ordered.*,
        sum(case when ordered.first_date <= ordered.reached_before + 1 then 0 else 1 end) over (
            partition by ordered.userid, ordered.customer_id order by ordered.first_date
            rows between unbounded preceding and current row
        ) as island
    from ordered
),

islands as (
    select
        numbered.userid,
        min(numbered.first_date) as first_date,
        case when bool_and(numbered.last_date is not null) then max(numbered.last_date) end
            as last_date
    from numbered
    group by numbered.userid, numbered.customer_id, numbered.island
),

day_changes as (
    -- +1 on an island's first date, −1 on the date after its last
    select
        islands.userid,
        islands.first_date as business_date,
        count(*) as change
    from islands
    group by islands.userid, islands.first_date
    union all
    select
        islands.userid,
        islands.last_date + 1,
        -count(*)
    from islands
    where islands.last_date is not null
    group by islands.userid, islands.last_date
),

timeline as (
    select
        day_changes.userid,
        day_changes.business_date,
        false as is_day,
        day_changes.change
    from day_changes
    union all
    select
        days.userid,
        days.business_date,
        true,
        0
    from days
),

running as (
    select
        timeline.userid,
        timeline.business_date,
        bool_or(timeline.is_day) as is_day,
        sum(sum(timeline.change)) over (
            partition by timeline.userid order by timeline.business_date
            rows between unbounded preceding and current row
        ) as customer_asset_count
    from timeline
    group by timeline.userid, timeline.business_date
),

final as (
    select
        running.userid,
        running.business_date,
        cast(running.customer_asset_count as bigint) as customer_asset_count
    from running
    where running.is_day
)

select * from final
