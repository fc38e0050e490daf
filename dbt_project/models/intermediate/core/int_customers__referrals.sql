{#- Each customer's referral facts: who referred them (earliest non-self invitation), how many they
    invited (all campaigns, mp_share included) and how many of those bought after the invitation.
-#}
with

customers as (select * from {{ ref('int_customers') }}),
invitations as (select * from {{ ref('int_invitations') }}),
purchases as (select * from {{ ref('int_purchases') }}),

referral_totals as (
    select
        invitations.inviter_customer_id as customer_id,
        count(distinct invitations.invitee_customer_id) as invitees_count,
        count(distinct invitations.invitee_customer_id) filter (where exists (
            select 1 from purchases
            where
                purchases.customer_id = invitations.invitee_customer_id
                and purchases.purchase_at >= invitations.invited_at
        )) as referred_buyers_count
    from invitations
    where not invitations.is_self_invitation
    group by invitations.inviter_customer_id
),

referred_by as (
    select
        invitations.invitee_customer_id as customer_id,
        invitations.inviter_customer_id
    from invitations
    where not invitations.is_self_invitation
    qualify row_number() over (
        partition by invitations.invitee_customer_id
        order by invitations.invited_at, invitations.campaign_id, invitations.inviter_customer_id
    ) = 1
),

final as (
    select
        customers.customer_id,
        referred_by.inviter_customer_id as referred_by_customer_id,
        referral_totals.invitees_count,
        referral_totals.referred_buyers_count
    from customers
    left join referral_totals on customers.customer_id = referral_totals.customer_id
    left join referred_by on customers.customer_id = referred_by.customer_id
)

select * from final
