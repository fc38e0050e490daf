{#- Friendships of customers only (never staff, test accounts or other companies' WeCom users),
    with the customer they belong to and how they start and end in the guide's books. -#}
with

friendships as (select * from {{ ref('int_wecom__friendships') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
customers as (select * from {{ ref('int_customers') }}),

final as (
    select
        friendships.friendship_id,
        customers.customer_id,
        friendships.external_userid,
        friendships.userid,
        friendships.started_at,
        friendships.ended_at,
        friendships.start_kind,
        -- a relation that vanished from the snapshots without an event was deleted by the guide:
        -- after a customer deletes the guide WeCom keeps listing the one-way relation
        case
            when friendships.end_kind = 'disappeared' then 'del_external_contact' else
                friendships.end_kind
        end
            as end_kind,
        friendships.state
    from friendships
    inner join customer_map
        on
            customer_map.id_type = 'external_userid'
            and customer_map.id_value = friendships.external_userid
    inner join customers on customer_map.customer_id = customers.customer_id
    where not friendships.is_other_corp
)

select * from final
