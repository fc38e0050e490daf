with

bounds as (select * from {{ ref('int_calendar__bounds') }}),
acquisition as (select * from {{ ref('int_customers__acquisition') }}),
friendships as (select * from {{ ref('int_guides__customer_friendships') }}),
reach_flows as (select * from {{ ref('int_reach__daily_flows') }}),
messages as (select * from {{ ref('int_customer_messages') }}),
purchases as (select * from {{ ref('int_purchases') }}),
orders as (select * from {{ ref('int_orders') }}),
intervals as (select * from {{ ref('int_reach__intervals') }}),

days as (
    select cast(day.generate_series as date) as business_date
    from bounds
    {{ generate_series_join('bounds.first_date', 'bounds.last_date', 'interval 1 day', 'day') }}
),

new_customers as (
    select
        acquisition.acquired_date as business_date,
        count(*) as new_customers
    from acquisition
    group by acquisition.acquired_date
),

friendship_days as (
    -- each friendship's add (a transfer is no new friendship) and end, on its Beijing day
    select
        {{ beijing_date('friendships.started_at') }} as business_date,
        'add' as flow
    from friendships
    where friendships.start_kind = 'add'
    union all
    select
        {{ beijing_date('friendships.ended_at') }},
        friendships.end_kind
    from friendships
    where friendships.ended_at is not null
),

friendship_flows as (
    select
        friendship_days.business_date,
        count(*) filter (where friendship_days.flow = 'add') as new_wecom_friendships,
        count(*) filter (where friendship_days.flow = 'del_follow_user') as lost_by_customer,
        count(*) filter (where friendship_days.flow = 'del_external_contact') as lost_by_guide
    from friendship_days
    group by friendship_days.business_date
),

friendship_deltas as (
    -- the friendships open at a day's start (started before it, not ended before it), as a running
    -- sum: +1 on the Beijing day a friendship started, −1 on the day it ended (or started, should
    -- its end be recorded before its start: then it is never open), where a range join of days ×
    -- friendships grew with both (1.5–2.3 s at 250,000 customers × 365 days, now 0.03 s)
    select
        {{ beijing_date('friendships.started_at') }} as business_date,
        1 as delta
    from friendships
    where friendships.started_at is not null
    union all
    select
        {{ beijing_date('greatest(friendships.started_at, friendships.ended_at)') }},
        -1
    from friendships
    where friendships.started_at is not null and friendships.ended_at is not null
    union all
    select
        days.business_date,
        0
    from days
),

opening_friendships as (
    -- the running sum up to the day before: every day with a row, so a day without deltas gets one
    select
        friendship_deltas.business_date,
        cast(
            sum(sum(friendship_deltas.delta))
                over (
                    order by friendship_deltas.business_date
                    rows between unbounded preceding and current row
                )
            - sum(friendship_deltas.delta) as bigint
        ) as opening_friendships
    from friendship_deltas
    group by friendship_deltas.business_date
),

senders as (
    select
        messages.sent_date as business_date,
        count(distinct messages.customer_id) as interacting_customers
    from messages
    group by messages.sent_date
),

all_purchases as (
    -- the brand's purchases: customers', and anonymous ones (a store receipt with no member card
    -- and no usable phone names nobody, yet it is a paid order). Purchases that resolve to staff,
    -- test accounts or other companies are not the brand's customers' and stay out.
    select
        purchases.customer_id,
        purchases.purchase_at,
        purchases.purchase_date,
        purchases.net_amount
    from purchases
    union all
    select
        null,
        orders.purchase_at,
        {{ beijing_date('orders.purchase_at') }},
        orders.net_amount
    from orders
    where orders.is_purchase and orders.buyer_id_type is null
),

sales as (
    select
        all_purchases.purchase_date as business_date,
        count(*) as purchases,
        sum(all_purchases.net_amount) as net_revenue,
        sum(all_purchases.net_amount) filter (where exists (
            select 1 from intervals
            where
                intervals.customer_id = all_purchases.customer_id and intervals.touchpoint = 'any'
                and intervals.started_at <= all_purchases.purchase_at
                and (intervals.ended_at is null or intervals.ended_at > all_purchases.purchase_at)
        )) as private_domain_net_revenue
    from all_purchases
    group by all_purchases.purchase_date
),

final as (
    -- one row of each input a day at most: joined, not grouped
    select
        days.business_date,
        coalesce(new_customers.new_customers, 0) as new_customers,
        cast(coalesce(friendship_flows.new_wecom_friendships, 0) as bigint)
            as new_wecom_friendships,
        cast(coalesce(friendship_flows.lost_by_customer, 0) as bigint) as lost_by_customer,
        cast(coalesce(friendship_flows.lost_by_guide, 0) as bigint) as lost_by_guide,
        coalesce(friendship_flows.new_wecom_friendships, 0)
        / nullif(opening_friendships.opening_friendships, 0) as add_rate,
        (
            coalesce(friendship_flows.lost_by_customer, 0)
            + coalesce(friendship_flows.lost_by_guide, 0)
        )
        / nullif(opening_friendships.opening_friendships, 0) as delete_rate,
        coalesce(senders.interacting_customers, 0)
        / nullif(reach_flows.closing_customers, 0) as interaction_rate,
        coalesce(senders.interacting_customers, 0) as interacting_customers,
        coalesce(sales.purchases, 0) as purchases,
        cast(coalesce(sales.net_revenue, 0) as decimal(18, 2)) as net_revenue,
        cast(coalesce(sales.private_domain_net_revenue, 0) as decimal(18, 2))
            as private_domain_net_revenue
    from days
    left join new_customers on days.business_date = new_customers.business_date
    left join friendship_flows on days.business_date = friendship_flows.business_date
    left join opening_friendships on days.business_date = opening_friendships.business_date
    left join senders on days.business_date = senders.business_date
    left join sales on days.business_date = sales.business_date
    left join reach_flows
        on reach_flows.touchpoint = 'wecom' and reach_flows.business_date = days.business_date
)

select * from final
