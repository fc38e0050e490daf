{#- One row per new WeCom friendship (start_kind add: transfers are not new) of a customer, with its
    channel and outcomes. Served (服务): the customer sent the same employee ≥ 1 one-to-one message in
    [start, start + service_days × 24 h]; monetized (变现): the customer made a purchase (any shop or
    POS) in [start, start + monetization_days × 24 h]; both ends included. A friendship known only
    from a snapshot starts at its createtime and is new in that month, also before the first loaded
    date (marts.md, as in user_asset_statement): its outcomes count what was loaded — messages only
    arrive from the first loaded date, back-catalogue orders can be older. -#}
with

friendships as (select * from {{ ref('int_guides__customer_friendships') }}),
messages as (select * from {{ ref('int_customer_messages') }}),
purchases as (select * from {{ ref('int_purchases') }}),
channel_codes as (select * from {{ ref('stg_org__channel_codes') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

new_friendships as (
    select
        friendships.friendship_id,
        friendships.customer_id,
        friendships.userid,
        friendships.started_at,
        -- no state, or a state org/channel_code does not list (a guide's own QR, say): the source's
        -- own name
        coalesce(channel_codes.channel, 'wecom') as channel
    from friendships
    cross join bounds
    left join channel_codes on friendships.state = channel_codes.code
    where
        friendships.start_kind = 'add'
        and friendships.started_at < bounds.loaded_until_at
),

served as (
    select distinct new_friendships.friendship_id
    from new_friendships
    inner join messages
        on
            new_friendships.customer_id = messages.customer_id
            and new_friendships.userid = messages.userid
            and messages.sent_at >= new_friendships.started_at
            and messages.sent_at
            <= {{ add_hours('new_friendships.started_at', '24 * ' ~ var('service_days')) }}
),

monetized as (
    select distinct new_friendships.friendship_id
    from new_friendships
    inner join purchases
        on
            new_friendships.customer_id = purchases.customer_id
            and purchases.purchase_at >= new_friendships.started_at
            and purchases.purchase_at
            <= {{ add_hours('new_friendships.started_at', '24 * ' ~ var('monetization_days')) }}
),

final as (
    select
        new_friendships.friendship_id,
        new_friendships.customer_id,
        new_friendships.userid,
        new_friendships.started_at,
        new_friendships.channel,
        cast(date_trunc('month', {{ beijing_local('new_friendships.started_at') }}) as date)
            as start_month,
        served.friendship_id is not null as is_served,
        monetized.friendship_id is not null as is_monetized,
        {{ add_hours('new_friendships.started_at', '24 * ' ~ var('service_days')) }}
        <= bounds.loaded_until_at
            as is_service_window_complete,
        {{ add_hours('new_friendships.started_at', '24 * ' ~ var('monetization_days')) }}
        <= bounds.loaded_until_at
            as is_monetization_window_complete
    from new_friendships
    cross join bounds
    left join served on new_friendships.friendship_id = served.friendship_id
    left join monetized on new_friendships.friendship_id = monetized.friendship_id
)

select * from final
