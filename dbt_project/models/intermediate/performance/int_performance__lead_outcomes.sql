{#- One row per Ocean Engine lead (线索) of a customer, from the first loaded business date on, with
    its channel and whether the customer became a WeCom friend within lead_to_friend_days: a new
    friendship (start_kind add; a transfer is not becoming a friend) with any employee starting in
    [lead time, lead time + N × 24 h], both ends included. Leads of non-customers (staff, test
    accounts) are left out, and so are leads before the first loaded date, whose friendships are
    only partly visible. -#}
with

leads as (select * from {{ ref('stg_leads__oceanengines') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
customers as (select * from {{ ref('int_customers') }}),
channel_codes as (select * from {{ ref('stg_org__channel_codes') }}),
friendships as (select * from {{ ref('int_guides__customer_friendships') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

customer_leads as (
    select
        leads.clue_id,
        customers.customer_id,
        leads.created_at as lead_at,
        -- an unmapped promotion is still an Ocean Engine lead: the source's own name, as for
        -- acquisition
        coalesce(channel_codes.channel, 'oceanengine') as channel
    from leads
    inner join customer_map
        on customer_map.id_type = 'clue_id' and customer_map.id_value = leads.clue_id
    inner join customers on customer_map.customer_id = customers.customer_id
    cross join bounds
    left join channel_codes on leads.promotion_id = channel_codes.code
    where leads.created_at >= bounds.loaded_from_at and leads.created_at < bounds.loaded_until_at
),

befriended as (
    select distinct customer_leads.clue_id
    from customer_leads
    inner join friendships
        on
            customer_leads.customer_id = friendships.customer_id
            and friendships.start_kind = 'add'
            and friendships.started_at >= customer_leads.lead_at
            and friendships.started_at
            <= {{ add_hours('customer_leads.lead_at', '24 * ' ~ var('lead_to_friend_days')) }}
),

final as (
    select
        customer_leads.clue_id,
        customer_leads.customer_id,
        customer_leads.lead_at,
        cast(date_trunc('month', {{ beijing_local('customer_leads.lead_at') }}) as date)
            as lead_month,
        customer_leads.channel,
        befriended.clue_id is not null as is_befriended,
        {{ add_hours('customer_leads.lead_at', '24 * ' ~ var('lead_to_friend_days')) }}
        <= bounds.loaded_until_at
            as is_window_complete
    from customer_leads
    cross join bounds
    left join befriended on customer_leads.clue_id = befriended.clue_id
)

select * from final
