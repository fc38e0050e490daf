{#- The dates care moments count from, per customer: birthday (POS member month-day only, no year),
    membership_started (earliest POS registration or Tmall membership binding), first_purchase, and
    friendship_started (the primary guide's friendship: the customer's oldest still-active
    friendship at the end of the latest loaded date). Beijing dates; the birthday keeps only month
    and day. -#}
with

customers as (select * from {{ ref('int_customers') }}),
customer_map as (select * from {{ ref('stg_identity__customer_maps') }}),
pos_members as (select * from {{ ref('stg_pos__members') }}),
tmall_members as (select * from {{ ref('stg_tmall__members') }}),
purchases as (select * from {{ ref('int_purchases') }}),
friendships as (select * from {{ ref('int_guides__customer_friendships') }}),
bounds as (select * from {{ ref('int_calendar__bounds') }}),

birthdays as (
    select
        customer_map.customer_id,
        {{ try_iso_date("'2000-' || pos_members.birthday_month_day") }} as day_in_2000
    from pos_members
    inner join customer_map
        on customer_map.id_type = 'pos_card_no' and pos_members.card_no = customer_map.id_value
    -- 2000 is a leap year, so 02-29 parses; anything that is not a real month-day is dropped
    where {{ try_iso_date("'2000-' || pos_members.birthday_month_day") }} is not null
    qualify row_number() over (
        partition by customer_map.customer_id
        order by
            pos_members.snapshot_date desc, pos_members.registered_at desc, pos_members.card_no asc
    ) = 1
),

memberships as (
    select
        customer_map.customer_id,
        pos_members.registered_at as started_at
    from pos_members
    inner join customer_map
        on customer_map.id_type = 'pos_card_no' and pos_members.card_no = customer_map.id_value
    union all
    select
        customer_map.customer_id,
        tmall_members.bound_at
    from tmall_members
    inner join customer_map
        on
            customer_map.id_type = 'tmall_member_id'
            and tmall_members.member_id = customer_map.id_value
),

active_friendships as (
    select
        friendships.customer_id,
        friendships.started_at
    from friendships
    cross join bounds
    where
        friendships.ended_at is null
        or friendships.ended_at
        > bounds.loaded_until_at
    qualify row_number() over (
        partition by friendships.customer_id order by friendships.started_at, friendships.userid
    ) = 1
),

anchors as (
    select
        customer_id,
        'birthday' as anchor,
        cast(null as date) as anchor_date,
        month(day_in_2000) as anchor_month,
        day(day_in_2000) as anchor_day
    from birthdays
    union all
    select
        customer_id,
        'membership_started',
        {{ beijing_date('min(started_at)') }},
        null,
        null
    from memberships
    where started_at is not null
    group by customer_id
    union all
    select
        customer_id,
        'first_purchase',
        {{ beijing_date('min(purchase_at)') }},
        null,
        null
    from purchases
    group by customer_id
    union all
    select
        customer_id,
        'friendship_started',
        {{ beijing_date('started_at') }},
        null,
        null
    from active_friendships
),

final as (
    select
        anchors.customer_id,
        anchors.anchor,
        anchors.anchor_date,
        coalesce(anchors.anchor_month, month(anchors.anchor_date)) as anchor_month,
        coalesce(anchors.anchor_day, day(anchors.anchor_date)) as anchor_day
    from anchors
    inner join customers on anchors.customer_id = customers.customer_id
)

select * from final
