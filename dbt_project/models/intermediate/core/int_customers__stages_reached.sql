{#- When each customer reached each lifecycle stage of spec/marts.md (user_assets.lifecycle_stage):
    lead at acquisition, pooled when first reachable on any touchpoint, first_purchase and repeat at
    the first and second purchase, referrer at the first purchase by someone they invited (non-self)
    made at or after that invitation, as in int_customers__referrals. Null = not reached. -#}
with

customers as (select * from {{ ref('int_customers') }}),
acquisition as (select * from {{ ref('int_customers__acquisition') }}),
intervals as (select * from {{ ref('int_reach__intervals') }}),
purchases as (select * from {{ ref('int_purchases') }}),
invitations as (select * from {{ ref('int_invitations') }}),

pooled as (
    select
        intervals.customer_id,
        min(intervals.started_at) as pooled_at
    from intervals
    where intervals.touchpoint = 'any'
    group by intervals.customer_id
),

ordered_purchases as (
    select
        purchases.customer_id,
        min(purchases.purchase_at) as first_purchase_at,
        -- the second purchase: a customer's purchase times in order, second element (null with one)
        {{ nth_smallest('purchases.purchase_at', 2) }} as repeat_at
    from purchases
    group by purchases.customer_id
),

referred_purchases as (
    select
        invitations.inviter_customer_id as customer_id,
        min(purchases.purchase_at) as referrer_at
    from invitations
    inner join purchases
        on
            invitations.invitee_customer_id = purchases.customer_id
            and purchases.purchase_at >= invitations.invited_at
    where not invitations.is_self_invitation
    group by invitations.inviter_customer_id
),

final as (
    select
        customers.customer_id,
        acquisition.acquired_at as lead_at,
        pooled.pooled_at,
        ordered_purchases.first_purchase_at,
        ordered_purchases.repeat_at,
        referred_purchases.referrer_at
    from customers
    left join acquisition on customers.customer_id = acquisition.customer_id
    left join pooled on customers.customer_id = pooled.customer_id
    left join ordered_purchases on customers.customer_id = ordered_purchases.customer_id
    left join referred_purchases on customers.customer_id = referred_purchases.customer_id
)

select * from final
