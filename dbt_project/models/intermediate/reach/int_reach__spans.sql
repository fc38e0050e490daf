{#- Each customer's reachable spans per touchpoint before merging: WeCom friendships (a transfer's
    old friendship is carried to the moment the new guide adds the customer, so a hand-over is
    neither a loss nor a gain; a hand-over still waiting for its add when the data ends — the new
    guide has transfer_window_hours to add — stays open), OA subscriptions and memberships of groups
    owned by employees. A hand-over is carried to its own add only, the one int_wecom__friendships
    paired it with: a hand-over with none (the new guide was already a friend) ends at its deletion,
    however much later another hand-over brings the customer to someone. -#}
with

friendships as (select * from {{ ref('int_wecom__friendships') }}),
subscriptions as (select * from {{ ref('int_oa__subscriptions') }}),
memberships as (select * from {{ ref('int_wecom__group_memberships') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
customers as (select * from {{ ref('int_customers') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

transfer_handover as (
    -- each hand-over with the add int_wecom__friendships paired it with (another guide's, within
    -- transfer_window_hours either side of the deletion)
    select
        old.friendship_id,
        new.started_at as handed_over_at
    from friendships as old
    inner join friendships as new on old.transferred_to_friendship_id = new.friendship_id
    where old.end_kind = 'transfer_out'
),

spans as (
    select
        'wecom' as touchpoint,
        'external_userid' as id_type,
        friendships.external_userid as id_value,
        friendships.started_at,
        case
            when friendships.end_kind != 'transfer_out' then friendships.ended_at
            when transfer_handover.handed_over_at is not null
                then greatest(friendships.ended_at, transfer_handover.handed_over_at)
            when
                {{ add_hours('friendships.ended_at', var('transfer_window_hours')) }}
                > bounds.loaded_until_at
                then null  -- pending: the new guide's add can still come
            else friendships.ended_at
        end as ended_at
    from friendships
    cross join bounds
    left join transfer_handover on friendships.friendship_id = transfer_handover.friendship_id
    where not friendships.is_other_corp
    union all
    select
        'oa',
        'oa_openid',
        subscriptions.openid,
        subscriptions.subscribed_at,
        subscriptions.unsubscribed_at
    from subscriptions
    union all
    select
        'group',
        'external_userid',
        memberships.external_userid,
        memberships.joined_at,
        memberships.left_at
    from memberships
),

final as (
    select
        customer_map.customer_id,
        spans.touchpoint,
        spans.started_at,
        spans.ended_at
    from spans
    inner join customer_map
        on spans.id_type = customer_map.id_type and spans.id_value = customer_map.id_value
    inner join customers on customer_map.customer_id = customers.customer_id
    where spans.ended_at is null or spans.ended_at > spans.started_at
)

select * from final
